"""The demo generators: the ``large`` scale's shape, built in miniature (the benchmarks build
it full size: see bench/bench_council_deputy_page.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from django.db.models import Count
from django.urls import reverse

from ratusha.core.demo_support import DemoContext
from ratusha.council.choices import MeetingKind, VoteChoice
from ratusha.council.demo import CONVOCATION_START
from ratusha.council.demo.large import generate_large
from ratusha.council.models import AgendaItem, Deputy, Meeting, Vote, VoteEvent
from ratusha.council.rules import totals
from ratusha.council.services import MINUTES_KINDS

pytestmark = pytest.mark.django_db

DEPUTIES = 6
SESSIONS = (
    (7, dt.date(2015, 11, 20), dt.date(2020, 11, 19), 3, 12),
    (8, CONVOCATION_START, None, 4, 20),
)


@pytest.fixture
def large(db):
    ctx = DemoContext(scale="large", seed=11, today=dt.date(2026, 11, 20))
    return generate_large(
        ctx, deputies=DEPUTIES, convocations=SESSIONS, reelected=2, executive_every_days=365
    )


def test_the_large_demo_has_the_shape_of_a_council(client, large):
    # Sessions hold the votes asked for, each deputy in each
    session_votes = Vote.objects.filter(event__meeting__kind=MeetingKind.SESSION)
    assert VoteEvent.objects.filter(meeting__kind=MeetingKind.SESSION).count() == 12 + 20
    assert session_votes.count() == (12 + 20) * DEPUTIES
    assert large["votes"] == Vote.objects.count()

    # Every event's totals are its rows', every voter once, all published
    rows: dict[int, list[str]] = {}
    for event_id, choice in Vote.objects.values_list("event_id", "choice"):
        rows.setdefault(event_id, []).append(choice)
    for event in VoteEvent.objects.all():
        assert totals(rows[event.pk]) == {
            "votes_for": event.votes_for,
            "votes_against": event.votes_against,
            "votes_abstain": event.votes_abstain,
            "votes_not_voting": event.votes_not_voting,
            "votes_absent": event.votes_absent,
        }
        assert event.published_at is not None
    assert Counter(c for cs in rows.values() for c in cs).most_common(1)[0][0] == VoteChoice.FOR

    # Commissions and the executive committee met and voted; its staff without a mandate
    for kind in (MeetingKind.COMMISSION, MeetingKind.EXECUTIVE):
        assert VoteEvent.objects.filter(meeting__kind=kind).exists(), kind
    executive = Vote.objects.filter(event__meeting__kind=MeetingKind.EXECUTIVE)
    assert executive.filter(deputy__isnull=True).exists()
    assert executive.filter(deputy__isnull=False).exists()
    commission = Vote.objects.filter(event__meeting__kind=MeetingKind.COMMISSION)
    assert not commission.filter(deputy__isnull=True).exists()
    for event in VoteEvent.objects.exclude(meeting__kind=MeetingKind.SESSION).annotate(
        n=Count("votes")
    ):
        assert event.composition == event.n

    # Most session items carry a published, numbered draft; every meeting has its minutes
    items = AgendaItem.objects.filter(meeting__kind=MeetingKind.SESSION)
    drafted = items.filter(draft__isnull=False, draft__published_at__isnull=False)
    assert drafted.exclude(draft__number="").count() >= items.count() // 2
    for meeting in Meeting.objects.select_related("minutes__kind"):
        assert meeting.minutes.kind.code == MINUTES_KINDS[meeting.kind]

    # and the open data's motions carry the drafts' numbers and addresses
    response = client.get(
        reverse(
            "council:opendata_convocation", kwargs={"number": 8, "table": "motions", "fmt": "csv"}
        )
    )
    motions = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert any(m["projectNum"] and m["textUrl"].startswith("http") for m in motions)

    # A deputy's page renders over it
    deputy = Deputy.objects.filter(convocation__number=8).first()
    assert client.get(deputy.get_absolute_url()).status_code == 200
