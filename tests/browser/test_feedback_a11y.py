"""The public feedback form in a real browser: WCAG 2.1 AA (axe-core) and valid HTML (Nu
checker) on the empty form, the form with errors, the confirmation and the 429 page; the whole
round trip works without JavaScript; the trap field is invisible and out of the Tab order."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form_url(demo_site):
    from django.core.cache import cache

    from ratusha.core.tests.factories import UnitFactory

    cache.clear()
    UnitFactory(name="Відділ благоустрою", slug="blagoustrii", email="blago@example.org")
    return demo_site["home"].rstrip("/") + "/feedback/"


def _fill(page, *, email="oksana@example.org", consent=True):
    page.fill("#id_name", "Оксана Петренко")
    page.fill("#id_email", email)
    page.fill("#id_phone", "+380 67 123 45 67")
    page.select_option("#id_unit", label="Відділ благоустрою")
    page.fill("#id_text", "Прошу відремонтувати ліхтар на вулиці Садовій.")
    if consent:
        page.check("#id_consent")


def test_the_form_and_its_pages_are_accessible_and_valid(
    page, form_url, axe_violations, html_errors, settings
):
    response = page.goto(form_url)
    assert response.status == 200
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []
    # The trap is neither seen nor reached with Tab.
    assert not page.locator("#id_website").is_visible()
    # With errors: the summary links to the fields, each field says what is wrong.
    _fill(page, email="not-an-address", consent=False)
    with page.expect_navigation():
        page.click(".feedback-form button[type=submit]")
    assert page.locator(".feedback-form__alert a").count() == 2
    assert page.locator("[aria-invalid=true]").count() == 2
    assert axe_violations(page) == []
    assert html_errors(page.content()) == []
    # Corrected: the confirmation with the reference number.
    page.fill("#id_email", "oksana@example.org")
    page.check("#id_consent")
    with page.expect_navigation():
        page.click(".feedback-form button[type=submit]")
    assert "/feedback/sent/" in page.url
    assert re.search(r"ЗЗ-\d{4}-\d{5}", page.locator("main").inner_text())
    assert axe_violations(page) == []
    assert html_errors(page.content()) == []


def test_a_flood_gets_an_accessible_429_keeping_the_text(
    page, form_url, axe_violations, html_errors, settings
):
    settings.FEEDBACK_RATE_LIMIT = 1
    for _ in range(2):
        page.goto(form_url)
        _fill(page)
        with page.expect_navigation():
            page.click(".feedback-form button[type=submit]")
    assert page.locator(".feedback-form__alert[role=alert]").count() == 1
    assert page.input_value("#id_text").startswith("Прошу відремонтувати")
    assert axe_violations(page) == []
    assert html_errors(page.content()) == []


def test_it_works_without_javascript_and_the_footer_links_to_it(browser, demo_site, form_url):
    from ratusha.feedback.models import FeedbackMessage

    context = browser.new_context(java_script_enabled=False, locale="uk-UA")
    page = context.new_page()
    try:
        page.goto(demo_site["home"])
        with page.expect_navigation():
            page.locator(".site-footer a[href='/feedback/']").click()
        _fill(page)
        with page.expect_navigation():
            page.click(".feedback-form button[type=submit]")
        assert "/feedback/sent/" in page.url
        page.reload()  # post/redirect/get: a reload posts nothing
        assert FeedbackMessage.objects.count() == 1
    finally:
        context.close()
