"""The accessibility checker in the editor: Wagtail's content checker (axe-core) is in the
page editor's «Checks» panel and in the live preview it runs on, set to the WCAG 2.1 A/AA
rules an editor's content can break, on the page's main content; on the public site it is
offered to admin users only."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from ratusha.portal.content_checks import CONTENT_WCAG_RULES
from ratusha.portal.models import HomePage, SectionPage

CONFIG = re.compile(
    r'<script id="checker-axe-configuration" type="application/json">(.*?)</script>', re.S
)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def section(db):
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна", slug="holovna"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return _publish(home, SectionPage(title="Бюджет", slug="biudzhet"))


def _configuration(html: str) -> dict:
    found = CONFIG.search(html)
    assert found, "no content checker configuration on the page"
    return json.loads(found.group(1))


def test_the_editor_has_the_checks_panel_with_the_wcag_content_rules(
    client, section, department_staff
):
    client.force_login(department_staff)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(section.pk,))).content.decode()
    assert 'data-side-panel="checks"' in html
    configuration = _configuration(html)
    assert configuration["context"]["include"] == ["main"]
    rules = configuration["options"]["runOnly"]
    # Wagtail's own content rules stay, the WCAG ones are added
    assert {"heading-order", "alt-text-quality", "link-name", "empty-heading"} <= set(rules)
    assert set(CONTENT_WCAG_RULES) <= set(rules)
    assert {"image-alt", "td-headers-attr", "list"} <= set(configuration["messages"])
    assert {rule["id"] for rule in configuration["spec"]["rules"]} >= {"alt-text-quality"}


def test_the_preview_the_checker_runs_on_carries_the_checker(admin_client, section):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(section.pk,))
    form = nested_form_data(
        {
            "title": "Бюджет",
            "slug": "biudzhet",
            "intro": "",
            "content": streamfield([("paragraph", rich_text("<p>Видатки на освіту.</p>"))]),
            "seo_title": "",
            "search_description": "",
            "public_info_topic": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    assert admin_client.post(url, form).json()["is_valid"]
    html = admin_client.get(url, {"in_preview_panel": "true"}).content.decode()
    assert "Видатки на освіту." in html
    assert _configuration(html)["context"]["include"] == ["main"]


def test_public_pages_offer_the_checker_to_admin_users_only(client, admin_client, section):
    assert "checker-axe-configuration" in admin_client.get("/biudzhet/").content.decode()
    html = client.get("/biudzhet/").content.decode()
    assert "checker-axe-configuration" not in html and "wagtail-userbar" not in html
