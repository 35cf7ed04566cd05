"""Open data of roll-call votes (motions, votings, deputies as CSV and JSON), the council's
activity report (``period_stats``) and the demo council."""

import csv
import datetime as dt
import io
import json
from collections import Counter
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.models import HromadaSettings
from ratusha.core.permissions import SYSTEM
from ratusha.council import opendata, selectors, services
from ratusha.council.choices import (
    ItemResult,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
    VoteChoice,
)
from ratusha.council.models import (
    AgendaItem,
    Convocation,
    Deputy,
    DraftMailing,
    Meeting,
    Membership,
    Organization,
    Vote,
    VoteEvent,
)
from ratusha.council.rules import totals

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")

MOTION_FIELDS = [
    "uid",
    "date",
    "authorityName",
    "authorityId",
    "convocation",
    "legislativeSession",
    "num",
    "title",
    "projectNum",
    "votingFor",
    "votingAgainst",
    "votingAbstain",
    "notVoting",
    "absent",
    "votingResult",
    "textUrl",
]
VOTING_FIELDS = ["motionUid", "voterId", "voterName", "motionTitle", "result"]
DEPUTY_FIELDS = [
    "id",
    "votingIdentifier",
    "fullName",
    "convocation",
    "faction",
    "district",
    "startDate",
    "endDate",
]


def _at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=KYIV)


@pytest.fixture
def hromada(db):
    site = Site.objects.get(is_default_site=True)
    settings = HromadaSettings.for_site(site)
    settings.council_name = "Вербівська селищна рада"
    settings.edrpou = "04399999"
    settings.save()
    return settings


@pytest.fixture
def voted(hromada, convocation, deputies, held_session, drafts):
    """The 6th session (held yesterday) with a public, numbered draft on its agenda and three
    votes: № 1 and № 2 published, № 3 recorded but not published."""
    kind = ActKind.objects.get(code="draft-council-decision")
    draft = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": kind,
            "number": "245",
            "date": timezone.localdate() - dt.timedelta(days=30),
            "title": "Про встановлення місцевих податків і зборів",
        },
    )
    act_services.act_publish(actor=SYSTEM, act=draft)
    item = services.agenda_item_create(
        actor=SYSTEM,
        data={"meeting": held_session, "title": draft.title, "draft": draft},
    )
    hidden_item = services.agenda_item_create(
        actor=SYSTEM,
        data={"meeting": held_session, "title": drafts[0].title, "draft": drafts[0]},
    )
    d1, d2, d3, d4, d5 = (d.person_id for d in deputies)
    moment = dt.datetime.combine(held_session.date, dt.time(10, 30), tzinfo=KYIV)
    all_five = {
        d1: VoteChoice.FOR,
        d2: VoteChoice.AGAINST,
        d3: VoteChoice.ABSTAIN,
        d4: VoteChoice.NOT_VOTING,
        d5: VoteChoice.ABSENT,
    }
    adopted = {d1: VoteChoice.FOR, d2: VoteChoice.FOR, d3: VoteChoice.FOR}
    adopted.update({d4: VoteChoice.AGAINST, d5: VoteChoice.ABSENT})
    events = services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            services.MotionInput(
                number=1, title="Про порядок денний", voted_at=moment, choices=all_five
            ),
            services.MotionInput(
                number=2,
                title=draft.title,
                voted_at=moment + dt.timedelta(minutes=10),
                choices=adopted,
                agenda_item=item,
            ),
            services.MotionInput(
                number=3,
                title="Неоприлюднене голосування",
                voted_at=moment + dt.timedelta(minutes=20),
                choices=adopted,
                agenda_item=hidden_item,
            ),
        ],
    )
    services.vote_events_publish(actor=SYSTEM, meeting=held_session, events=events[:2])
    faction = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.FACTION,
            "convocation": convocation,
            "name": "Фракція «Громада разом»",
        },
    )
    services.membership_create(
        actor=SYSTEM, data={"person": deputies[0].person, "organization": faction}
    )
    return {"events": events, "draft": draft, "faction": faction}


