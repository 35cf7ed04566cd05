"""The index follows the records after each commit: acts, council records and pages come in
when public and leave when withdrawn, unpublished, deleted or restricted; big texts go through
the worker; ``search_reindex`` rebuilds everything with a progress bar."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageViewRestriction

from ratusha.acts import services as act_services
from ratusha.core.permissions import SYSTEM
from ratusha.search import receivers
from ratusha.search.models import SearchDocument
from ratusha.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db


def _keys(kind):
    return set(SearchDocument.objects.filter(kind=kind).values_list("object_id", flat=True))


def test_published_act_enters_and_withdrawn_act_leaves(
    make_act, django_capture_on_commit_callbacks
):
    # given a registered act, not yet published
    with django_capture_on_commit_callbacks(execute=True):
        act = make_act("Про надання земельних ділянок", publish=False)
    assert _keys("act") == set()
    # when it is published, it is found
    with django_capture_on_commit_callbacks(execute=True):
        act_services.act_publish(actor=SYSTEM, act=act)
    assert _keys("act") == {str(act.pk)}
    assert search(SearchFilters(q="земельна ділянка")).total == 1
    # when it is withdrawn, it is gone
    with django_capture_on_commit_callbacks(execute=True):
        act_services.act_withdraw(actor=SYSTEM, act=act, reason="Помилково оприлюднено")
    assert _keys("act") == set()


def test_corrected_act_is_found_by_its_new_title(make_act, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        act = make_act("Про бюджет громади")
        act_services.act_correct(
            actor=SYSTEM, act=act, title="Про бюджет громади на 2025 рік", reason="Уточнено назву"
        )
    assert search(SearchFilters(q="бюджет 2025")).total == 1


def test_big_text_is_indexed_by_the_worker(make_act, settings, django_capture_on_commit_callbacks):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    text = "Про оренду комунального майна. " * (receivers.INLINE_TEXT_LIMIT // 20)
    with django_capture_on_commit_callbacks(execute=True):
        act = make_act("Про оренду майна", text=text)
    # then nothing is indexed during the request, a task is queued
    assert _keys("act") == set()
    ours = [r for r in default_task_backend.results if r.task.name == "refresh_documents"]
    assert {(r.args[0], tuple(r.args[1])) for r in ours} == {("act", (str(act.pk),))}
    queued = ours[-1]  # registered, then published: a task each
    # and the worker's run of it indexes the act
    queued.task.call(*queued.args)
    assert search(SearchFilters(q="комунальне майно")).total == 1


def test_council_records_follow_their_signals(django_capture_on_commit_callbacks):
    from ratusha.council import services
    from ratusha.council.choices import MeetingKind

    with django_capture_on_commit_callbacks(execute=True):
        convocation = services.convocation_create(
            actor=SYSTEM, data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 5}
        )
        person = services.person_create(actor=SYSTEM, data={"full_name": "Шевченко Олена Іванівна"})
        deputy = services.deputy_create(
            actor=SYSTEM,
            data={"person": person, "convocation": convocation, "district": "Округ № 3",
                  "start_date": convocation.start_date},
        )  # fmt: skip
        meeting = services.meeting_create(
            actor=SYSTEM,
            data={"kind": MeetingKind.SESSION, "convocation": convocation, "number": 7,
                  "date": dt.date(2024, 5, 20), "place": "Сесійна зала"},
        )  # fmt: skip
        item = services.agenda_item_create(
            actor=SYSTEM,
            data={"meeting": meeting, "title": "Про затвердження програми благоустрою"},
        )
    assert _keys("deputy") == {str(deputy.pk)}
    assert _keys("meeting") == {str(meeting.pk)}
    assert _keys("agenda_item") == {f"{meeting.pk}.{item.pk}"}
    assert search(SearchFilters(q="Шевченко")).results[0].url == f"/council/deputies/{deputy.pk}/"
    assert search(SearchFilters(q="програма благоустрою")).results[0].kind == "agenda_item"
    # an item deleted from the agenda leaves the index with the meeting's next change
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_delete(actor=SYSTEM, item=item)
    assert _keys("agenda_item") == set()


def test_pages_enter_when_published_and_leave_when_unpublished(
    publish_page, django_capture_on_commit_callbacks
):
    from ratusha.portal.models import NewsPage

    with django_capture_on_commit_callbacks(execute=True):
        news = publish_page(
            NewsPage(title="Відкрили укриття в ліцеї", slug="ukryttia",
                     intro="Нове укриття прийматиме учнів.")
        )  # fmt: skip
    (result,) = search(SearchFilters(q="укриттям")).results
    assert result.kind == "news" and result.url == news.url
    with django_capture_on_commit_callbacks(execute=True):
        news.unpublish()
    assert search(SearchFilters(q="укриття")).total == 0


def test_deleted_page_leaves_the_index(publish_page, django_capture_on_commit_callbacks):
    from ratusha.portal.models import SectionPage

    with django_capture_on_commit_callbacks(execute=True):
        section = publish_page(SectionPage(title="Паспорт громади", slug="pasport"))
    assert _keys("page") == {str(section.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        section.delete()
    assert _keys("page") == set()


def test_restricted_section_leaves_the_index(
    publish_page, settings, django_capture_on_commit_callbacks
):
    from ratusha.portal.models import SectionPage

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        section = publish_page(SectionPage(title="Службові матеріали", slug="sluzhbove"))
        child = publish_page(SectionPage(title="Службова інструкція", slug="instr"), section)
    assert _keys("page") == {str(section.pk), str(child.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
        )
    assert _keys("page") == set()


def test_reindex_command_rebuilds_with_a_progress_bar(make_act, publish_page):
    from ratusha.portal.models import NewsPage

    make_act("Про бюджет громади")
    make_act("Внутрішній наказ", publish=False)
    publish_page(NewsPage(title="Сесія ухвалила бюджет", slug="sesiia"))
    out, err = io.StringIO(), io.StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    assert "act: 1" in out.getvalue() and "news: 1" in out.getvalue()
    assert "Індексування" in err.getvalue()
    assert search(SearchFilters(q="бюджету")).total == 2
    # one kind only leaves the others alone
    call_command("search_reindex", "--kind", "act", "--quiet", stdout=out, stderr=err)
    assert _keys("news") and _keys("act")
    with pytest.raises(CommandError, match="Невідомий вид"):
        call_command("search_reindex", "--kind", "nonsense")
