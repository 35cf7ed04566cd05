import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ratusha.core.models import AuditEntry
from ratusha.core.permissions import SYSTEM, RecordPermissionDenied
from ratusha.council import rules, services
from ratusha.council.choices import (
    AgendaStatus,
    DeliveryStatus,
    MeetingKind,
    OrganizationKind,
    VoteChoice,
    VoteResult,
    VoteRule,
)
from ratusha.council.models import Delivery, Vote, VoteEvent
from ratusha.council.services import MotionInput


def test_session_title_and_first_sitting(session):
    assert session.title == "7 сесія VIII скликання"
    sitting = session.sittings.get()
    assert sitting.date == session.date and sitting.number == 1


def test_session_number_is_unique_in_convocation(session, convocation):
    with pytest.raises(ValidationError, match="вже зареєстровано|already registered"):
        services.meeting_create(
            actor=SYSTEM,
            data={
                "kind": MeetingKind.SESSION,
                "convocation": convocation,
                "number": 7,
                "date": session.date,
            },
        )


def test_commission_meeting_needs_its_body(convocation):
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=SYSTEM,
            data={
                "kind": MeetingKind.COMMISSION,
                "convocation": convocation,
                "number": 1,
                "date": dt.date(2025, 1, 10),
            },
        )
    commission = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.COMMISSION,
            "convocation": convocation,
            "name": "Постійна комісія з питань бюджету",
        },
    )
    meeting = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.COMMISSION,
            "convocation": convocation,
            "organization": commission,
            "number": 1,
            "date": dt.date(2025, 1, 10),
        },
    )
    assert "бюджету" in meeting.title
    assert not meeting.sittings.exists()


def test_unit_editor_cannot_touch_the_council(unit_editor, convocation):
    with pytest.raises(RecordPermissionDenied):
        services.person_create(actor=unit_editor, data={"full_name": "Хтось"})


def test_voting_identifier_unique_within_convocation(deputies, convocation):
    person = services.person_create(actor=SYSTEM, data={"full_name": "Новий Депутат"})
    with pytest.raises(ValidationError, match="D01"):
        services.deputy_create(
            actor=SYSTEM,
            data={
                "person": person,
                "convocation": convocation,
                "voting_identifier": "D01",
                "start_date": convocation.start_date,
            },
        )


def test_approving_the_agenda_mails_every_deputy(
    session, deputies, drafts, django_capture_on_commit_callbacks
):
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": session, "title": drafts[0].title, "draft": drafts[0]}
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.agenda_approve(actor=SYSTEM, meeting=session)
    session.refresh_from_db()
    assert session.agenda_status == AgendaStatus.APPROVED and session.agenda_revision == 1
    mailing = session.mailings.get()
    assert mailing.deliveries.count() == 5
    assert set(mailing.deliveries.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}

    # A change of an approved agenda is a new revision, sent again.
    with django_capture_on_commit_callbacks(execute=False):
        item = services.agenda_item_create(
            actor=SYSTEM, data={"meeting": session, "title": drafts[1].title, "draft": drafts[1]}
        )
    assert item.position == 2
    session.refresh_from_db()
    assert session.agenda_revision == 2
    assert session.mailings.count() == 2
    # A change that deputies need not hear about (the result) sends nothing.
    with django_capture_on_commit_callbacks(execute=False):
        services.agenda_item_update(actor=SYSTEM, item=item, data={"commission_conclusion": "x"})
    assert session.mailings.count() == 2
    assert Delivery.objects.count() == 10


def test_empty_agenda_is_not_approved(session, deputies):
    with pytest.raises(ValidationError):
        services.agenda_approve(actor=SYSTEM, meeting=session)  # empty agenda


def _motion(deputies, when, choices, number=1, **kwargs):
    return MotionInput(
        number=number,
        title="Про затвердження порядку денного",
        voted_at=when,
        choices={d.person_id: c for d, c in zip(deputies, choices, strict=True)},
        **kwargs,
    )


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        (["for", "for", "for", "against", "absent"], VoteResult.ADOPTED),
        (["for", "for", "abstain", "not_voting", "absent"], VoteResult.REJECTED),
    ],
)
def test_vote_totals_and_majority_of_composition(held_session, deputies, choices, expected):
    when = timezone.now() - dt.timedelta(hours=1)
    when = max(when, timezone.make_aware(dt.datetime.combine(held_session.date, dt.time(11))))
    (event,) = services.vote_events_record(
        actor=SYSTEM, meeting=held_session, motions=[_motion(deputies, when, choices)]
    )
    assert event.result == expected
    assert (
        event.votes_for
        + event.votes_against
        + event.votes_abstain
        + event.votes_not_voting
        + event.votes_absent
    ) == 5
    assert Vote.objects.filter(event=event).count() == 5
    assert AuditEntry.objects.filter(object_id=str(event.pk)).exists()