def _get(client, name, **kwargs):
    response = client.get(reverse(f"council:{name}", kwargs=kwargs))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def _csv(client, name, **kwargs):
    response, text = _get(client, name, fmt="csv", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'-{kwargs["table"]}.csv"')
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def _json(client, name, **kwargs):
    response, text = _get(client, name, fmt="json", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'-{kwargs["table"]}.json"')
    return json.loads(text)


# Motions ------------------------------------------------------------------------------------


def test_motions_csv_of_a_convocation_hold_the_published_votes_in_the_open_format(
    client, voted, held_session
):
    # Given a session with two published votes and one unpublished
    # When the convocation's motions are downloaded as CSV
    fields, rows = _csv(client, "opendata_convocation", number=8, table="motions")
    # Then the header is exactly the format's fields, and only published votes are there
    assert fields == MOTION_FIELDS
    assert [row["num"] for row in rows] == ["1", "2"]
    first, second = rows
    assert first["uid"] == str(voted["events"][0].uid)
    assert first["authorityName"] == "Вербівська селищна рада"
    assert first["authorityId"] == "04399999"
    assert first["convocation"] == "8"
    assert first["legislativeSession"] == "6 сесія VIII скликання"
    assert dt.datetime.fromisoformat(first["date"]) == voted["events"][0].voted_at
    assert (first["votingFor"], first["votingAgainst"], first["votingAbstain"]) == ("1", "1", "1")
    assert (first["notVoting"], first["absent"]) == ("1", "1")
    assert first["votingResult"] == "Не прийнято"
    assert first["projectNum"] == first["textUrl"] == ""
    # the motion on the public draft names its number and links its page
    assert second["votingResult"] == "Прийнято"
    assert second["projectNum"] == "245"
    assert second["textUrl"] == f"http://testserver/acts/{voted['draft'].pk}/"
    assert (second["votingFor"], second["votingAgainst"], second["absent"]) == ("3", "1", "1")


def test_motions_json_of_a_meeting_are_an_array_of_objects_with_numbers(
    client, voted, held_session
):
    motions = _json(client, "opendata_meeting", pk=held_session.pk, table="motions")
    assert [list(motion) for motion in motions] == [MOTION_FIELDS, MOTION_FIELDS]
    assert [motion["num"] for motion in motions] == [1, 2]
    assert motions[1]["convocation"] == 8
    assert motions[1]["votingFor"] == 3
    assert motions[1]["title"] == "Про встановлення місцевих податків і зборів"
    assert motions[1]["votingResult"] == "Прийнято"


# Votings and deputies -------------------------------------------------------------------------


def test_votings_give_each_deputys_choice_in_ukrainian_for_published_votes_only(
    client, voted, deputies
):
    fields, rows = _csv(client, "opendata_convocation", number=8, table="votings")
    assert fields == VOTING_FIELDS
    assert len(rows) == 2 * 5  # two published votes of five deputies
    first_vote = [row for row in rows if row["motionUid"] == str(voted["events"][0].uid)]
    assert {row["voterName"]: row["result"] for row in first_vote} == {
        "Бондаренко Олена Петрівна": "За",
        "Гнатюк Ігор Васильович": "Проти",
        "Ковальчук Марія Іванівна": "Утримався",
        "Мельник Андрій Сергійович": "Не голосував",
        "Шевчук Тарас Миколайович": "Відсутній",
    }
    assert {row["voterId"] for row in first_vote} == {"D01", "D02", "D03", "D04", "D05"}
    assert {row["motionTitle"] for row in first_vote} == {"Про порядок денний"}
    assert str(voted["events"][2].uid) not in {row["motionUid"] for row in rows}

    as_json = _json(client, "opendata_convocation", number=8, table="votings")
    assert [list(row) for row in as_json] == [VOTING_FIELDS] * 10
    assert as_json == rows  # all text, the same rows


