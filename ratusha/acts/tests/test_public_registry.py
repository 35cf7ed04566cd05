"""The public registry of acts on the site: the list with filters, sorting and pagination, the
act page, file downloads, the Atom feed per kind and the CSV/JSON export."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from ratusha.acts import services
from ratusha.acts.choices import ConsiderationResult, TextStatus
from ratusha.acts.documents import InspectedDocument
from ratusha.acts.forms import SORT_CHOICES
from ratusha.acts.models import Act
from ratusha.acts.selectors import SORTS
from ratusha.acts.views import EXPORT_FIELDS
from ratusha.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db

LIST_URL = "/acts/"
ATOM = "{http://www.w3.org/2005/Atom}"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(kinds, *, kind="council-decision", publish=True, documents=(), **data) -> Act:
    """An act registered (and, unless ``publish=False``, published) through the services."""
    values = {
        "kind": kinds[kind],
        "number": "",
        "date": dt.date(2024, 3, 20),
        "title": "Про затвердження Положення про старосту",
        **data,
    }
    act = services.act_register(actor=SYSTEM, data=values, documents=documents)
    if publish:
        services.act_publish(actor=SYSTEM, act=act)
    act.refresh_from_db()
    return act


def pdf(name: str, content: bytes = PDF_BYTES) -> InspectedDocument:
    return InspectedDocument(
        name=name,
        content=content,
        file_format="pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text="",
        text_status=TextStatus.NONE,
    )


def mark_internal_but_published(act: Act) -> None:
    """Data as an old import could leave it: an internal act with a publication date. The
    services refuse to publish internal acts; the public side must hide them regardless."""
    Act.objects.filter(pk=act.pk).update(is_internal=True, published_at=timezone.now())


def listed_titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


@pytest.fixture
def registry(kinds, unit):
    """Three public acts of different kinds, bodies and years, one unpublished and one internal."""
    budget = register(
        kinds,
        number="№ 245-VIII",
        date=dt.date(2024, 3, 20),
        title="Про внесення змін до бюджету громади на 2024 рік",
        text="Збільшити видатки на ремонт доріг.\n\nКонтроль покласти на комісію.",
        unit=unit,
        convocation="VIII",
        session="45 сесія",
        is_regulatory=True,
    )
    trade = register(
        kinds,
        kind="executive-decision",
        number="12",
        date=dt.date(2023, 6, 15),
        title="Про організацію сезонної торгівлі",
        text="Дозволити торгівлю кавунами на ринку.",
    )
    holidays = register(
        kinds,
        kind="head-order",
        number="45-од",
        date=dt.date(2025, 2, 3),
        title="Про затвердження графіка відпусток",
    )
    unpublished = register(
        kinds,
        number="300-VIII",
        date=dt.date(2024, 5, 10),
        title="Про неоприлюднене рішення щодо бюджету",
        publish=False,
    )
    internal = register(
        kinds,
        kind="head-order",
        number="46-од",
        date=dt.date(2025, 2, 4),
        title="Про внутрішню нараду щодо бюджету",
        is_internal=True,
        publish=False,
    )
    mark_internal_but_published(internal)
    return {
        "budget": budget,
        "trade": trade,
        "holidays": holidays,
        "unpublished": unpublished,
        "internal": internal,
    }


# The list ---------------------------------------------------------------------------------------


def test_list_shows_public_acts_with_kind_number_date_title_and_status(client, registry):
    # Given the registry
    # When a visitor opens the list
    response = client.get(LIST_URL)
    # Then the public acts are there, newest first, with their card fields
    assert response.status_code == 200
    assert listed_titles(response) == [
        "Про затвердження графіка відпусток",
        "Про внесення змін до бюджету громади на 2024 рік",
        "Про організацію сезонної торгівлі",
    ]
    assertContains(response, "Рішення ради")
    assertContains(response, "№&nbsp;245-VIII")
    assertContains(response, '<time datetime="2024-03-20">20.03.2024</time>', html=True)
    assertContains(response, f'href="{registry["budget"].get_absolute_url()}"')
    assertContains(response, "оприлюднено")
    assertContains(response, "Знайдено 3 акти")


def test_list_never_shows_unpublished_or_internal_acts(client, registry):
    # Given an unpublished act and an internal one (even with a publication date)
    # When the list is searched for the word both titles share
    response = client.get(LIST_URL, {"words": "бюджету"})
    # Then only the public act appears
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    assertNotContains(response, "неоприлюднене")
    assertNotContains(response, "внутрішню нараду")


def test_list_filter_form_is_accessible_and_works_without_javascript(client, registry):
    # When the list is opened with filters in the URL
    response = client.get(LIST_URL, {"kind": "head-order", "year": "2025"})
    # Then it is a GET form in a fieldset with a legend and labelled fields keeping the values
    assertContains(response, '<form class="acts-filter" method="get"')
    assertContains(response, "<legend")
    assertContains(response, '<label for="filter-date_from">')
    assertContains(response, 'value="2025"')
    assertContains(response, '<option value="head-order" selected>')
    assertContains(response, 'type="submit"')


def test_filter_form_keeps_sort_and_page_size_and_offers_every_sort(client, registry):
    # When the list is shown 50 a page, sorted by title
    response = client.get(LIST_URL, {"per_page": "50", "sort": "title"})
    # Then both choices stay selected in the form
    assertContains(response, '<option value="50" selected>')
    assertContains(response, '<option value="title" selected>')
    # And the form offers exactly the orders the selector knows
    assert {value for value, _label in SORT_CHOICES} == set(SORTS)


def test_list_answers_head_requests(client, registry):
    assert client.head(LIST_URL).status_code == 200


def test_filter_by_kind(client, registry):
    # When the visitor picks the kind «Розпорядження голови»
    response = client.get(LIST_URL, {"kind": "head-order"})
    # Then only head's orders are listed, with a link to that kind's feed
    assert listed_titles(response) == ["Про затвердження графіка відпусток"]
    assertContains(response, reverse("acts:feed", kwargs={"code": "head-order"}))


def test_filter_by_year(client, registry):
    response = client.get(LIST_URL, {"year": "2023"})
    assert listed_titles(response) == ["Про організацію сезонної торгівлі"]


def test_filter_by_date_range_in_ukrainian_format(client, registry):
    # When the visitor asks for 01.01.2024–31.12.2024 typed as ДД.ММ.РРРР
    response = client.get(LIST_URL, {"date_from": "01.01.2024", "date_to": "31.12.2024"})
    # Then only the act of 20.03.2024 is listed and the dates stay in the form as typed
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    assertContains(response, 'value="01.01.2024"')
    # And the bounds are inclusive
    response = client.get(LIST_URL, {"date_from": "20.03.2024", "date_to": "03.02.2025"})
    assert len(listed_titles(response)) == 2


@pytest.mark.parametrize("typed", ["245-viii", "№245-VIII", "№ 245-VIII", " 245 – VІІІ ", "245"])
def test_number_search_accepts_any_spelling(client, registry, typed):
    # Given decision № 245-VIII
    # When the visitor types the number their way
    response = client.get(LIST_URL, {"number": typed})
    # Then the decision is found
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]


def test_number_search_does_not_match_other_numbers_sharing_digits(client, registry, kinds):
    register(kinds, number="2450-VIII", date=dt.date(2024, 4, 1), title="Про інше рішення")
    response = client.get(LIST_URL, {"number": "245-VIII"})
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]


def test_filter_by_issuing_body(client, registry):
    response = client.get(LIST_URL, {"issuing_body": "executive"})
    assert listed_titles(response) == ["Про організацію сезонної торгівлі"]


def test_filter_by_unit_lists_only_the_acts_of_that_unit(client, registry, unit, other_unit):
    # Given the budget decision of the finance department (the registry's unit) and the
    # other acts without a unit
    # When the visitor filters by the finance department, then by another unit
    response = client.get(LIST_URL, {"unit": unit.slug})
    other = client.get(LIST_URL, {"unit": other_unit.slug})
    # Then only the department's act is listed, and nothing for the other unit
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    assert listed_titles(other) == []
    selected = f'<option value="{unit.slug}" selected>{unit.name}</option>'
    assertContains(response, selected, html=True)


def test_unknown_unit_is_a_form_error_and_ignored(client, registry, unit):
    response = client.get(LIST_URL, {"unit": "no-such-unit"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"unit"}
    assert len(listed_titles(response)) == 3


def test_filter_by_status(client, registry):
    # Given the order withdrawn
    services.act_withdraw(actor=SYSTEM, act=registry["holidays"], reason="Помилково оприлюднено")
    # When the visitor filters by the status «withdrawn»
    response = client.get(LIST_URL, {"status": "withdrawn"})
    # Then only it is listed
    assert listed_titles(response) == ["Про затвердження графіка відпусток"]


def test_words_match_title_or_text_whatever_the_case(client, registry):
    # Words from the title, in another case
    response = client.get(LIST_URL, {"words": "БЮДЖЕТУ громади"})
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    # A word only in the text
    response = client.get(LIST_URL, {"words": "кавунами"})
    assert listed_titles(response) == ["Про організацію сезонної торгівлі"]
    # Every word must match; characters special to patterns are taken literally
    response = client.get(LIST_URL, {"words": "бюджету кавунами"})
    assert listed_titles(response) == []
    response = client.get(LIST_URL, {"words": "(.*"})
    assert response.status_code == 200
    assert listed_titles(response) == []


def test_two_filters_combine(client, registry):
    response = client.get(LIST_URL, {"kind": "council-decision", "year": "2023"})
    assert listed_titles(response) == []
    assertContains(response, "Знайдено 0 актів")


def test_sorting_by_date_title_and_number(client, registry):
    # Oldest first
    response = client.get(LIST_URL, {"sort": "date"})
    assert listed_titles(response)[0] == "Про організацію сезонної торгівлі"
    # By title, A to Z and back
    titles = sorted(listed_titles(response))
    assert listed_titles(client.get(LIST_URL, {"sort": "title"})) == titles
    assert listed_titles(client.get(LIST_URL, {"sort": "-title"})) == titles[::-1]
    # By number
    response = client.get(LIST_URL, {"sort": "number"})
    assert [row["number"] for row in response.context["rows"]] == ["12", "245-VIII", "45-од"]


def test_sort_links_keep_filters_and_toggle_direction(client, registry):
    # Given the list filtered by year, sorted by title
    response = client.get(LIST_URL, {"year": "2024", "sort": "title", "page": "1"})
    columns = response.context["sort_columns"]
    # Then the title link reverses the order, keeps the filter and drops the page
    title_query = parse_qs(urlsplit(columns["title"]["url"]).query)
    assert title_query == {"year": ["2024"], "sort": ["-title"]}
    assert columns["title"]["aria_sort"] == "ascending"
    assertContains(response, 'aria-sort="ascending"')
    # And the date link asks for newest first
    assert parse_qs(urlsplit(columns["date"]["url"]).query)["sort"] == ["-date"]


@pytest.fixture
def many_acts(kinds):
    """120 published council decisions of 2024 (enough for 100 on a page and a second one)."""
    start = dt.date(2024, 1, 1)
    for index in range(120):
        register(
            kinds,
            number=f"{index + 1}-VIII",
            date=start + dt.timedelta(days=index),
            title=f"Про затвердження Програми розвитку № {index + 1}",
        )


def test_pagination_with_page_size_choice(client, many_acts):
    # When the visitor shows 50 a page and goes to page 3
    response = client.get(LIST_URL, {"per_page": "50", "page": "3"})
    # Then the last 20 acts are shown, with links to the other pages keeping the page size
    page = response.context["page_obj"]
    assert page.paginator.count == 120
    assert page.number == 3
    assert len(response.context["rows"]) == 20
    assertContains(response, 'aria-current="page"')
    assertContains(response, "per_page=50&amp;page=2")
    # And a page beyond the end shows the last page, a nonsense page the first
    assert client.get(LIST_URL, {"page": "999"}).context["page_obj"].number == 6
    assert client.get(LIST_URL, {"page": "abc"}).context["page_obj"].number == 1


FRAME_ONLY = engines["django"].from_string(
    '{% extends "base.html" %}{% block page_title %}—{% endblock %}'
)


@pytest.fixture
def frame_queries(client, db):
    """Queries the site frame alone takes (base.html: Wagtail site, hromada settings, menu),
    so the counts below stay exact whatever the frame needs. A first request warms up what
    the frame creates once (the hromada settings row) and what it keeps per process
    (``core.frame``: the menu, banners and footer, here outside a request's language too)."""
    client.get(LIST_URL)
    request = RequestFactory().get(LIST_URL)
    FRAME_ONLY.render(request=request)
    request = RequestFactory().get(LIST_URL)
    with CaptureQueriesContext(connection) as queries:
        FRAME_ONLY.render(request=request)
    return len(queries)


# Queries of one list page: the kinds and the units for the form, the count, the page's ids,
# its rows.
LIST_QUERIES = 5


@pytest.mark.parametrize("per_page", ["20", "100"])
def test_list_query_count_does_not_grow_with_page_size(
    client, many_acts, frame_queries, django_assert_num_queries, per_page
):
    # Given 120 acts
    # When a page of 20 or of 100 is shown, with two filters
    with django_assert_num_queries(LIST_QUERIES + frame_queries):
        response = client.get(
            LIST_URL, {"kind": "council-decision", "year": "2024", "per_page": per_page}
        )
    # Then the same number of queries fetched it
    assert len(response.context["rows"]) == int(per_page)


def test_invalid_filter_values_give_form_errors_and_the_list_still_renders(client, registry):
    # When the visitor types an impossible date, a year in letters and odd page options
    response = client.get(
        LIST_URL,
        {
            "date_from": "31.02.2021",
            "year": "abc",
            "per_page": "7",
            "sort": "bogus",
            "kind": "no-such-kind",
            "issuing_body": "king",
        },
    )
    # Then the page is shown with Ukrainian errors on the form and the invalid values ignored
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"date_from", "year", "per_page", "sort", "kind", "issuing_body"}
    assertContains(response, "Введіть справжню дату у форматі ДД.ММ.РРРР")
    assertContains(response, "Введіть рік чотирма цифрами")
    assertContains(response, 'aria-invalid="true"')
    assert len(listed_titles(response)) == 3


