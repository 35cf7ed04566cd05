"""The open data catalogue in a real browser: WCAG 2.1 AA (axe-core) and valid HTML (Nu
checker) on the list and on a dataset's page with a preview and versions; both work without
JavaScript (the preview and the versions are <details>)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def opendata(demo_site, settings, tmp_path):
    from ratusha.core.permissions import SYSTEM
    from ratusha.core.tests.factories import UnitFactory
    from ratusha.opendata import services
    from ratusha.opendata.choices import UpdateFrequency
    from ratusha.opendata.files import inspect_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    unit = UnitFactory(name="Відділ освіти", slug="viddil-osvity")
    dataset = services.dataset_create(
        actor=SYSTEM,
        data={
            "identifier": "zaklady-osvity",
            "title": "Перелік закладів освіти",
            "description": "Заклади загальної середньої освіти громади.",
            "holder": unit,
            "update_frequency": UpdateFrequency.YEARLY,
            "maintainer_name": "Петренко Ольга Іванівна",
            "maintainer_email": "osvita@example.org",
            "purpose": "Оприлюднення переліку закладів освіти",
        },
        tags=["освіта"],
        publish=True,
    )
    table = (
        "name,address,pupils\nВербівський ліцей,вул. Соборна 1,512\nГімназія,вул. Шкільна 3,140\n"
    )
    resource = services.resource_upload(
        actor=SYSTEM,
        dataset=dataset,
        inspected=inspect_upload("schools.csv", table.encode()),
        title="Заклади освіти",
    )
    services.resource_replace(
        actor=SYSTEM,
        resource=resource,
        inspected=inspect_upload("schools.csv", (table + "Школа,вул. Нова 5,90\n").encode()),
    )
    base = demo_site["home"].rstrip("/")
    return {"list": f"{base}/opendata/", "dataset": f"{base}/opendata/zaklady-osvity/"}


@pytest.mark.parametrize("which", ["list", "dataset"])
def test_opendata_page_has_no_accessibility_violations_and_valid_html(
    page, opendata, axe_violations, html_errors, which
):
    response = page.goto(opendata[which])
    assert response.status == 200
    if which == "dataset":
        page.click("summary")  # open the preview, so axe checks the table too
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_the_catalogue_filters_without_javascript(browser, opendata):
    context = browser.new_context(java_script_enabled=False, locale="uk-UA")
    page = context.new_page()
    page.goto(opendata["list"])
    page.select_option("#id_format", "CSV")
    page.click(".acts-filter button[type=submit]")
    assert "format=CSV" in page.url
    assert page.locator(".od-item").count() == 1
    context.close()
