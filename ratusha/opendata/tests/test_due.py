"""Staying current: next-due dates, the staff's board of overdue and due-soon datasets, the
daily e-mail digest, and the statistics for the activity report (fixed dates)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core import mail

from ratusha.core.permissions import SYSTEM
from ratusha.core.scheduling import DAILY_TASKS
from ratusha.opendata import selectors, services
from ratusha.opendata.choices import UpdateFrequency
from ratusha.opendata.files import inspect_upload
from ratusha.opendata.models import Dataset, ResourceVersion
from ratusha.opendata.notifications import send_due_digest

from .conftest import SCHOOLS, csv_bytes, passport

KYIV = ZoneInfo("Europe/Kyiv")


def _dataset(identifier, frequency, updated: dt.date, holder=None):
    item = services.dataset_create(
        actor=SYSTEM,
        data=passport(
            title=identifier, identifier=identifier, update_frequency=frequency, holder=holder
        ),
        publish=True,
    )
    services.resource_upload(
        actor=SYSTEM, dataset=item, inspected=inspect_upload("s.csv", csv_bytes(SCHOOLS))
    )
    moment = dt.datetime.combine(updated, dt.time(10), tzinfo=KYIV)
    from ratusha.opendata.choices import next_due

    Dataset.objects.filter(pk=item.pk).update(
        published_at=moment, data_modified_at=moment, next_due=next_due(frequency, updated)
    )
    ResourceVersion.objects.filter(resource__dataset=item).update(created_at=moment)
    return item


def test_the_board_shows_overdue_and_due_soon_datasets(hromada, unit, other_unit):
    today = dt.date(2025, 6, 16)
    _dataset("late", UpdateFrequency.MONTHLY, dt.date(2025, 5, 1), unit)  # due 01.06
    _dataset("soon", UpdateFrequency.MONTHLY, dt.date(2025, 5, 20), other_unit)  # due 20.06
    _dataset("fine", UpdateFrequency.YEARLY, dt.date(2025, 5, 20), unit)  # due 2026
    _dataset("stream", UpdateFrequency.ON_CHANGE, dt.date(2020, 1, 1), unit)  # no due date
    board = selectors.due_board(today=today)
    assert [d.identifier for d in board.overdue] == ["late"]
    assert [d.identifier for d in board.due_soon] == ["soon"]
    mine = selectors.due_board(today=today, unit_id=other_unit.pk)
    assert mine.overdue == [] and [d.identifier for d in mine.due_soon] == ["soon"]


def test_staff_see_the_overdue_datasets_in_the_admin(client, department_staff, hromada, unit):
    _dataset("late", UpdateFrequency.WEEKLY, dt.date(2020, 1, 1), unit)
    client.force_login(department_staff)
    page = client.get("/admin/opendata-due/")
    assert page.status_code == 200
    assert "late" in page.content.decode()


def test_the_digest_mails_staff_all_and_unit_editors_their_own(
    hromada, department_staff, unit_editor, unit, other_unit
):
    today = dt.date(2025, 6, 16)
    _dataset("late-own", UpdateFrequency.MONTHLY, dt.date(2025, 5, 1), unit)
    _dataset("late-other", UpdateFrequency.MONTHLY, dt.date(2025, 5, 1), other_unit)
    assert send_due_digest(today=today) == 2
    by_user = {m.to[0]: m.body for m in mail.outbox}
    assert "late-own" in by_user[department_staff.email]
    assert "late-other" in by_user[department_staff.email]
    assert "late-own" in by_user[unit_editor.email]
    assert "late-other" not in by_user[unit_editor.email]
    assert "16.06.2025" in mail.outbox[0].subject


def test_the_digest_runs_daily():
    assert "ratusha.opendata.tasks:due_digest" in DAILY_TASKS


def test_period_stats_counts_publications_updates_and_missed_deadlines(hromada, unit):
    # Monthly, published 01.01.2025; updated 20.01 (on time), then not until 15.03: the update
    # due 20.02 was missed.
    item = _dataset("monthly", UpdateFrequency.MONTHLY, dt.date(2025, 1, 1), unit)
    resource = item.resources.get()
    for day, rows in ((dt.date(2025, 1, 20), 1), (dt.date(2025, 3, 15), 2)):
        version = services.resource_replace(
            actor=SYSTEM,
            resource=resource,
            inspected=inspect_upload("s.csv", csv_bytes(SCHOOLS[: 1 + rows])),
        )
        ResourceVersion.objects.filter(pk=version.pk).update(
            created_at=dt.datetime.combine(day, dt.time(9), tzinfo=KYIV)
        )
    from django.utils import timezone

    Dataset.objects.filter(pk=item.pk).update(metadata_created_at=timezone.now())
    from ratusha.opendata.models import Resource

    Resource.objects.filter(pk=resource.pk).update(
        created_at=dt.datetime(2025, 1, 1, 10, tzinfo=KYIV)
    )
    q1 = selectors.period_stats(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert q1["datasets_published"] == 1
    assert q1["resources_published"] == 1
    assert q1["file_versions"] == 2
    assert q1["overdue_updates"] == 1
    february = selectors.period_stats(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert february["overdue_updates"] == 1 and february["file_versions"] == 0
    january = selectors.period_stats(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert january["overdue_updates"] == 0
