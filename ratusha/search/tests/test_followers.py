"""Open data's datasets in the index and following ``dataset_changed``; the council's renames
(a person, a body, a convocation) reaching every document that shows them; the acts registry's
«words» filter answered by the index (word forms) through ``acts.extensions.WORDS_MATCHER``."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from ratusha.acts import extensions
from ratusha.acts import services as act_services
from ratusha.acts.selectors import ActFilters, act_list
from ratusha.core.permissions import SYSTEM
from ratusha.search import selectors as search_selectors
from ratusha.search.models import SearchDocument
from ratusha.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db


def _keys(kind):
    return set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))


# Open data ----------------------------------------------------------------------------------


def _passport(**overrides):
    from ratusha.opendata.choices import UpdateFrequency

    data = {
        "title": "Перелік закладів освіти",
        "description": "Заклади загальної середньої освіти: назва, адреса, кількість учнів.",
        "update_frequency": UpdateFrequency.MONTHLY,
        "maintainer_name": "Петренко Ольга Іванівна",
        "maintainer_email": "osvita@example.org",
        "purpose": "Оприлюднення переліку закладів освіти",
        "identifier": "zaklady-osvity",
    }
    data.update(overrides)
    return data


def test_dataset_enters_when_published_and_leaves_when_withdrawn(
    unit, django_capture_on_commit_callbacks
):
    from ratusha.opendata import services

    # given a dataset registered but not published
    with django_capture_on_commit_callbacks(execute=True):
        dataset = services.dataset_create(
            actor=SYSTEM, data=_passport(holder=unit), tags=["школи", "освіта"]
        )
    # (the register of datasets, a generated dataset, comes in as open data asks for it)
    assert str(dataset.pk) not in _keys("dataset")
    # when it is published, it is found by its keywords and its description in other forms
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_publish(actor=SYSTEM, dataset=dataset)
    (result,) = search(SearchFilters(q="школах")).results
    assert result.kind == "dataset"
    assert result.url == reverse("opendata:dataset", kwargs={"identifier": "zaklady-osvity"})
    assert "Фінансовий відділ" in result.label
    assert search(SearchFilters(q="кількості учня")).total == 1
    # the kind is a facet of its own, and a filter
    found = search(SearchFilters(q="заклад освіти"))
    assert [(f.value, f.count) for f in found.kind_facets] == [("dataset", 1)]
    assert str(found.kind_facets[0].label) == "Відкриті дані"
    assert search(SearchFilters(q="заклад освіти", kinds=("act",))).total == 0
    # a change of the passport is followed
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_update(
            actor=SYSTEM, dataset=dataset, data={"title": "Перелік дитячих садків"}
        )
    assert search(SearchFilters(q="садок")).results[0].plain_title == "Перелік дитячих садків"
    # when it is withdrawn, it leaves
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_withdraw(actor=SYSTEM, dataset=dataset, reason="Дані застаріли")
    assert str(dataset.pk) not in _keys("dataset")
    assert search(SearchFilters(q="садок")).total == 0


def test_reindex_holds_published_datasets_only(unit):
    from ratusha.opendata import services

    published = services.dataset_create(
        actor=SYSTEM, data=_passport(holder=None), tags=["освіта"], publish=True
    )
    services.dataset_create(
        actor=SYSTEM,
        data=_passport(identifier="chernetka", title="Чернетка переліку закладів"),
    )
    out = io.StringIO()
    call_command("search_reindex", "--kind", "dataset", "--quiet", stdout=out)
    assert "dataset: 1" in out.getvalue()
    assert _keys("dataset") == {str(published.pk)}
    (result,) = search(SearchFilters(q="перелік закладів")).results
    assert result.label.endswith(": рада")  # the holder is the council itself


# Council renames ----------------------------------------------------------------------------


@pytest.fixture
def council(django_capture_on_commit_callbacks):
    from ratusha.council import services
    from ratusha.council.choices import MeetingKind, OrganizationKind

    with django_capture_on_commit_callbacks(execute=True):
        convocation = services.convocation_create(
            actor=SYSTEM, data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 5}
        )
        person = services.person_create(actor=SYSTEM, data={"full_name": "Шевченко Олена Іванівна"})
        deputy = services.deputy_create(
            actor=SYSTEM,
            data={
                "person": person,
                "convocation": convocation,
                "start_date": convocation.start_date,
            },
        )
        body = services.organization_create(
            actor=SYSTEM,
            data={"kind": OrganizationKind.COMMISSION, "convocation": convocation,
                  "name": "Постійна комісія з питань бюджету"},
        )  # fmt: skip
        services.membership_create(actor=SYSTEM, data={"person": person, "organization": body})
        meeting = services.meeting_create(
            actor=SYSTEM,
            data={"kind": MeetingKind.COMMISSION, "convocation": convocation, "organization": body,
                  "number": 1, "date": dt.date(2024, 5, 20)},
        )  # fmt: skip
    return {"convocation": convocation, "person": person, "deputy": deputy, "body": body,
            "meeting": meeting}  # fmt: skip


def test_renamed_person_is_found_by_the_new_name(council, django_capture_on_commit_callbacks):
    from ratusha.council import services

    assert search(SearchFilters(q="Шевченко")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.person_update(
            actor=SYSTEM, person=council["person"], data={"full_name": "Коваль Олена Іванівна"}
        )
    (result,) = search(SearchFilters(q="Коваль")).results
    assert result.kind == "deputy" and result.plain_title == "Коваль Олена Іванівна"
    assert search(SearchFilters(q="Шевченко")).total == 0


def test_renamed_body_reaches_its_meetings_and_members(council, django_capture_on_commit_callbacks):
    from ratusha.council import services

    # the deputy's document names the commission, and so does the commission's meeting
    found = search(SearchFilters(q="комісія з питань бюджету"))
    assert {r.kind for r in found.results} == {"deputy", "meeting"}
    with django_capture_on_commit_callbacks(execute=True):
        services.organization_update(
            actor=SYSTEM,
            organization=council["body"],
            data={"name": "Постійна комісія з питань освіти"},
        )
    # the meeting's title was written with the old name (a record of its day); nothing else
    # carries the old name
    found = search(SearchFilters(q="комісія з питань бюджету"))
    assert {r.kind for r in found.results} == {"meeting"}
    found = search(SearchFilters(q="комісії з питань освіти"))
    assert {r.kind for r in found.results} == {"deputy", "meeting"}
    # a member who leaves the body no longer carries its name
    from ratusha.council.models import Membership

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_delete(actor=SYSTEM, membership=Membership.objects.get())
    found = search(SearchFilters(q="комісії з питань освіти"))
    assert {r.kind for r in found.results} == {"meeting"}


def test_changed_convocation_reaches_its_deputies_and_meetings(
    council, django_capture_on_commit_callbacks
):
    from ratusha.council import services

    assert SearchDocument.objects.get(kind="deputy").label.endswith("VIII скликання")
    with django_capture_on_commit_callbacks(execute=True):
        services.convocation_update(
            actor=SYSTEM, convocation=council["convocation"], data={"number": 9}
        )
    assert SearchDocument.objects.get(kind="deputy").label.endswith("IX скликання")
    assert SearchDocument.objects.get(kind="meeting").label == "IX скликання"


def test_many_records_are_left_to_the_worker(council, settings, monkeypatch):
    from django_tasks import default_task_backend

    from ratusha.search import receivers

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(receivers, "INLINE_RECORDS", 0)
    receivers.refresh_convocation(council["convocation"].pk)
    queued = {
        (r.args[0], tuple(r.args[1]))
        for r in default_task_backend.results
        if r.task.name == "refresh_documents"
    }
    assert queued == {
        ("deputy", (str(council["deputy"].pk),)),
        ("meeting", (str(council["meeting"].pk),)),
    }


# The acts registry's «words» filter -----------------------------------------------------------


def test_search_sets_the_acts_words_matcher():
    assert extensions.WORDS_MATCHER is search_selectors.act_words_condition


def _titles(words, *, public=True):
    return {act.title for act in act_list(ActFilters(words=words), public=public)}


def test_words_filter_finds_other_forms_through_the_index(make_act, reindex):
    make_act("Про надання дозволу на розроблення проєкту", text="Земельна ділянка площею 0,12 га")
    make_act("Про бюджет громади на 2025 рік", text="Видатки загального фонду")
    make_act("Про оренду приміщення")
    reindex()
    # «земельних ділянок» was never written: the index knows the forms
    assert _titles("земельних ділянок") == {"Про надання дозволу на розроблення проєкту"}
    assert _titles("бюджету громад") == {"Про бюджет громади на 2025 рік"}
    assert _titles("бюджету оренди") == set()  # every word must match
    assert _titles("-бюджет громади") == set()
    assert _titles("приміщенням") == {"Про оренду приміщення"}
    assert _titles("кавунами") == set()  # a word the index does not know
    assert _titles("(.*") == set()  # nothing typed is syntax


def test_words_filter_matches_acts_outside_the_index_as_written(
    make_act, reindex, django_capture_on_commit_callbacks
):
    # an unpublished act is in the staff's list only; a withdrawn one stays in the public
    # list: neither is in the index, both are matched as written
    make_act("Про земельні ділянки", publish=False)
    published = make_act("Про земельний податок")
    reindex()
    with django_capture_on_commit_callbacks(execute=True):
        act_services.act_withdraw(actor=SYSTEM, act=published, reason="Помилково")
    assert _keys("act") == set()
    assert _titles("земельні", public=False) == {"Про земельні ділянки"}
    assert _titles("ЗЕМЕЛЬНИЙ") == {"Про земельний податок"}
    assert _titles("земельного податку") == set()  # as written: no other forms


def test_words_filter_of_the_public_list_page(client, make_act, reindex):
    make_act("Про затвердження Положення про старосту")
    make_act("Про бюджет громади")
    reindex()
    response = client.get(reverse("acts:list"), {"words": "положенням старости"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Положення про старосту" in body and "Про бюджет громади" not in body