def test_date_range_backwards_is_an_error_and_ignored(client, registry):
    response = client.get(LIST_URL, {"date_from": "01.01.2025", "date_to": "01.01.2024"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    assert listed_titles(response) == ["Про затвердження графіка відпусток"]


def test_list_links_to_export_with_the_same_filters(client, registry):
    # Given a filtered list on page 2
    response = client.get(LIST_URL, {"kind": "council-decision", "year": "2024", "page": "2"})
    # Then the export links carry the filters but not the page
    csv_url = urlsplit(response.context["export_csv_url"])
    assert csv_url.path == reverse("acts:export")
    assert parse_qs(csv_url.query) == {"kind": ["council-decision"], "year": ["2024"]}
    json_query = parse_qs(urlsplit(response.context["export_json_url"]).query)
    assert json_query == {"kind": ["council-decision"], "year": ["2024"], "format": ["json"]}


# The act page ------------------------------------------------------------------------------------


def test_act_page_shows_the_card_the_text_and_publication_dates(client, registry, unit):
    act = registry["budget"]
    # When a visitor opens the act by its permanent address
    assert act.get_absolute_url() == f"/acts/{act.pk}/"
    response = client.get(act.get_absolute_url())
    # Then its card, its text (paragraphs kept) and its publication date are shown
    assert response.status_code == 200
    for shown in (
        "Рішення ради",
        "№ 245-VIII",
        "20.03.2024",
        "Про внесення змін до бюджету громади на 2024 рік",
        unit.name,
        "VIII",
        "45 сесія",
        "Регуляторний акт",
        act.publication_due.strftime("%d.%m.%Y"),
        timezone.localtime(act.published_at).strftime("%d.%m.%Y %H:%M"),
    ):
        assertContains(response, shown)
    assertContains(response, "<p>Збільшити видатки на ремонт доріг.</p>", html=True)
    assertContains(response, "<p>Контроль покласти на комісію.</p>", html=True)
    # Published long after its deadline, it is marked late
    assert act.published_late
    assertContains(response, "оприлюднено із запізненням")


def test_act_published_on_time_has_no_late_mark(client, kinds):
    # Given a decision adopted today and published at once
    act = register(kinds, number="1-VIII", date=timezone.localdate())
    # Then its page has no late mark
    assertNotContains(client.get(act.get_absolute_url()), "оприлюднено із запізненням")


@pytest.mark.parametrize("which", ["unpublished", "internal"])
def test_act_page_of_unpublished_or_internal_act_is_404(client, registry, which):
    response = client.get(registry[which].get_absolute_url())
    assert response.status_code == 404


def test_act_page_of_missing_act_is_404(client, db):
    assert client.get("/acts/999999/").status_code == 404


def test_withdrawn_act_shows_its_status_and_reason(client, registry):
    # Given the order withdrawn with a reason
    services.act_withdraw(
        actor=SYSTEM, act=registry["holidays"], reason="Оприлюднено помилково, не підписано"
    )
    # When its page is opened
    response = client.get(registry["holidays"].get_absolute_url())
    # Then it is still there, marked withdrawn, with the reason
    assert response.status_code == 200
    assertContains(response, "Відкликано")
    assertContains(response, "Оприлюднено помилково, не підписано")


def test_corrected_act_shows_every_version_with_its_date_reason_and_text(client, registry):
    act = registry["budget"]
    # Given a correction of the published decision
    version = services.act_correct(
        actor=SYSTEM,
        act=act,
        reason="Виправлено технічну помилку в пункті 1",
        text="Збільшити видатки на ремонт мостів.",
    )
    # When its page is opened
    response = client.get(act.get_absolute_url())
    # Then the current text is the corrected one, the update date is shown
    assertContains(response, "Збільшити видатки на ремонт мостів.")
    updated = timezone.localtime(version.published_at).strftime("%d.%m.%Y %H:%M")
    assertContains(response, updated)
    # And the history lists both versions with their dates and texts in <details>
    versions = response.context["versions"]
    assert [v.number for v in versions] == [2, 1]
    assertContains(response, "Версія 2")
    assertContains(response, "Версія 1")
    assertContains(response, "Виправлено технічну помилку в пункті 1")
    assertContains(response, "<details>", count=2)
    assertContains(response, "Збільшити видатки на ремонт доріг.")


def test_draft_page_shows_consideration_date_and_the_decision_it_became(client, kinds, unit):
    # Given a draft published for review and adopted as decision № 77-VIII, also published
    draft = register(
        kinds,
        kind="draft-council-decision",
        date=dt.date(2025, 3, 3),
        consideration_date=dt.date(2025, 3, 20),
        title="Про затвердження Програми розвитку культури",
        unit=unit,
    )
    decision = services.draft_consider(
        actor=SYSTEM,
        draft=draft,
        result=ConsiderationResult.ADOPTED,
        adopted={"number": "77-VIII", "date": dt.date(2025, 3, 20)},
    )
    # When the draft's page is opened before the decision is published
    response = client.get(draft.get_absolute_url())
    # Then it shows the planned consideration date and no link to the unpublished decision
    assertContains(response, "Запланована дата розгляду")
    assertContains(response, "20.03.2025")
    assertNotContains(response, decision.get_absolute_url())
    # When the decision is published, the draft links to it and it links back to the draft
    services.act_publish(actor=SYSTEM, act=decision)
    assertContains(client.get(draft.get_absolute_url()), f'href="{decision.get_absolute_url()}"')
    response = client.get(decision.get_absolute_url())
    assertContains(response, f'href="{draft.get_absolute_url()}"')


def test_amending_and_cancelling_acts_link_both_ways(client, registry, kinds):
    # Given a new decision that amends one act and cancels another
    newer = register(kinds, number="400-VIII", date=dt.date(2025, 1, 15), title="Про зміни")
    services.act_link(
        actor=SYSTEM, act=newer, amends=[registry["budget"]], cancels=[registry["trade"]]
    )
    # Then its page lists what it amends and cancels
    response = client.get(newer.get_absolute_url())
    assertContains(response, f'href="{registry["budget"].get_absolute_url()}"')
    assertContains(response, f'href="{registry["trade"].get_absolute_url()}"')
    # And the amended act shows its status, the reason and the amending act
    response = client.get(registry["budget"].get_absolute_url())
    assertContains(response, "Змінено")
    assertContains(response, f'href="{newer.get_absolute_url()}"')
    response = client.get(registry["trade"].get_absolute_url())
    assertContains(response, "Скасовано")
    assertContains(response, f'href="{newer.get_absolute_url()}"')


def test_unpublished_related_acts_are_not_linked(client, registry):
    # Given the public decision amended by the unpublished one
    services.act_link(actor=SYSTEM, act=registry["unpublished"], amends=[registry["budget"]])
    # Then its page does not link the unpublished act
    response = client.get(registry["budget"].get_absolute_url())
    assertNotContains(response, registry["unpublished"].get_absolute_url())


# Queries of an act page: the act (kind, unit, adopted act joined), versions, their files,
# drafts, amends, amended by, cancels, cancelled by.
DETAIL_QUERIES = 8


def test_act_page_query_count_is_fixed(client, kinds, frame_queries, django_assert_num_queries):
    # Given an act with one version and one with three versions and several files each
    simple = register(kinds, number="1-VIII", documents=[pdf("рішення.pdf")])
    rich = register(kinds, number="2-VIII", documents=[pdf("a.pdf"), pdf("b.pdf")])
    for index in range(2):
        services.act_correct(
            actor=SYSTEM,
            act=rich,
            reason=f"Виправлення {index}",
            documents=[pdf(f"c{index}.pdf"), pdf(f"d{index}.pdf")],
        )
    # Then both pages take the same number of queries
    for act in (simple, rich):
        with django_assert_num_queries(DETAIL_QUERIES + frame_queries):
            assert client.get(act.get_absolute_url()).status_code == 200


# Files ------------------------------------------------------------------------------------------


def test_act_page_lists_files_with_format_size_and_sha256(client, kinds):
    act = register(kinds, number="5-VIII", documents=[pdf("Рішення № 5-VIII.pdf")])
    stored = act.versions.get().files.get()
    response = client.get(act.get_absolute_url())
    assertContains(response, "Рішення № 5-VIII.pdf")
    assertContains(response, "PDF")
    assertContains(response, hashlib.sha256(PDF_BYTES).hexdigest())
    assertContains(response, reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk}))