def test_deputies_table_has_the_voting_identifier_and_the_faction(client, voted, deputies):
    fields, rows = _csv(client, "opendata_convocation", number=8, table="deputies")
    assert fields == DEPUTY_FIELDS
    assert len(rows) == 5
    first = rows[0]
    assert first["fullName"] == "Бондаренко Олена Петрівна"
    assert first["votingIdentifier"] == "D01"
    assert first["id"] == str(deputies[0].pk)
    assert first["convocation"] == "8"
    assert first["faction"] == "Фракція «Громада разом»"
    assert first["district"] == "Округ № 1"
    assert (first["startDate"], first["endDate"]) == ("2020-11-20", "")
    assert rows[1]["faction"] == ""

    as_json = _json(client, "opendata_meeting", pk=voted["events"][0].meeting_id, table="deputies")
    assert [row["votingIdentifier"] for row in as_json] == ["D01", "D02", "D03", "D04", "D05"]
    assert as_json[0]["id"] == deputies[0].pk


def test_a_meetings_files_hold_only_its_own_votes(client, voted, convocation, deputies):
    # Given another session of the convocation with one published vote
    other = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 5,
            "date": timezone.localdate() - dt.timedelta(days=30),
            "status": MeetingStatus.HELD,
        },
    )
    services.vote_events_record(
        actor=SYSTEM,
        meeting=other,
        motions=[
            services.MotionInput(
                number=1,
                title="Інше питання",
                voted_at=timezone.now() - dt.timedelta(days=30),
                choices={d.person_id: VoteChoice.FOR for d in deputies},
            )
        ],
        publish=True,
    )
    # Then each session's file has its own votes, and the convocation's has all of them
    _, mine = _csv(client, "opendata_meeting", pk=voted["events"][0].meeting_id, table="motions")
    _, theirs = _csv(client, "opendata_meeting", pk=other.pk, table="votings")
    _, everything = _csv(client, "opendata_convocation", number=8, table="motions")
    assert [row["title"] for row in mine] == ["Про порядок денний", voted["draft"].title]
    assert {row["motionTitle"] for row in theirs} == {"Інше питання"}
    assert len(theirs) == 5
    assert [row["title"] for row in everything] == [
        "Інше питання",
        "Про порядок денний",
        voted["draft"].title,
    ]


def test_unknown_convocation_meeting_table_or_format_is_404(client, voted, session):
    assert client.get("/council/opendata/convocations/9/motions.csv").status_code == 404
    assert client.get("/council/opendata/convocations/8/acts.csv").status_code == 404
    assert client.get("/council/opendata/convocations/8/motions.xml").status_code == 404
    assert client.get("/council/opendata/meetings/999999/motions.csv").status_code == 404
    # a meeting without published votes is not open data (yet)
    url = reverse(
        "council:opendata_meeting", kwargs={"pk": session.pk, "table": "motions", "fmt": "csv"}
    )
    assert client.get(url).status_code == 404


def test_open_data_page_lists_the_downloads(client, voted, held_session, session):
    response = client.get(reverse("council:opendata"))
    assert response.status_code == 200
    page = response.content.decode()
    for table in ("motions", "votings", "deputies"):
        for fmt in ("csv", "json"):
            convocation_url = reverse(
                "council:opendata_convocation", kwargs={"number": 8, "table": table, "fmt": fmt}
            )
            meeting_url = reverse(
                "council:opendata_meeting",
                kwargs={"pk": held_session.pk, "table": table, "fmt": fmt},
            )
            assert f'href="{convocation_url}"' in page
            assert f'href="{meeting_url}"' in page
    # the planned session has no published votes: no downloads for it
    assert f"/council/opendata/meetings/{session.pk}/" not in page
    assert "<h1>" in page and 'aria-current="page"' in page