def test_rules():
    counts = rules.totals(["for"] * 14 + ["against"] * 2 + ["absent"] * 10)
    assert rules.result(VoteRule.MAJORITY_OF_COMPOSITION, composition=27, counts=counts) == (
        VoteResult.ADOPTED
    )
    assert rules.result(VoteRule.TWO_THIRDS_OF_COMPOSITION, composition=27, counts=counts) == (
        VoteResult.REJECTED
    )
    assert rules.votes_needed(VoteRule.MAJORITY_OF_PRESENT, composition=27, present=16) == 9


def test_future_vote_and_unknown_choice_are_refused_and_nothing_saved(held_session, deputies):
    future = timezone.now() + dt.timedelta(days=2)
    bad = [
        _motion(deputies, timezone.now(), ["for"] * 5, number=1),
        _motion(deputies, future, ["for"] * 5, number=2, where="рядки 7–11"),
        _motion(deputies, timezone.now(), ["for"] * 4 + ["так"], number=3),
    ]
    with pytest.raises(ValidationError) as caught:
        services.vote_events_record(actor=SYSTEM, meeting=held_session, motions=bad)
    text = " ".join(caught.value.messages)
    assert "рядки 7–11" in text and "«так»" in text
    assert not VoteEvent.objects.exists()


def test_declared_totals_must_match(held_session, deputies):
    motion = _motion(
        deputies,
        timezone.now(),
        ["for"] * 5,
        declared_totals={"votes_for": 4},
    )
    with pytest.raises(ValidationError, match="4"):
        services.vote_events_record(actor=SYSTEM, meeting=held_session, motions=[motion])


def test_publication_on_the_day_and_late(held_session, deputies):
    voted = timezone.now() - dt.timedelta(days=1)
    voted = max(voted, timezone.make_aware(dt.datetime.combine(held_session.date, dt.time(12))))
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[_motion(deputies, voted, ["for"] * 5)],
    )
    assert services.vote_events_publish(actor=SYSTEM, meeting=held_session) == 1
    event = VoteEvent.objects.get()
    assert event.published_at is not None
    assert event.published_late is (timezone.localdate() > timezone.localdate(voted))
    with pytest.raises(ValidationError):
        services.vote_event_delete(actor=SYSTEM, event=event)
    # A published vote cannot be replaced by a new import.
    with pytest.raises(ValidationError, match="published|оприлюднено"):
        services.vote_events_record(
            actor=SYSTEM,
            meeting=held_session,
            motions=[_motion(deputies, voted, ["against"] * 5)],
            replace=True,
        )


def test_correction_recounts_and_keeps_the_reason(held_session, deputies):
    (event,) = services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[_motion(deputies, timezone.now(), ["for", "for", "against", "against", "absent"])],
    )
    assert event.result == VoteResult.REJECTED
    services.vote_event_correct(
        actor=SYSTEM,
        event=event,
        choices={deputies[2].person_id: VoteChoice.FOR},
        reason="Збій пульта № 3, заява депутата",
    )
    event.refresh_from_db()
    assert (event.votes_for, event.votes_against, event.result) == (3, 1, VoteResult.ADOPTED)
    entry = AuditEntry.objects.filter(object_id=str(event.pk)).latest("id")
    assert entry.reason == "Збій пульта № 3, заява депутата"


def test_a_deputys_login_gets_the_deputy_role(deputies):
    from ratusha.core.permissions import user_roles
    from ratusha.core.roles import Role
    from ratusha.core.tests.factories import UserFactory

    user = UserFactory(username="bondarenko")
    person = deputies[0].person
    services.person_update(actor=SYSTEM, person=person, data={"user": user})
    user.refresh_from_db()
    assert Role.DEPUTY in user_roles(user)