def test_file_download_is_an_attachment_with_safe_headers(client, kinds):
    # Given an act with a file named in Cyrillic
    act = register(kinds, number="6-VIII", documents=[pdf("Рішення № 6-VIII.pdf")])
    stored = act.versions.get().files.get()
    # When it is downloaded
    response = client.get(reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk}))
    # Then it comes with its stored format's type, as an attachment with the original name
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D0%A0%D1%96%D1%88%D0%B5%D0%BD%D0%BD%D1%8F%20" in disposition
    assert 'filename="Rishennia' in disposition  # the ASCII fallback, transliterated
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == stored.sha256


def test_file_of_unknown_format_is_served_as_bytes(client, kinds):
    document = pdf("схема.svg", b"<svg onload='alert(1)'/>")
    document.file_format = "svg"
    act = register(kinds, number="7-VIII", documents=[document])
    stored = act.versions.get().files.get()
    response = client.get(reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk}))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_files_of_unpublished_or_internal_acts_are_404(client, kinds):
    # Given a file of an unpublished act and one of an internal act
    unpublished = register(kinds, number="8-VIII", documents=[pdf("a.pdf")], publish=False)
    internal = register(
        kinds,
        kind="head-order",
        number="9-од",
        is_internal=True,
        publish=False,
        documents=[pdf("b.pdf")],
    )
    mark_internal_but_published(internal)
    public = register(kinds, number="10-VIII", documents=[pdf("c.pdf")])
    for act in (unpublished, internal):
        stored = act.versions.get().files.get()
        url = reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk})
        # Then they cannot be downloaded
        assert client.get(url).status_code == 404
        # Nor through the address of a public act
        url = reverse("acts:file", kwargs={"pk": public.pk, "file_id": stored.pk})
        assert client.get(url).status_code == 404


