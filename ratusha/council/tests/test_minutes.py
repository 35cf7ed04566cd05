"""Minutes of a meeting: an act of the minutes kind that fits the meeting — a session's, a
standing commission's or the executive committee's — attached through the service and the
admin, shown on the meeting's page once published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM
from ratusha.council import services
from ratusha.council.choices import MeetingKind, MeetingStatus, OrganizationKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _act(code: str, title: str, *, publish: bool = True):
    act = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code=code),
            "number": "3",
            "date": timezone.localdate() - dt.timedelta(days=2),
            "title": title,
        },
    )
    return act_services.act_publish(actor=SYSTEM, act=act) if publish else act


@pytest.fixture
def commission_meeting(convocation):
    body = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.COMMISSION,
            "convocation": convocation,
            "name": "Постійна комісія з питань бюджету",
        },
    )
    return services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.COMMISSION,
            "convocation": convocation,
            "organization": body,
            "number": 3,
            "date": timezone.localdate() - dt.timedelta(days=2),
            "status": MeetingStatus.HELD,
        },
    )


def test_a_commission_meeting_takes_a_commissions_minutes(client, commission_meeting):
    # Given the commission's minutes, registered and published
    minutes = _act("commission-minutes", "Протокол засідання постійної комісії № 3")

    # When they are attached to its meeting
    meeting = services.meeting_update(
        actor=SYSTEM, meeting=commission_meeting, data={"minutes": minutes}
    )

    # Then the meeting has them, the change is audited, the public page links them
    assert meeting.minutes == minutes
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk), action="update").latest("pk")
    assert entry.changes["minutes_id"] == [None, minutes.pk]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{minutes.get_absolute_url()}"' in html


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("council-decision", "Рішення про бюджет"),  # not minutes at all
        ("session-minutes", "Протокол сесії"),  # another kind of meeting's minutes
    ],
)
def test_an_act_that_is_not_this_meetings_kind_of_minutes_is_refused(
    commission_meeting, code, title
):
    act = _act(code, title)

    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=SYSTEM, meeting=commission_meeting, data={"minutes": act})

    assert "Протокол засідання постійної комісії" in caught.value.message_dict["minutes"][0]
    commission_meeting.refresh_from_db()
    assert commission_meeting.minutes is None


def test_a_session_refuses_the_executive_committees_minutes(held_session):
    act = _act("executive-minutes", "Протокол засідання виконкому")
    with pytest.raises(ValidationError, match="minutes"):
        services.meeting_update(actor=SYSTEM, meeting=held_session, data={"minutes": act})
    session_minutes = _act("session-minutes", "Протокол 6 сесії")
    updated = services.meeting_update(
        actor=SYSTEM, meeting=held_session, data={"minutes": session_minutes}
    )
    assert updated.minutes == session_minutes


def test_the_admin_offers_every_kind_of_minutes_and_saves_a_commissions(
    client, commission_meeting, department_staff
):
    minutes = _act("commission-minutes", "Протокол засідання комісії № 3")
    session_minutes = _act("session-minutes", "Протокол 6 сесії")
    decision = _act("council-decision", "Рішення про бюджет")
    client.force_login(department_staff)
    url = reverse("council_meetings:edit", args=[commission_meeting.pk])

    form = client.get(url).content.decode()
    assert minutes.title in form and session_minutes.title in form
    assert decision.title not in form

    data = {
        "kind": commission_meeting.kind,
        "convocation": commission_meeting.convocation_id,
        "organization": commission_meeting.organization_id,
        "number": commission_meeting.number,
        "title": commission_meeting.title,
        "date": commission_meeting.date.strftime("%d.%m.%Y"),
        "status": commission_meeting.status,
        "minutes": session_minutes.pk,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form again, with the service's reason
    commission_meeting.refresh_from_db()
    assert commission_meeting.minutes is None

    saved = client.post(url, {**data, "minutes": minutes.pk})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    commission_meeting.refresh_from_db()
    assert commission_meeting.minutes == minutes
