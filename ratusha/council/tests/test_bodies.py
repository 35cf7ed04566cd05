"""Meetings of a standing commission and of the executive committee: their members on the
day vote there and are sent the drafts (members of the executive committee mostly hold no
mandate), votes count against the body's composition, typed or imported, and they show on
the public pages, in the cabinet and in the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.permissions import SYSTEM
from ratusha.core.tests.factories import UserFactory
from ratusha.council import importing, services
from ratusha.council.choices import (
    DeliveryStatus,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
    VoteChoice,
    VoteResult,
)
from ratusha.council.models import Vote, VoteEvent
from ratusha.council.selectors.voters import meeting_voters

pytestmark = pytest.mark.django_db

EXECUTIVE_STAFF = ["Литвин Оксана Богданівна", "Руденко Павло Ігорович", "Савчук Ніна Юріївна"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def commission(convocation, deputies):
    """The budget commission: deputies 1 (chair) and 2 now, deputy 3 until last year."""
    body = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.COMMISSION,
            "convocation": convocation,
            "name": "Постійна комісія з питань бюджету",
        },
    )
    last_year = timezone.localdate() - dt.timedelta(days=365)
    for deputy, role, end in [
        (deputies[0], MembershipRole.CHAIR, None),
        (deputies[1], MembershipRole.MEMBER, None),
        (deputies[2], MembershipRole.MEMBER, last_year),
    ]:
        services.membership_create(
            actor=SYSTEM,
            data={
                "person": deputy.person,
                "organization": body,
                "role": role,
                "start_date": convocation.start_date,
                "end_date": end,
            },
        )
    return body


@pytest.fixture
def executive(convocation, deputies):
    """The executive committee: three people without a mandate and deputy 5."""
    body = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.EXECUTIVE_COMMITTEE,
            "convocation": convocation,
            "name": "Виконавчий комітет",
        },
    )
    members = []
    for index, name in enumerate(EXECUTIVE_STAFF, start=1):
        person = services.person_create(
            actor=SYSTEM, data={"full_name": name, "email": f"executive{index}@example.org"}
        )
        members.append(person)
    members.append(deputies[4].person)
    for person in members:
        services.membership_create(
            actor=SYSTEM,
            data={"person": person, "organization": body, "label": "член виконкому"},
        )
    body.members = members
    return body


def _meeting(convocation, kind, body, days: int, status=MeetingStatus.PLANNED):
    return services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": kind,
            "convocation": convocation,
            "organization": body,
            "number": 1,
            "date": timezone.localdate() + dt.timedelta(days=days),
            "start_time": dt.time(14, 0),
            "status": status,
        },
    )


def _approve(meeting, title="Про бюджет"):
    services.agenda_item_create(actor=SYSTEM, data={"meeting": meeting, "title": title})
    services.agenda_approve(actor=SYSTEM, meeting=meeting)
    return meeting.mailings.get()


def _at(meeting, hour=14, minute=30):
    return timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(hour, minute)))


# Who is sent the drafts ----------------------------------------------------------------------


def test_a_commissions_agenda_goes_to_its_members_on_the_day(
    convocation, deputies, commission, tasks_run_at_once, django_capture_on_commit_callbacks
):
    # Given a planned meeting of the commission
    meeting = _meeting(convocation, MeetingKind.COMMISSION, commission, days=5)

    # When its agenda is approved
    with django_capture_on_commit_callbacks(execute=True):
        mailing = _approve(meeting)

    # Then only its two current members are mailed, not the former member or other deputies
    recipients = {d.person for d in mailing.deliveries.select_related("person")}
    assert recipients == {deputies[0].person, deputies[1].person}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{d.person.full_name} <{d.person.email}>" for d in deputies[:2]
    )


def test_the_executive_committees_agenda_goes_to_its_members_without_a_mandate_too(
    convocation, deputies, executive, tasks_run_at_once, django_capture_on_commit_callbacks
):
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, days=3)

    with django_capture_on_commit_callbacks(execute=True):
        mailing = _approve(meeting)

    assert {d.person for d in mailing.deliveries.all()} == set(executive.members)
    assert set(mailing.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert len(mail.outbox) == 4
    assert any("executive1@example.org" in m.to[0] for m in mail.outbox)
    assert not any(deputies[0].person.email in m.to[0] for m in mail.outbox)


# Who votes -----------------------------------------------------------------------------------


def test_a_commission_vote_counts_against_the_commissions_composition(
    convocation, deputies, commission
):
    # Given yesterday's meeting of the commission, two members on the day
    meeting = _meeting(convocation, MeetingKind.COMMISSION, commission, -1, MeetingStatus.HELD)
    assert [v.person for v in meeting_voters(meeting)] == [d.person for d in deputies[:2]]

    # When both members vote for
    (event,) = services.vote_events_record(
        actor=SYSTEM,
        meeting=meeting,
        motions=[
            services.MotionInput(
                number=1,
                title="Рекомендувати раді підтримати проєкт",
                voted_at=_at(meeting),
                choices={d.person_id: VoteChoice.FOR for d in deputies[:2]},
            )
        ],
        publish=True,
    )

    # Then the majority of the commission's two (not the council's five) adopts it
    assert (event.composition, event.votes_for, event.result) == (2, 2, VoteResult.ADOPTED)
    votes = Vote.objects.filter(event=event).order_by("voter__full_name")
    assert [(v.voter_id, v.deputy_id) for v in votes] == [(d.person_id, d.pk) for d in deputies[:2]]


def test_only_the_bodys_members_in_office_vote_and_each_of_them_must(
    convocation, deputies, commission
):
    meeting = _meeting(convocation, MeetingKind.COMMISSION, commission, -1, MeetingStatus.HELD)
    with pytest.raises(ValidationError) as caught:
        services.vote_events_record(
            actor=SYSTEM,
            meeting=meeting,
            motions=[
                services.MotionInput(
                    number=1,
                    title="Рекомендувати",
                    voted_at=_at(meeting),
                    # the former member and a deputy who never was one; the chair missing
                    choices={
                        deputies[1].person_id: VoteChoice.FOR,
                        deputies[2].person_id: VoteChoice.FOR,
                        deputies[3].person_id: VoteChoice.FOR,
                    },
                )
            ],
        )
    day = meeting.date.strftime("%d.%m.%Y")
    assert caught.value.messages == [
        f"{deputies[2].person.full_name} is not a member of «{commission}» on {day}",
        f"person #{deputies[3].person_id} does not vote at this meeting",
        f"vote № 1 has no choice of {deputies[0].person.full_name}",
    ]
    assert not VoteEvent.objects.exists()


def test_members_of_the_executive_committee_without_a_mandate_vote_there(
    client, convocation, deputies, executive
):
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, -1, MeetingStatus.HELD)
    choices = [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSENT]

    (event,) = services.vote_events_record(
        actor=SYSTEM,
        meeting=meeting,
        motions=[
            services.MotionInput(
                number=1,
                title="Про надання матеріальної допомоги",
                voted_at=_at(meeting, 9),
                choices={p.pk: c for p, c in zip(executive.members, choices, strict=True)},
            )
        ],
        publish=True,
    )

    # Two «for» of four members: no majority of the committee's composition
    assert (event.composition, event.votes_for, event.result) == (4, 2, VoteResult.REJECTED)
    assert Vote.objects.filter(event=event, deputy__isnull=True).count() == 3
    assert Vote.objects.get(event=event, voter=deputies[4].person).deputy == deputies[4]
    # The vote's page names them, each linked to their own page or their deputy's page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(event.get_absolute_url()).content.decode()
    assert EXECUTIVE_STAFF[0] in html
    assert f'href="{executive.members[0].get_absolute_url()}"' in html
    assert f'href="{deputies[4].get_absolute_url()}"' in html
    assert "How each member voted" in html
    # and the deputy's page counts it among their votes
    deputy_page = client.get(deputies[4].get_absolute_url()).content.decode()
    assert "Про надання матеріальної допомоги" in deputy_page


def test_a_vote_typed_in_the_admin_lists_the_bodys_members(
    client, convocation, deputies, executive, department_staff
):
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, -1, MeetingStatus.HELD)
    client.force_login(department_staff)
    url = reverse("council_meetings:vote_entry", args=[meeting.pk])

    form = client.get(url).content.decode()
    assert all(name in form for name in EXECUTIVE_STAFF)
    assert deputies[0].person.full_name not in form  # not a member

    data = {
        "number": "1",
        "title": "Про взяття на квартирний облік",
        "voted_at": timezone.localtime(_at(meeting, 9)).strftime("%d.%m.%Y %H:%M"),
        "agenda_item": "",
        "rule": "composition",
        "publish": "on",
    }
    data.update({f"voter_{person.pk}": VoteChoice.FOR for person in executive.members})
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    event = VoteEvent.objects.get()
    assert (event.composition, event.votes_for, event.result) == (4, 4, VoteResult.ADOPTED)


def _names_csv(meeting, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["№ голосування", "Назва", "Час", "Депутат", "Рішення"])
    when = timezone.localtime(_at(meeting, 9)).strftime("%d.%m.%Y %H:%M")
    for number, title, name, choice in rows:
        writer.writerow([number, title, when, name, choice])
    return out.getvalue().encode()


def test_an_executive_committee_file_is_matched_by_name_and_refuses_strangers(
    convocation, deputies, executive
):
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, -1, MeetingStatus.HELD)
    names = [p.full_name for p in executive.members]
    good = _names_csv(meeting, [(1, "Про допомогу", name, "за") for name in names])

    voting_file = importing.parse_voting_file("vykonkom.csv", good, meeting=meeting)
    assert importing.check(voting_file, actor=SYSTEM, meeting=meeting) == []
    (event,) = importing.record(voting_file, actor=SYSTEM, meeting=meeting)
    assert event.votes_for == 4 and event.composition == 4

    # A deputy who is not a member in place of a member: refused, row by row
    bad = _names_csv(
        meeting,
        [(2, "Про облік", name, "за") for name in names[:3]]
        + [(2, "Про облік", deputies[0].person.full_name, "за")],
    )
    voting_file = importing.parse_voting_file("vykonkom.csv", bad, meeting=meeting)
    errors = importing.check(voting_file, actor=SYSTEM, meeting=meeting)
    assert f"row 5: «{deputies[0].person.full_name}» is not a member of «Виконавчий комітет»" in (
        errors
    )
    assert f"rows 2–5: vote № 2 has no row of the member {names[3]}" in errors
    assert VoteEvent.objects.count() == 1


# The cabinet and the open data ----------------------------------------------------------------


def test_a_member_without_a_mandate_reads_the_committees_drafts_in_the_cabinet(
    client, convocation, deputies, executive, session, drafts
):
    # Given the executive committee's and the council's upcoming meetings, both approved
    exec_draft = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code="draft-executive-decision"),
            "date": timezone.localdate() - dt.timedelta(days=3),
            "title": "Про присвоєння поштової адреси",
            "text": "Присвоїти адресу.",
        },
    )
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, days=2)
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": meeting, "title": exec_draft.title, "draft": exec_draft}
    )
    services.agenda_approve(actor=SYSTEM, meeting=meeting)
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": session, "title": drafts[0].title, "draft": drafts[0]}
    )
    services.agenda_approve(actor=SYSTEM, meeting=session)
    # and a member of the committee without a mandate, given a login
    user = UserFactory(username="rudenko")
    services.person_update(actor=SYSTEM, person=executive.members[1], data={"user": user})
    assert user.groups.filter(name="Депутати").exists()  # may log in to read drafts

    client.force_login(user)
    page = client.get(reverse("council:cabinet"))

    assert page.status_code == 200
    html = page.content.decode()
    assert exec_draft.title in html
    assert drafts[0].title not in html  # the council's session is not their meeting


def test_open_data_of_an_executive_meeting_names_members_without_a_mandate(
    client, convocation, deputies, executive
):
    meeting = _meeting(convocation, MeetingKind.EXECUTIVE, executive, -1, MeetingStatus.HELD)
    services.vote_events_record(
        actor=SYSTEM,
        meeting=meeting,
        motions=[
            services.MotionInput(
                number=1,
                title="Про допомогу",
                voted_at=_at(meeting, 9),
                choices={p.pk: VoteChoice.FOR for p in executive.members},
            )
        ],
        publish=True,
    )

    def table(name):
        url = reverse(
            "council:opendata_meeting", kwargs={"pk": meeting.pk, "table": name, "fmt": "json"}
        )
        response = client.get(url)
        assert response.status_code == 200
        return json.loads(b"".join(response.streaming_content))

    votings = table("votings")
    staff = executive.members[0]
    by_name = {row["voterName"]: row for row in votings}
    assert by_name[staff.full_name]["voterId"] == f"person-{staff.pk}"
    assert by_name[deputies[4].person.full_name]["voterId"] == deputies[4].voting_identifier
    people = {row["votingIdentifier"]: row for row in table("deputies")}
    assert set(people) == {by_name[name]["voterId"] for name in by_name}
    assert people[f"person-{staff.pk}"]["id"] is None
    assert people[deputies[4].voting_identifier]["id"] == deputies[4].pk
