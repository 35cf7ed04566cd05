"""The search page in a real browser: WCAG 2.1 AA (axe-core) and valid HTML (Nu checker) on the
form, on results (with facets, snippets and pages) and on an empty result; the header's search
box and the filters work without JavaScript; suggestions appear while typing."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from ratusha.core.testing import restore_migration_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWS = {
    "form": "",
    "results": "?q=земельні+ділянки",
    "results-page-2": "?q=земельні+ділянки&page=2",
    "filtered": "?q=ділянка&kind=act&from=01.01.2024&to=31.12.2024",
    "empty": "?q=неіснуючеслово",
    "bad-input": '?q="*():^-&from=31.02.2024',
}


def _open_filters(page) -> None:
    """Open the filters (a <details>, open already when a filter is set)."""
    if page.locator(".search-page__filters").get_attribute("open") is None:
        page.locator(".search-page__filters > summary").click()


@pytest.fixture
def indexed_site(demo_site):

    from ratusha.acts import services
    from ratusha.acts.models import ActKind
    from ratusha.core.permissions import SYSTEM
    from ratusha.search import indexing

    restore_migration_records()
    kind = ActKind.objects.get(code="council-decision")
    for day in range(1, 14):
        act = services.act_register(
            actor=SYSTEM,
            data={
                "kind": kind,
                "number": f"{200 + day}-VIII",
                "date": dt.date(2024, 2, day),
                "title": f"Про надання земельних ділянок у власність громадянам с. Вишневе ({day})",
                "text": "Надати земельну ділянку площею 0,12 га для ведення садівництва.",
            },
        )
        services.act_publish(actor=SYSTEM, act=act)
    indexing.rebuild()
    return demo_site["home"].rstrip("/") + "/search/"


@pytest.mark.parametrize("which", list(VIEWS))
def test_search_page_is_accessible_and_valid(
    page, indexed_site, axe_violations, html_errors, which
):
    response = page.goto(indexed_site + VIEWS[which])
    _open_filters(page)
    assert response.status == 200
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_header_search_and_filters_work_without_javascript(browser, demo_site, indexed_site):
    context = browser.new_context(java_script_enabled=False, locale="uk-UA")
    page = context.new_page()
    try:
        # given any page of the site, when a resident types in the header's box
        page.goto(demo_site["section"])
        page.fill("#site-search-q", "земельна ділянка")
        page.press("#site-search-q", "Enter")
        # then the search page lists the act with the words highlighted
        assert urlsplit(page.url).path == "/search/"
        assert page.locator(".search-result").count() == 10
        assert page.locator(".search-result__title mark").first.inner_text().lower() == "земельних"
        # and the second page and a kind facet are plain links keeping the query
        page.click("a[rel=next]")
        assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
        assert page.locator(".search-result").count() == 3
        page.locator(".search-facets a").first.click()
        assert parse_qs(urlsplit(page.url).query)["q"] == ["земельна ділянка"]
        # and the filters are a form too
        _open_filters(page)
        page.fill("#search-from", "01.01.2025")
        page.click(".search-page__filters button")
        assert "0" in page.locator("#search-results-title").inner_text()
    finally:
        context.close()


def test_suggestions_appear_while_typing(page, indexed_site):
    page.goto(indexed_site)
    page.fill("#search-q", "надання земел")
    # (a locator wait, not ``wait_for_function``: the policy forbids evaluating strings)
    page.locator("#search-suggestions-1 option").first.wait_for(state="attached", timeout=5000)
    first = page.locator("#search-suggestions-1 option").first.get_attribute("value")
    assert first.startswith("надання земел")