def _file_links(page: str, name: str, **kwargs) -> list[str]:
    """The six download addresses of a scope that ``page`` links to."""
    urls = [
        reverse(f"council:{name}", kwargs={**kwargs, "table": table, "fmt": fmt})
        for table in ("motions", "votings", "deputies")
        for fmt in ("csv", "json")
    ]
    return [url for url in urls if f'href="{url}"' in page]


def test_a_meetings_page_links_its_votes_as_open_data(client, voted, held_session, session):
    # Given a session with published votes and a planned one without any
    # When their pages are opened
    held_page = client.get(held_session.get_absolute_url()).content.decode()
    planned_page = client.get(session.get_absolute_url()).content.decode()

    # Then the held session links its six files (each of which downloads) and the open-data
    # page; the planned one offers no files that would answer 404
    links = _file_links(held_page, "opendata_meeting", pk=held_session.pk)
    assert len(links) == 6
    assert all(client.get(url).status_code == 200 for url in links)
    assert f'href="{reverse("council:opendata")}"' in held_page
    assert _file_links(planned_page, "opendata_meeting", pk=session.pk) == []


def test_the_council_and_convocation_pages_link_the_convocations_open_data(client, voted):
    for url in (reverse("council:index"), reverse("council:convocation", args=[8])):
        page = client.get(url).content.decode()
        assert len(_file_links(page, "opendata_convocation", number=8)) == 6, url
        assert f'href="{reverse("council:opendata")}"' in page, url


def test_writers_stream_in_pieces_and_keep_formulas_out_of_spreadsheets():
    records = [{"title": "=SUM(A1)", "num": 1}] * 1200
    pieces = list(opendata.write_csv(iter(records), ("num", "title")))
    assert len(pieces) > 2  # header, then chunks
    rows = list(csv.reader(io.StringIO("".join(pieces))))
    assert rows[0] == ["num", "title"] and rows[1] == ["1", "'=SUM(A1)"]
    parsed = json.loads("".join(opendata.write_json(iter(records), ("num", "title"))))
    assert len(parsed) == 1200 and parsed[0] == {"num": 1, "title": "=SUM(A1)"}
    assert json.loads("".join(opendata.write_json(iter([]), ("num",)))) == []


# Activity report ----------------------------------------------------------------------------