def test_missing_stored_file_is_404(client, kinds):
    act = register(kinds, number="11-VIII", documents=[pdf("a.pdf")])
    stored = act.versions.get().files.get()
    stored.file.storage.delete(stored.file.name)
    url = reverse("acts:file", kwargs={"pk": act.pk, "file_id": stored.pk})
    assert client.get(url).status_code == 404


# Feed -------------------------------------------------------------------------------------------


def test_atom_feed_per_kind_is_valid_with_publication_dates(client, registry, kinds):
    # Given two published council decisions, an unpublished one and an order
    register(kinds, number="246-VIII", date=dt.date(2024, 3, 21), title="Про друге рішення")
    # When the feed of council decisions is read
    response = client.get(reverse("acts:feed", kwargs={"code": "council-decision"}))
    # Then it is Atom XML with one entry per published decision, with their dates
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Рішення ради: реєстр правових актів"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(entries) == 2
    assert any("Про внесення змін до бюджету громади" in title for title in titles)
    assert not any("неоприлюднене" in title for title in titles)
    for entry in entries:
        assert entry.find(f"{ATOM}published").text
        assert entry.find(f"{ATOM}updated").text
        assert "/acts/" in entry.find(f"{ATOM}link").get("href")


def test_feed_excludes_internal_and_unknown_kind_is_404(client, registry):
    response = client.get(reverse("acts:feed", kwargs={"code": "head-order"}))
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [
        "Розпорядження голови № 45-од від 03.02.2025: Про затвердження графіка відпусток"
    ]
    assert client.get("/acts/feed/no-such-kind/").status_code == 404


