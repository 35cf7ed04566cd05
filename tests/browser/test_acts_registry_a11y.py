"""The public registry of legal acts in a real browser: WCAG 2.1 AA (axe-core) and valid HTML
(Nu checker) on the list and an act's page in both versions, the filter form without
JavaScript, and no sideways scrolling of the page on a phone."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from ratusha.core.testing import restore_migration_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
ACT_PAGES = ["corrected", "withdrawn", "late"]
LIST_VIEWS = {
    "all": "",
    "kind-and-year": "?kind=council-decision&year=2024",
    "invalid-date": "?date_from=31.02.2024",
}
# How many filler decisions of 2023 make the unfiltered list longer than one page (20 rows).
FILLER_ACTS = 20


def _docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _kyiv(*args: int) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def registry(demo_site, settings, tmp_path):
    """A registry on the demo site: a corrected decision with two versions and a file each,
    a withdrawn one, a late one, a draft, filler acts for a second page; returns URLs."""

    from ratusha.acts import services
    from ratusha.acts.documents import inspect_document
    from ratusha.acts.models import ActKind
    from ratusha.core.permissions import SYSTEM

    settings.MEDIA_ROOT = tmp_path / "media"
    # Transactional tests empty the database after each test, kinds from migrations included.
    restore_migration_records()
    kinds = {kind.code: kind for kind in ActKind.objects.all()}

    def act(kind="council-decision", *, published, documents=(), **data):
        created = services.act_register(
            actor=SYSTEM, data={"kind": kinds[kind], **data}, documents=documents
        )
        return services.act_publish(actor=SYSTEM, act=created, as_of=published)

    budget = act(
        number="245-VIII",
        date=dt.date(2024, 3, 20),
        title="Про внесення змін до бюджету Калинівської сільської територіальної громади "
        "на 2024 рік",
        convocation="VIII",
        session="45 сесія",
        is_regulatory=True,
        published=_kyiv(2024, 3, 22, 10, 30),
        documents=[
            inspect_document(
                "Рішення 245-VIII про зміни до бюджету.docx",
                _docx(["Збільшити видатки на ремонт доріг.", "Контроль покласти на комісію."]),
            )
        ],
    )
    services.act_correct(
        actor=SYSTEM,
        act=budget,
        reason="виправлено технічну помилку в сумі видатків",
        documents=[
            inspect_document(
                "Рішення 245-VIII (виправлене).docx",
                _docx(
                    ["Збільшити видатки на ремонт доріг на 1 200 000 грн.", "Контроль — комісії."]
                ),
            )
        ],
    )
    withdrawn = act(
        number="250-VIII",
        date=dt.date(2024, 4, 10),
        title="Про встановлення ставок місцевих податків і зборів на 2025 рік",
        text="Установити ставки податку на майно згідно з додатком.",
        published=_kyiv(2024, 4, 11, 9, 0),
    )
    services.act_withdraw(
        actor=SYSTEM, act=withdrawn, reason="помилково оприлюднено проєкт замість рішення"
    )
    late = act(
        number="262-VIII",
        date=dt.date(2024, 5, 2),
        title="Про затвердження Програми розвитку культури на 2024–2026 роки",
        text="Затвердити Програму розвитку культури.",
        published=_kyiv(2024, 6, 20, 14, 0),
    )
    act(
        "draft-council-decision",
        date=dt.date(2025, 3, 3),
        consideration_date=dt.date(2025, 3, 20),
        title="Про надання дозволу на розроблення проєкту землеустрою щодо відведення "
        "земельної ділянки",
        text="Надати дозвіл на розроблення проєкту землеустрою.",
        published=_kyiv(2025, 3, 4, 11, 0),
    )
    act(
        "head-order",
        number="45-од",
        date=dt.date(2025, 2, 3),
        title="Про затвердження графіка відпусток",
        text="Затвердити графік.",
        published=_kyiv(2025, 2, 4, 8, 30),
    )
    for number in range(1, FILLER_ACTS + 1):
        act(
            "executive-decision",
            number=str(number),
            date=dt.date(2023, 1, 1) + dt.timedelta(days=7 * number),
            title=f"Про надання матеріальної допомоги жителям громади (список {number})",
            text="Надати допомогу.",
            published=_kyiv(2023, 1, 2) + dt.timedelta(days=7 * number),
        )
    base = demo_site["home"].rstrip("/")
    return {
        "list": f"{base}/acts/",
        "corrected": f"{base}{budget.get_absolute_url()}",
        "withdrawn": f"{base}{withdrawn.get_absolute_url()}",
        "late": f"{base}{late.get_absolute_url()}",
    }


def _url(registry, which: str) -> str:
    if which in LIST_VIEWS:
        return registry["list"] + LIST_VIEWS[which]
    return registry[which]


def _use_low_vision(page, registry):
    page.context.add_cookies([{"name": "low_vision", "value": "1", "url": registry["list"]}])


def _open_all_details(page):
    for summary in page.locator("details > summary").all():
        summary.click()


def _has_no_page_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("low_vision", [False, True], ids=["normal", "low-vision"])
@pytest.mark.parametrize("which", [*LIST_VIEWS, *ACT_PAGES])
def test_registry_page_has_no_accessibility_violations_and_valid_html(
    page, registry, axe_violations, html_errors, which, low_vision
):
    if low_vision:
        _use_low_vision(page, registry)

    response = page.goto(_url(registry, which))
    _open_all_details(page)

    assert response.status == 200
    assert ("low-vision" in (page.locator("html").get_attribute("class") or "")) is low_vision
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_list_shows_the_acts_a_second_page_and_the_kind_feed(page, registry):
    page.goto(registry["list"])

    table = page.get_by_role("table")
    assert table.locator("tbody tr").count() == 20
    assert page.get_by_role("navigation", name="Сторінки переліку").is_visible()
    assert page.locator('link[rel="alternate"]').count() == 0

    page.goto(_url(registry, "kind-and-year"))

    assert page.locator(".acts-table tbody tr").count() == 3
    assert all("2024" in date for date in page.locator(".acts-table time").all_inner_texts())
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("href") == "/acts/feed/council-decision/"
    assert feed.get_attribute("title") == "Рішення ради: реєстр правових актів"


def test_invalid_date_is_reported_on_the_form_and_the_list_still_shows(page, registry):
    page.goto(_url(registry, "invalid-date"))

    field = page.get_by_label("Дата від")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "31.02.2024"
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#filter-date_from_error").is_visible()
    assert page.locator(".acts-table tbody tr").count() == 20


def test_act_pages_show_versions_files_and_marks(page, registry):
    page.goto(registry["corrected"])

    versions = page.locator(".act-history__version")
    assert versions.count() == 2
    assert "виправлено технічну помилку" in versions.first.inner_text()
    hashes = page.locator(".act-files__hash code")
    assert hashes.count() == 3  # the current file, then each version's own
    assert all(re.fullmatch(r"[0-9a-f]{64}", text) for text in hashes.all_inner_texts())
    assert "mono" in hashes.first.evaluate("(el) => getComputedStyle(el).fontFamily").lower()
    link = page.locator(".act-files__item > a").first.get_attribute("href")
    download = page.request.get(urljoin(page.url, link))
    assert download.ok
    assert hashlib.sha256(download.body()).hexdigest() == hashes.first.inner_text()

    page.goto(registry["withdrawn"])

    assert "помилково оприлюднено" in page.locator(".act-card__reason").inner_text()

    page.goto(registry["late"])

    assert page.locator(".act-card__late").is_visible()


def test_filter_form_works_without_javascript(browser, registry):
    context = browser.new_context(java_script_enabled=False, locale="uk-UA")
    try:
        page = context.new_page()
        page.goto(registry["list"])

        form = page.locator("form.acts-filter")
        form.get_by_label("Вид", exact=True).select_option("council-decision")
        form.get_by_label("Рік", exact=True).fill("2024")
        form.get_by_label("Слова в назві або тексті").fill("бюджету")
        form.get_by_role("button", name="Показати акти").click()

        query = parse_qs(urlsplit(page.url).query)
        assert query["kind"] == ["council-decision"]
        assert query["year"] == ["2024"]
        rows = page.locator(".acts-table tbody tr")
        assert rows.count() == 1
        assert "245-VIII" in rows.first.inner_text()
        assert form.get_by_label("Вид", exact=True).input_value() == "council-decision"
    finally:
        context.close()


@pytest.mark.parametrize("low_vision", [False, True], ids=["normal", "low-vision"])
@pytest.mark.parametrize("which", [*LIST_VIEWS, *ACT_PAGES])
def test_phone_width_has_no_sideways_scroll_of_the_page(page, registry, which, low_vision):
    if low_vision:
        _use_low_vision(page, registry)
    page.set_viewport_size(PHONE)

    page.goto(_url(registry, which))
    _open_all_details(page)

    assert _has_no_page_scroll(page)
    if which == "all":
        scroller = page.locator(".table-scroll")
        assert scroller.evaluate("(el) => el.scrollWidth > el.clientWidth")
        assert page.get_by_role("table").evaluate("(el) => getComputedStyle(el).display") == "table"
