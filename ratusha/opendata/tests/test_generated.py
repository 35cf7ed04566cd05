"""Registers publish themselves: the votes of a session, the acts of a kind and the register of
datasets become datasets without anyone uploading a file, regenerated in the worker when they
change, debounced, and kept as a new version only when the content changed."""

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.permissions import SYSTEM
from ratusha.council import services as council_services
from ratusha.council.choices import VoteChoice
from ratusha.opendata import services, tasks
from ratusha.opendata.choices import Generator
from ratusha.opendata.models import Dataset, ResourceVersion

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def dummy(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


def _vote(meeting, deputies, number, choice=VoteChoice.FOR):
    moment = dt.datetime.combine(meeting.date, dt.time(10, number), tzinfo=KYIV)
    return council_services.MotionInput(
        number=number,
        title=f"Питання № {number}",
        voted_at=moment,
        choices={d.person_id: choice for d in deputies},
    )


def _read(version) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def test_the_votes_of_a_session_appear_as_a_dataset_without_anyone_uploading_a_file(
    hromada, convocation, deputies, held_session, immediate, django_capture_on_commit_callbacks
):
    # Given a session whose votes are recorded and published by the council's services
    with django_capture_on_commit_callbacks(execute=True):
        events = council_services.vote_events_record(
            actor=SYSTEM,
            meeting=held_session,
            motions=[_vote(held_session, deputies, 1), _vote(held_session, deputies, 2)],
        )
        council_services.vote_events_publish(actor=SYSTEM, meeting=held_session, events=events)
    # Then a public dataset of that session exists with the three tables in three formats
    dataset = Dataset.objects.get(
        generator=Generator.COUNCIL_VOTES, generator_key=str(held_session.pk)
    )
    assert dataset.is_public
    keys = set(dataset.resources.values_list("key", flat=True))
    assert keys == {
        f"{t}.{f}" for t in ("motions", "votings", "deputies") for f in ("csv", "json", "xlsx")
    }
    motions = dataset.resources.get(key="motions.csv").current
    rows = list(csv.DictReader(io.StringIO(_read(motions).decode("utf-8"))))
    assert [row["num"] for row in rows] == ["1", "2"]
    assert rows[0]["votingFor"] == "5"
    assert list(rows[0])[:3] == ["uid", "date", "authorityName"]
    votings = json.loads(_read(dataset.resources.get(key="votings.json").current))
    assert len(votings) == 10 and votings[0]["result"] == "За"
    book = load_workbook(io.BytesIO(_read(dataset.resources.get(key="deputies.xlsx").current)))
    assert [c.value for c in next(book.active.iter_rows())][:2] == ["id", "votingIdentifier"]
    schema = motions.schema
    assert {"name": "votingFor", "type": "integer", "title": "Кількість голосів «за»"} in schema[
        "fields"
    ]
    # And the register of datasets lists it
    register = Dataset.objects.get(generator=Generator.DATASETS)
    listed = _read(register.resources.get(key="datasets.csv").current).decode("utf-8")
    assert dataset.identifier in listed


def test_a_burst_of_changes_enqueues_one_regeneration_per_dataset(
    hromada, convocation, deputies, held_session, dummy, django_capture_on_commit_callbacks
):
    events = council_services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[_vote(held_session, deputies, n) for n in (1, 2, 3)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        for event in events:  # published one by one, as in the hall
            council_services.vote_events_publish(actor=SYSTEM, meeting=held_session, events=[event])
    enqueued = [r.args[0] for r in dummy.results if r.task.name == "regenerate_dataset"]
    votes = Dataset.objects.get(generator=Generator.COUNCIL_VOTES)
    register = Dataset.objects.get(generator=Generator.DATASETS)
    assert sorted(enqueued) == sorted([votes.pk, register.pk])
    # When the worker runs, the next change asks again
    tasks.regenerate_dataset.call(votes.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.regeneration_request(generator=Generator.COUNCIL_VOTES, key=str(held_session.pk))
    enqueued = [r.args[0] for r in dummy.results if r.task.name == "regenerate_dataset"]
    assert enqueued.count(votes.pk) == 2


def test_a_regeneration_without_changes_keeps_no_new_version(
    hromada, convocation, deputies, held_session
):
    events = council_services.vote_events_record(
        actor=SYSTEM, meeting=held_session, motions=[_vote(held_session, deputies, 1)]
    )
    council_services.vote_events_publish(actor=SYSTEM, meeting=held_session, events=events)
    dataset = services.generated_dataset_ensure(
        actor=SYSTEM, generator=Generator.COUNCIL_VOTES, key=str(held_session.pk)
    )
    first = services.dataset_regenerate(actor=SYSTEM, dataset=dataset)
    assert len(first) == 9
    assert services.dataset_regenerate(actor=SYSTEM, dataset=dataset) == []
    # A correction of a vote changes the motions and votings, not the deputies
    council_services.vote_event_correct(
        actor=SYSTEM,
        event=events[0],
        choices={deputies[0].person_id: VoteChoice.AGAINST},
        reason="Збій системи",
    )
    changed = services.dataset_regenerate(actor=SYSTEM, dataset=dataset)
    keys = {v.resource.key for v in changed}
    assert keys == {f"{t}.{f}" for t in ("motions", "votings") for f in ("csv", "json", "xlsx")}
    motions = dataset.resources.get(key="motions.csv")
    assert list(motions.versions.values_list("number", flat=True)) == [2, 1]


def test_the_register_of_acts_of_a_kind_follows_publication(
    hromada, drafts, immediate, django_capture_on_commit_callbacks
):
    kind = ActKind.objects.get(code="draft-council-decision")
    assert not Dataset.objects.filter(generator=Generator.ACTS).exists()  # nothing public yet
    with django_capture_on_commit_callbacks(execute=True):
        act_services.act_publish(actor=SYSTEM, act=drafts[0])
    dataset = Dataset.objects.get(generator=Generator.ACTS, generator_key=kind.code)
    rows = list(
        csv.DictReader(
            io.StringIO(_read(dataset.resources.get(key="acts.csv").current).decode("utf-8"))
        )
    )
    assert [r["title"] for r in rows] == [drafts[0].title]
    assert rows[0]["url"].endswith(f"/acts/{drafts[0].pk}/")
    assert rows[0]["date"] == drafts[0].date.isoformat()


def test_generated_datasets_refuse_uploads(hromada, drafts):
    act_services.act_publish(actor=SYSTEM, act=drafts[0])
    dataset = services.generated_dataset_ensure(
        actor=SYSTEM, generator=Generator.ACTS, key="draft-council-decision"
    )
    from django.core.exceptions import ValidationError

    from ratusha.opendata.files import inspect_upload

    with pytest.raises(ValidationError):
        services.resource_upload(
            actor=SYSTEM, dataset=dataset, inspected=inspect_upload("a.csv", b"a,b\n1,2\n")
        )


def test_a_lost_request_does_not_block_regeneration_forever(hromada, dummy):
    dataset = services.generated_dataset_ensure(actor=SYSTEM, generator=Generator.DATASETS, key="")
    Dataset.objects.filter(pk=dataset.pk).update(
        regeneration_requested_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert services.regeneration_request(generator=Generator.DATASETS, key="")
    assert not services.regeneration_request(generator=Generator.DATASETS, key="")
    assert ResourceVersion.objects.count() == 0


def test_the_same_table_written_later_gives_the_same_xlsx_bytes():
    # openpyxl stamps the time of saving into the workbook; a generated XLSX must not, or an
    # unchanged register would add a version at every regeneration.
    import time

    from ratusha.opendata.generators import TableSpec, _write_xlsx

    def rows():
        return iter([{"name": "=SUM(A1)", "n": 1}, {"name": "Ліцей", "n": 2}])

    table = TableSpec("t", "t", "", ("name", "n"), {"n": "integer"}, {}, rows)
    first, preview, count = _write_xlsx(table)
    time.sleep(1.1)
    second, _preview, _count = _write_xlsx(table)
    assert first.digest.hexdigest() == second.digest.hexdigest()
    assert count == 2 and preview["rows"][0] == ["=SUM(A1)", "1"]
    book = load_workbook(first.path)
    assert book.active["A2"].data_type == "s"  # text, never a formula