# Export -----------------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(EXPORT_FIELDS)
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_honours_the_filters_and_has_camelcase_header(client, registry):
    # When the visitor exports council decisions of 2024
    response = client.get(reverse("acts:export"), {"kind": "council-decision", "year": "2024"})
    # Then a CSV with the camelCase header and the one public decision comes back
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert len(rows) == 1
    row = rows[0]
    act = registry["budget"]
    assert row["id"] == str(act.pk)
    assert row["kind"] == "Рішення ради"
    assert row["number"] == "245-VIII"
    assert row["date"] == "2024-03-20"
    assert row["title"] == act.title
    assert row["issuingBody"] == "рада"
    assert row["status"] == "оприлюднено"
    assert row["publishedAt"] == timezone.localtime(act.published_at).isoformat("T", "seconds")
    assert row["updatedAt"]
    assert row["url"] == f"http://testserver/acts/{act.pk}/"


def test_csv_export_without_filters_has_all_public_acts_only(client, registry):
    rows = read_csv(client.get(reverse("acts:export")))
    titles = {row["title"] for row in rows}
    assert len(rows) == 3
    assert "Про неоприлюднене рішення щодо бюджету" not in titles
    assert "Про внутрішню нараду щодо бюджету" not in titles


def test_json_export_honours_the_filters(client, registry):
    # When the visitor exports by number and words as JSON
    response = client.get(
        reverse("acts:export"), {"number": "№245-viii", "words": "бюджету", "format": "json"}
    )
    # Then JSON comes back with the matching public act only, in camelCase
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(b"".join(response.streaming_content))
    assert [list(item) for item in data] == [list(EXPORT_FIELDS)]
    assert data[0]["number"] == "245-VIII"
    assert data[0]["issuingBody"] == "рада"


