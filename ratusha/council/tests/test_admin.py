"""The council admin: a session run from the agenda to published votes by department staff."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ratusha.core.permissions import SYSTEM
from ratusha.council import services
from ratusha.council.choices import AgendaStatus, VoteChoice, VoteResult
from ratusha.council.models import AgendaItem, Meeting, VoteEvent

pytestmark = pytest.mark.django_db


def test_staff_registers_a_session_and_lands_on_its_page(client, convocation, department_staff):
    client.force_login(department_staff)
    response = client.post(
        reverse("council_meetings:add"),
        {
            "kind": "session",
            "convocation": convocation.pk,
            "number": "12",
            "date": "15.12.2026",
            "start_time": "10:00",
            "place": "Сесійна зала",
            "status": "planned",
            "title": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert meeting.title == "12 сесія VIII скликання"
    assert response["Location"] == reverse("council_meetings:manage", args=[meeting.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "12 сесія VIII скликання" in page.content.decode()


def test_agenda_from_the_meeting_page_to_approval(
    client, session, deputies, drafts, department_staff, django_capture_on_commit_callbacks
):
    client.force_login(department_staff)
    add = client.get(f"{reverse('council_items:add')}?meeting={session.pk}")
    assert add.status_code == 200
    # Only drafts are offered as the item's draft.
    assert drafts[0].title in add.content.decode()
    response = client.post(
        reverse("council_items:add"),
        {
            "meeting": session.pk,
            "position": "",
            "title": drafts[0].title,
            "draft": drafts[0].pk,
            "rapporteur": "Петренко О. І., начальник фінансового відділу",
            "commission_conclusion": "",
            "result": "pending",
            "decision": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("council_meetings:manage", args=[session.pk])
    item = AgendaItem.objects.get()
    assert item.position == 1 and item.draft == drafts[0]

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("council_meetings:manage", args=[session.pk]), {"action": "approve"})
    session.refresh_from_db()
    assert session.agenda_status == AgendaStatus.APPROVED
    assert session.mailings.get().deliveries.count() == len(deputies)


def test_a_vote_typed_by_hand_then_corrected(client, held_session, deputies, department_staff):
    client.force_login(department_staff)
    url = reverse("council_meetings:vote_entry", args=[held_session.pk])
    assert client.get(url).status_code == 200
    voted = timezone.localtime(
        max(
            timezone.now() - dt.timedelta(minutes=5),
            timezone.make_aware(dt.datetime.combine(held_session.date, dt.time(10, 30))),
        )
    )
    data = {
        "number": "1",
        "title": "Про затвердження порядку денного",
        "voted_at": voted.strftime("%d.%m.%Y %H:%M"),
        "agenda_item": "",
        "rule": "composition",
        "publish": "on",
    }
    choices = ["for", "for", "against", "abstain", "absent"]
    for deputy, choice in zip(deputies, choices, strict=True):
        data[f"voter_{deputy.person_id}"] = choice
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = VoteEvent.objects.get()
    assert (event.votes_for, event.votes_against, event.votes_abstain) == (2, 1, 1)
    assert event.result == VoteResult.REJECTED
    assert event.published_at is not None

    # A duplicate number is refused on the form, in the user's language, nothing saved.
    response = client.post(url, data)
    assert response.status_code == 200
    assert VoteEvent.objects.count() == 1

    correct = reverse("council_meetings:vote_correct", args=[event.pk])
    response = client.post(
        correct,
        {"voter": deputies[3].person_id, "choice": VoteChoice.FOR, "reason": "Збій пульта"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.votes_for == 3 and event.result == VoteResult.ADOPTED


def test_unpublished_votes_are_published_from_the_meeting_page(
    client, held_session, deputies, department_staff
):
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            services.MotionInput(
                number=1,
                title="Про бюджет",
                voted_at=timezone.now(),
                choices={d.person_id: VoteChoice.FOR for d in deputies},
            )
        ],
    )
    client.force_login(department_staff)
    page = client.get(reverse("council_meetings:manage", args=[held_session.pk]))
    assert "Про бюджет" in page.content.decode()
    client.post(reverse("council_meetings:manage", args=[held_session.pk]), {"action": "publish"})
    assert VoteEvent.objects.get().published_at is not None


def test_unit_editor_cannot_run_a_meeting(client, session, unit_editor):
    client.force_login(unit_editor)
    assert client.get(reverse("council_meetings:manage", args=[session.pk])).status_code in (
        302,
        403,
    )
    response = client.post(
        reverse("council_meetings:manage", args=[session.pk]), {"action": "approve"}
    )
    assert response.status_code in (302, 403)
    session.refresh_from_db()
    assert session.agenda_status == AgendaStatus.DRAFT


def test_a_deputy_finds_the_cabinet_in_the_admin_menu(client, deputies):
    from ratusha.core.tests.factories import UserFactory

    user = UserFactory(username="deputy1")
    services.person_update(actor=SYSTEM, person=deputies[0].person, data={"user": user})
    client.force_login(user)
    page = client.get(reverse("wagtailadmin_home"))
    assert page.status_code == 200
    assert reverse("council:cabinet") in page.content.decode()
