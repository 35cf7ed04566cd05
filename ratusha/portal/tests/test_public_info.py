"""The staff's checklist of public information (art. 15(1) of the law on access to public
information): which topics the site covers, which are missing or stale, which pages of a topic
are not shown; the admin page, its menu item and the dashboard panel, for department staff,
approvers and administrators only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.models import Page, PageViewRestriction

from ratusha.portal.models import PUBLIC_INFO_TOPICS, SectionPage
from ratusha.portal.selectors import public_info_checklist
from ratusha.portal.tests.test_pages import _publish

NOW = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)
CHECKLIST_URL = "/admin/portal/public-information/"


def _updated(page: Page, when: dt.datetime) -> Page:
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page


@pytest.fixture
def topics(home):
    """Pages of seven topics in every state; the other four topics have none.

    - structure: a live page updated a month ago, and a stale one
    - finances: only a page last updated 400 days ago (stale)
    - requests: a page that expired
    - records: a draft never published
    - participation: a page published once and unpublished since
    - contacts: a live page behind a password (not public)
    - services: a live page updated exactly 365 days ago (not yet stale)
    """
    section = _publish(home, SectionPage(title="Публічна інформація", slug="publichna"))

    def page(title, topic, *, updated=None, **fields):
        created = _publish(section, SectionPage(title=title, slug=title, public_info_topic=topic))
        if updated is not None:
            _updated(created, updated)
        if fields:
            Page.objects.filter(pk=created.pk).update(**fields)
        return created

    pages = {
        "structure": page("struktura", "structure", updated=NOW - dt.timedelta(days=30)),
        "structure_old": page("struktura-2019", "structure", updated=NOW - dt.timedelta(days=900)),
        "finances": page("finansy", "finances", updated=NOW - dt.timedelta(days=400)),
        "requests": page("zapyty", "requests", updated=NOW, live=False, expired=True),
        "participation": page("uchast", "participation", updated=NOW, live=False),
        "contacts": page("kontakty", "contacts", updated=NOW),
        "services": page("posluhy", "services", updated=NOW - dt.timedelta(days=365)),
    }
    draft = SectionPage(title="oblik", slug="oblik", public_info_topic="records", live=False)
    section.add_child(instance=draft)
    pages["records"] = draft
    PageViewRestriction.objects.create(
        page=pages["contacts"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    return pages


def _by_code(topics_list):
    return {topic.code: topic for topic in topics_list}


def test_checklist_has_every_topic_of_the_law_in_order(topics):
    checklist = public_info_checklist(now=NOW)

    assert [topic.code for topic in checklist] == [code for code, _label in PUBLIC_INFO_TOPICS]


def test_topics_with_a_fresh_live_page_are_covered(topics):
    checklist = _by_code(public_info_checklist(now=NOW))

    structure = checklist["structure"]
    assert not structure.missing and not structure.stale
    assert [item.page.pk for item in structure.live_pages] == [
        topics["structure"].pk,
        topics["structure_old"].pk,
    ]
    assert [item.stale for item in structure.live_pages] == [False, True]
    assert structure.last_update == NOW - dt.timedelta(days=30)
    services = checklist["services"]
    assert not services.stale  # 365 days is not yet more than a year


def test_topic_whose_pages_are_all_old_is_stale(topics):
    finances = _by_code(public_info_checklist(now=NOW))["finances"]

    assert not finances.missing
    assert finances.stale


def test_topics_without_a_live_public_page_are_missing_and_show_their_pages_state(topics):
    checklist = _by_code(public_info_checklist(now=NOW))

    states = {
        code: [item.state for item in checklist[code].other_pages]
        for code in ("requests", "records", "participation", "contacts")
    }
    assert states == {
        "requests": ["expired"],
        "records": ["draft"],
        "participation": ["unpublished"],
        "contacts": ["private"],
    }
    for code in ("requests", "records", "participation", "contacts", "acts", "vacancies"):
        assert checklist[code].missing, code
        assert not checklist[code].stale


def test_stale_days_come_from_the_setting(topics, settings):
    settings.PUBLIC_INFO_STALE_DAYS = 20

    checklist = _by_code(public_info_checklist(now=NOW))

    assert checklist["structure"].stale
    assert [item.stale for item in checklist["structure"].live_pages] == [True, True]


def test_checklist_takes_a_fixed_number_of_queries(topics, django_assert_num_queries):
    with django_assert_num_queries(3):
        public_info_checklist(now=NOW)


# The admin page, its menu item and the dashboard ------------------------------------------------


@pytest.fixture
def frozen_now(monkeypatch):
    """The admin pages judge staleness at ``NOW``."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


@pytest.mark.parametrize("who", ["department_staff", "approver", "administrator"])
def test_staff_see_the_checklist_with_flags_and_links(client, topics, frozen_now, who, request):
    client.force_login(request.getfixturevalue(who))

    response = client.get(CHECKLIST_URL)

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.total, summary.covered) == (11, 3)  # structure, finances, services
    html = response.content.decode()
    assert 'data-status="stale"' in _row(html, "finances")
    assert 'data-status="covered"' in _row(html, "structure")
    assert "data-stale" in _row(html, "structure")  # the 2019 page
    requests = _row(html, "requests")
    assert 'data-status="missing"' in requests and 'data-state="expired"' in requests
    assert 'data-state="private"' in _row(html, "contacts")
    assert 'data-status="missing"' in _row(html, "procurement")
    edit = reverse("wagtailadmin_pages:edit", args=[topics["records"].pk])
    assert f'href="{edit}"' in _row(html, "records")
    assert 'href="/publichna/struktura/"' in _row(html, "structure")


def _row(html: str, code: str) -> str:
    start = html.index(f'id="topic-{code}"')
    return html[start : html.index("</tr>", start)]


def test_unit_editor_is_refused_the_checklist_and_does_not_see_it(client, topics, unit_editor):
    client.force_login(unit_editor)

    refused = client.get(CHECKLIST_URL)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's refusal
    home = client.get("/admin/")
    assert home.status_code == 200
    assertNotContains(home, CHECKLIST_URL)
    assertNotContains(home, 'id="public-info-section"')


def test_anonymous_visitor_is_sent_to_the_login(client, topics):
    response = client.get(CHECKLIST_URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_dashboard_shows_the_summary_and_the_menu_links_the_checklist(
    client, topics, frozen_now, department_staff
):
    client.force_login(department_staff)

    response = client.get("/admin/")

    assert response.status_code == 200
    assertContains(response, 'id="public-info-section"')
    assertContains(response, CHECKLIST_URL)
    html = response.content.decode()
    panel = html[html.index('id="public-info-section"') :]
    missing = panel[
        panel.index('data-flag="missing"') : panel.index(
            "</li>", panel.index('data-flag="missing"')
        )
    ]
    stale = panel[
        panel.index('data-flag="stale"') : panel.index("</li>", panel.index('data-flag="stale"'))
    ]
    assert "порядок подання запиту на інформацію" in missing
    assert "бюджет і фінансові ресурси" in stale
    assert "бюджет і фінансові ресурси" not in missing


def test_a_page_newly_published_on_a_missing_topic_covers_it(client, topics, department_staff):
    section = SectionPage.objects.get(slug="publichna")
    _publish(section, SectionPage(title="Вакансії", slug="vakansii", public_info_topic="vacancies"))

    vacancies = _by_code(public_info_checklist(now=timezone.now()))["vacancies"]

    assert not vacancies.missing and not vacancies.stale