def test_json_export_of_nothing_is_an_empty_list(client, registry):
    response = client.get(reverse("acts:export"), {"year": "1999", "format": "json"})
    assert json.loads(b"".join(response.streaming_content)) == []


def test_csv_export_defuses_spreadsheet_formulas(client, kinds):
    register(kinds, number="1-VIII", title='=HYPERLINK("http://example.com")')
    rows = read_csv(client.get(reverse("acts:export")))
    assert rows[0]["title"].startswith("'=")


def test_words_filter_as_written_by_default(client, registry, monkeypatch):
    # Given the registry's own matcher (no other app's in place)
    from ratusha.acts import extensions

    monkeypatch.setattr(extensions, "WORDS_MATCHER", extensions.words_as_written)
    # Then a word is found as written, in any case, and another form of it is not
    response = client.get(LIST_URL, {"words": "БЮДЖЕТУ громади"})
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    response = client.get(LIST_URL, {"words": "бюджет громади"})
    assert listed_titles(response) == ["Про внесення змін до бюджету громади на 2024 рік"]
    response = client.get(LIST_URL, {"words": "бюджетом"})
    assert listed_titles(response) == []


def test_words_filter_asks_the_matcher_in_place(client, registry, monkeypatch):
    # Given another app's matcher (search sets one in its AppConfig.ready)
    from django.db.models import Q

    from ratusha.acts import extensions

    asked = []

    def matcher(words):
        asked.append(words)
        return Q(title__contains="сезонної")

    monkeypatch.setattr(extensions, "WORDS_MATCHER", matcher)
    # When the visitor filters by words, the matcher answers for them (and with the export)
    response = client.get(LIST_URL, {"words": "торгівлею на ринку"})
    assert listed_titles(response) == ["Про організацію сезонної торгівлі"]
    assert asked == ["торгівлею на ринку"]
    # and an empty filter does not ask it
    client.get(LIST_URL, {"words": "  "})
    assert asked == ["торгівлею на ринку"]