def test_period_stats_counts_meetings_items_decisions_votes_and_attendance(convocation, deputies):
    d1, d2, d3, d4, d5 = (d.pk for d in deputies)
    p1, p2, p3, p4, p5 = (d.person_id for d in deputies)

    def meeting(number, day, status=MeetingStatus.HELD, kind=MeetingKind.SESSION, body=None):
        return services.meeting_create(
            actor=SYSTEM,
            data={
                "kind": kind,
                "convocation": convocation,
                "organization": body,
                "number": number,
                "date": day,
                "status": status,
            },
        )

    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 20, 9)):
        # Given, in March 2025: the 10th session held over two sittings…
        march = meeting(10, dt.date(2025, 3, 20))
        services.sitting_create(
            actor=SYSTEM,
            data={
                "meeting": march,
                "number": 2,
                "date": dt.date(2025, 3, 21),
                "status": MeetingStatus.HELD,
            },
        )
        # …an extraordinary 11th session, a commission meeting, a cancelled session
        extra = meeting(11, dt.date(2025, 3, 27))
        commission = services.organization_create(
            actor=SYSTEM,
            data={
                "kind": OrganizationKind.COMMISSION,
                "convocation": convocation,
                "name": "Комісія з питань бюджету",
            },
        )
        meeting(1, dt.date(2025, 3, 18), kind=MeetingKind.COMMISSION, body=commission)
        meeting(12, dt.date(2025, 3, 31), status=MeetingStatus.CANCELLED)
        # and the 13th session held in April
        april = meeting(13, dt.date(2025, 4, 10))
        results = [ItemResult.ADOPTED, ItemResult.ADOPTED, ItemResult.REJECTED, ItemResult.PENDING]
        for position, result in enumerate(results, start=1):
            services.agenda_item_create(
                actor=SYSTEM,
                data={"meeting": march, "title": f"Питання {position}", "result": result},
            )
        services.agenda_item_create(
            actor=SYSTEM,
            data={"meeting": extra, "title": "Позачергове", "result": ItemResult.ADOPTED},
        )
        services.agenda_item_create(
            actor=SYSTEM,
            data={"meeting": april, "title": "Квітневе", "result": ItemResult.ADOPTED},
        )

    everyone_for = {p: VoteChoice.FOR for p in (p1, p2, p3, p4, p5)}
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 20, 12)):
        # two votes on the 20th, published the same day: on time; d5 absent from one
        services.vote_events_record(
            actor=SYSTEM,
            meeting=march,
            motions=[
                services.MotionInput(1, "Перше", _at(2025, 3, 20, 10), everyone_for),
                services.MotionInput(
                    2, "Друге", _at(2025, 3, 20, 11), {**everyone_for, p5: VoteChoice.ABSENT}
                ),
            ],
            publish=True,
        )
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 27, 12)):
        services.vote_events_record(
            actor=SYSTEM,
            meeting=extra,
            motions=[
                services.MotionInput(
                    1, "Третє", _at(2025, 3, 27, 10), {**everyone_for, p4: VoteChoice.ABSENT}
                )
            ],
        )
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 28, 9)):
        # published the next day: late
        services.vote_events_publish(actor=SYSTEM, meeting=extra)
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 4, 10, 12)):
        services.vote_events_record(
            actor=SYSTEM,
            meeting=april,
            motions=[services.MotionInput(1, "Квітневе", _at(2025, 4, 10, 10), everyone_for)],
            publish=True,
        )

    # When the report asks for March
    stats = selectors.period_stats(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    # Then
    assert stats["sessions_held"] == 2
    assert stats["meetings_held"] == {"session": 2, "commission": 1, "executive": 0}
    assert stats["sittings_held"] == 3
    assert stats["agenda_items"] == 5
    assert stats["items_considered"] == 4
    assert stats["decisions_adopted"] == 3
    assert stats["votes_published"] == 3
    assert (stats["votes_published_on_time"], stats["votes_published_late"]) == (2, 1)
    attendance = stats["attendance"]
    assert list(attendance) == [d1, d2, d3, d4, d5]  # by name
    assert attendance[d1] == {
        "name": "Бондаренко Олена Петрівна",
        "convocation": 8,
        "votes": 3,
        "present": 3,
        "absent": 0,
    }
    assert (attendance[d4]["present"], attendance[d4]["absent"]) == (2, 1)
    assert (attendance[d5]["present"], attendance[d5]["absent"]) == (2, 1)

    april_stats = selectors.period_stats(dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert april_stats["sessions_held"] == 1 and april_stats["votes_published"] == 1
    assert april_stats["decisions_adopted"] == 1
    assert april_stats["attendance"][d1]["votes"] == 1


# The demo council ---------------------------------------------------------------------------


def test_small_demo_builds_a_consistent_council(client):
    call_command("demo_hromada", scale="small", seed=7, today=timezone.localdate().isoformat())

    convocation = Convocation.objects.get()
    assert (convocation.number, convocation.start_date) == (8, dt.date(2020, 11, 20))
    deputies = list(Deputy.objects.select_related("person"))
    assert len(deputies) == convocation.composition - 1  # the head completes the composition
    assert all(d.voting_identifier for d in deputies)
    assert all(d.person.email.endswith("@example.org") for d in deputies)
    bodies = Counter(Organization.objects.values_list("kind", flat=True))
    assert bodies[OrganizationKind.FACTION] in (3, 4)
    assert bodies[OrganizationKind.COMMISSION] in (4, 5)
    assert bodies[OrganizationKind.EXECUTIVE_COMMITTEE] == 1
    for commission in Organization.objects.filter(kind=OrganizationKind.COMMISSION):
        roles = set(commission.memberships.values_list("role", flat=True))
        assert {MembershipRole.CHAIR, MembershipRole.SECRETARY} <= roles
    deputy_people = {d.person_id for d in deputies}
    executive = Membership.objects.filter(organization__kind=OrganizationKind.EXECUTIVE_COMMITTEE)
    assert executive.exclude(person_id__in=deputy_people).exclude(label="").count() >= 3

    assert 0 < Deputy.objects.filter(person__photo__isnull=False).count() < len(deputies)

    sessions = Meeting.objects.filter(kind=MeetingKind.SESSION)
    assert sessions.filter(status=MeetingStatus.HELD).count() == 8
    # Every meeting held (a few working days ago at least) has its minutes, of its kind
    held = Meeting.objects.filter(
        status=MeetingStatus.HELD, date__lt=timezone.localdate() - dt.timedelta(days=7)
    )
    assert held.filter(minutes__isnull=True).count() == 0
    for meeting in held.select_related("minutes__kind"):
        assert meeting.minutes.kind.code == services.MINUTES_KINDS[meeting.kind]
    # The commissions' and the executive committee's members voted at their meetings
    for kind in (MeetingKind.COMMISSION, MeetingKind.EXECUTIVE):
        assert VoteEvent.objects.filter(meeting__kind=kind, published_at__isnull=False).exists()
    assert Vote.objects.filter(
        event__meeting__kind=MeetingKind.EXECUTIVE, deputy__isnull=True
    ).exists()
    assert Meeting.objects.filter(kind=MeetingKind.COMMISSION).exists()
    assert Meeting.objects.filter(kind=MeetingKind.EXECUTIVE, status=MeetingStatus.HELD).exists()
    upcoming = sessions.get(status=MeetingStatus.PLANNED)
    assert upcoming.date > timezone.localdate()
    assert upcoming.agenda_status == "approved"
    mailing = DraftMailing.objects.get(meeting=upcoming)
    assert mailing.deliveries.count() == len(deputies)
    items = AgendaItem.objects.filter(meeting__kind=MeetingKind.SESSION)
    assert items.filter(draft__isnull=False).count() >= 8 * 5
    adopted = items.filter(result=ItemResult.ADOPTED)
    assert adopted.exists()
    assert not adopted.filter(decision__isnull=True).exists()

    # Every vote event's totals are its votes', and every deputy in office voted in it
    events = list(VoteEvent.objects.filter(meeting__kind=MeetingKind.SESSION))
    assert len(events) >= 8 * 6
    votes: dict[int, list[tuple[int, str]]] = {event.pk: [] for event in events}
    for event_id, deputy_id, choice in Vote.objects.filter(
        event__meeting__kind=MeetingKind.SESSION
    ).values_list("event_id", "deputy_id", "choice"):
        votes[event_id].append((deputy_id, choice))
    for event in events:
        counted = totals(choice for _deputy, choice in votes[event.pk])
        assert counted == {
            "votes_for": event.votes_for,
            "votes_against": event.votes_against,
            "votes_abstain": event.votes_abstain,
            "votes_not_voting": event.votes_not_voting,
            "votes_absent": event.votes_absent,
        }
        on = timezone.localdate(event.voted_at)
        in_office = Deputy.objects.filter(
            convocation_id=event.meeting.convocation_id, start_date__lte=on
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        assert {deputy for deputy, _choice in votes[event.pk]} == set(
            in_office.values_list("pk", flat=True)
        )
        # published on the day of the vote, or flagged late
        assert event.published_at is not None
        assert event.published_late == (
            timezone.localdate(event.published_at) > timezone.localdate(event.voted_at)
        )
    assert (
        Counter(choice for rows in votes.values() for _d, choice in rows).most_common(1)[0][0]
        == VoteChoice.FOR
    )

    # and the whole of it comes out as open data
    _fields, rows = _csv(client, "opendata_convocation", number=8, table="votings")
    assert len(rows) == Vote.objects.filter(event__published_at__isnull=False).count()
    assert len(rows) > sum(len(rows) for rows in votes.values())  # the bodies' votes too
