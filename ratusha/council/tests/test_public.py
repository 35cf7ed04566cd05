"""The council's public pages: every page renders, unpublished votes stay hidden, the deputy's
attendance is counted right with a fixed number of queries, the iCalendar feeds parse, the
projector is for the hall only, and an act's page shows the meeting and the vote on it."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ratusha.acts import services as act_services
from ratusha.core.permissions import SYSTEM
from ratusha.core.roles import Role
from ratusha.core.tests.factories import UserFactory
from ratusha.council import selectors, services
from ratusha.council.choices import (
    ItemResult,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
)
from ratusha.council.models import Vote, VoteEvent
from ratusha.council.services import MotionInput

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (48, 60), "#0057b8").save(buffer, "PNG")
    return buffer.getvalue()


def _publish_draft(draft):
    """Publish a draft for review (a consideration date gives it its publication deadline)."""
    draft = act_services.act_update(
        actor=SYSTEM,
        act=draft,
        data={"consideration_date": timezone.localdate() + dt.timedelta(days=30)},
    )
    return act_services.act_publish(actor=SYSTEM, act=draft)


def _voted(meeting, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(hour, minute)))


def _motion(deputies, number, when, choices, item=None, title=None):
    return MotionInput(
        number=number,
        title=title or f"Голосування № {number}",
        voted_at=when,
        choices={d.person_id: c for d, c in zip(deputies, choices, strict=True)},
        agenda_item=item,
    )


@pytest.fixture
def council(convocation, deputies, held_session, session, drafts):
    """The demo-like council: a faction, a commission with a chair and secretary (one former
    member), the executive committee with a member who is not a deputy (and a photo for one
    deputy); yesterday's session with two items on the drafts, two published votes and one
    unpublished; the drafts are published."""
    from wagtail.images import get_image_model

    def org(kind, name, **extra):
        return services.organization_create(
            actor=SYSTEM,
            data={"kind": kind, "convocation": convocation, "name": name, **extra},
        )

    def member(person, organization, role=MembershipRole.MEMBER, **extra):
        return services.membership_create(
            actor=SYSTEM,
            data={"person": person, "organization": organization, "role": role, **extra},
        )

    start = convocation.start_date
    faction = org(OrganizationKind.FACTION, "Фракція «Слуга народу»", short_name="СН")
    commission = org(
        OrganizationKind.COMMISSION,
        "Постійна комісія з питань бюджету та фінансів",
        short_name="Бюджетна комісія",
    )
    executive = org(OrganizationKind.EXECUTIVE_COMMITTEE, "Виконавчий комітет")
    for deputy in deputies[:3]:
        member(deputy.person, faction, start_date=start)
    member(deputies[0].person, commission, MembershipRole.CHAIR, start_date=start)
    member(deputies[1].person, commission, MembershipRole.SECRETARY, start_date=start)
    member(
        deputies[2].person,
        commission,
        start_date=start,
        end_date=start + dt.timedelta(days=200),
    )
    starosta = services.person_create(actor=SYSTEM, data={"full_name": "Петренко Іван Олегович"})
    member(starosta, executive, label="староста с. Вишневе", start_date=start)

    photo = get_image_model().objects.create(
        title="Фото", file=ImageFile(io.BytesIO(_png()), name="photo.png")
    )
    services.person_update(
        actor=SYSTEM,
        person=deputies[0].person,
        data={"photo": photo, "reception_hours": "Пн 9:00–12:00", "phone": "+380 44 000 00 00"},
    )

    for draft in drafts:
        _publish_draft(draft)
    items = [
        services.agenda_item_create(
            actor=SYSTEM,
            data={
                "meeting": held_session,
                "title": draft.title,
                "draft": draft,
                "rapporteur": "Бондаренко О. П., голова комісії",
                "commission_conclusion": "Рекомендувати до розгляду.",
            },
        )
        for draft in drafts
    ]
    services.agenda_item_update(actor=SYSTEM, item=items[0], data={"result": ItemResult.ADOPTED})
    published = services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            _motion(
                deputies,
                1,
                _voted(held_session, 10, 30),
                ["for", "for", "for", "against", "absent"],
                items[0],
                "За основу і в цілому",
            ),
            _motion(
                deputies,
                2,
                _voted(held_session, 11),
                ["against", "for", "abstain", "not_voting", "absent"],
                items[1],
            ),
        ],
        publish=True,
    )
    (unpublished,) = services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            _motion(
                deputies,
                3,
                _voted(held_session, 12),
                ["for", "for", "for", "for", "for"],
                items[1],
                "Неоприлюднене голосування",
            )
        ],
    )
    return {
        "faction": faction,
        "commission": commission,
        "executive": executive,
        "starosta": starosta,
        "items": items,
        "published": published,
        "unpublished": unpublished,
    }


@pytest.fixture
def frame(client, council):
    """Warm up what the site frame creates once (settings row, renditions)."""
    client.get(reverse("council:index"))
    return council


# Every page renders -----------------------------------------------------------------------


def test_every_public_page_renders(client, council, convocation, deputies, held_session):
    urls = [
        reverse("council:index"),
        convocation.get_absolute_url(),
        deputies[0].get_absolute_url(),
        deputies[4].get_absolute_url(),
        council["starosta"].get_absolute_url(),
        council["commission"].get_absolute_url(),
        council["faction"].get_absolute_url(),
        council["executive"].get_absolute_url(),
        reverse("council:meetings"),
        reverse("council:meetings") + "?kind=session&year=2020&month=2",
        reverse("council:meetings") + "?kind=nonsense&year=abc&page=99",
        held_session.get_absolute_url(),
        council["published"][0].get_absolute_url(),
        deputies[0].get_absolute_url() + "?choice=for&page=2",
        deputies[0].get_absolute_url() + "?choice=nonsense",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_index_shows_the_council_upcoming_meetings_and_latest_votes(
    client, council, session, deputies
):
    text = client.get(reverse("council:index")).content.decode()

    assert "VIII скликання" in text
    assert session.title in text
    assert "За основу і в цілому" in text
    assert deputies[0].person.full_name in text
    assert "Фракція «Слуга народу»" in text or "Фракція &laquo;Слуга народу&raquo;" in text
    assert "Петренко Іван Олегович" in text
    assert "Неоприлюднене голосування" not in text


def test_unknown_ids_are_404(client, council):
    for name, kwargs in [
        ("council:convocation", {"number": 99}),
        ("council:deputy", {"pk": 999999}),
        ("council:person", {"pk": 999999}),
        ("council:organization", {"pk": 999999}),
        ("council:meeting", {"pk": 999999}),
        ("council:meeting_ics", {"pk": 999999}),
        ("council:vote", {"pk": 999999}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_person_redirects_to_the_latest_mandate_or_shows_a_non_deputy(client, council, deputies):
    response = client.get(deputies[0].person.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == deputies[0].get_absolute_url()

    page = client.get(council["starosta"].get_absolute_url()).content.decode()
    assert "староста с. Вишневе" in page
    assert council["executive"].get_absolute_url() in page


def test_body_page_groups_current_and_former_members_with_roles(client, council, deputies):
    body = selectors.organization_page(council["commission"].pk)

    assert [row["membership"].person for row in body.current] == [
        deputies[0].person,
        deputies[1].person,
    ]
    assert [row["membership"].role for row in body.current] == [
        MembershipRole.CHAIR,
        MembershipRole.SECRETARY,
    ]
    assert [row["membership"].person for row in body.former] == [deputies[2].person]
    assert body.current[0]["url"] == deputies[0].get_absolute_url()
    page = client.get(council["commission"].get_absolute_url()).content.decode()
    assert "Former members" in page or "Колишні" in page


# Published votes only ---------------------------------------------------------------------


def test_unpublished_votes_are_not_public(client, council, held_session, deputies):
    hidden = council["unpublished"]

    assert client.get(hidden.get_absolute_url()).status_code == 404
    meeting_page = client.get(held_session.get_absolute_url()).content.decode()
    assert "Неоприлюднене голосування" not in meeting_page
    assert "За основу і в цілому" in meeting_page
    assert hidden not in selectors.latest_votes()
    deputy_page = client.get(deputies[0].get_absolute_url()).content.decode()
    assert "Неоприлюднене голосування" not in deputy_page


def test_meeting_page_links_public_drafts_and_shows_votes_with_the_late_flag(
    client, council, held_session, drafts
):
    page = client.get(held_session.get_absolute_url()).content.decode()

    assert drafts[0].get_absolute_url() in page
    assert "Бондаренко О. П., голова комісії" in page
    assert "Рекомендувати до розгляду." in page
    assert council["published"][0].get_absolute_url() in page
    # Voted yesterday, published today: late.
    assert council["published"][0].published_late is True
    assert 'class="council-late"' in page


def test_meeting_page_does_not_link_an_unpublished_draft(client, convocation, session):
    from ratusha.acts.models import ActKind

    draft = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": ActKind.objects.get(code="draft-council-decision"),
            "date": timezone.localdate(),
            "title": "Про неоприлюднений проєкт",
        },
    )
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": session, "title": draft.title, "draft": draft}
    )

    page = client.get(session.get_absolute_url()).content.decode()

    assert "Про неоприлюднений проєкт" in page
    assert draft.get_absolute_url() not in page


def test_vote_page_groups_names_by_choice(client, council, deputies):
    event = council["published"][0]

    found = selectors.vote_page(event.pk)

    by_choice = {g["choice"]: [r["name"] for r in g["rows"]] for g in found.groups}
    assert by_choice["for"] == [d.person.full_name for d in deputies[:3]]
    assert by_choice["against"] == [deputies[3].person.full_name]
    assert by_choice["absent"] == [deputies[4].person.full_name]
    assert by_choice["abstain"] == []
    assert found.groups[0]["rows"][0]["faction"] == council["faction"]
    page = client.get(event.get_absolute_url()).content.decode()
    assert deputies[3].get_absolute_url() in page


# The deputy's page --------------------------------------------------------------------------


def test_deputy_attendance_counts_published_votes_only(client, council, deputies):
    # Deputy 1 voted «for» (№ 1), «against» (№ 2) and «for» in the unpublished № 3.
    attendance = selectors.deputy_attendance(deputies[0])

    assert attendance.counts == {"for": 1, "against": 1}
    assert attendance.total == 2
    assert attendance.present == 2
    assert attendance.share_present == 100.0

    fifth = selectors.deputy_attendance(deputies[4])
    assert fifth.counts == {"absent": 2}
    assert fifth.present == 0
    assert fifth.share_present == 0.0

    fourth = selectors.deputy_attendance(deputies[3])
    assert fourth.total == 2 and fourth.present == 2  # «against» and «did not vote»

    response = client.get(deputies[0].get_absolute_url())
    text = response.content.decode()
    assert response.context["attendance"].total == 2
    assert 'data-choice="for">1<' in text
    assert 'data-choice="against">1<' in text
    assert 'data-choice="absent">0<' in text


def test_deputy_page_shows_photo_memberships_and_votes_filtered(client, council, deputies):
    response = client.get(deputies[0].get_absolute_url())
    text = response.content.decode()

    assert f'alt="{deputies[0].person.full_name}"' in text
    assert "Пн 9:00–12:00" in text
    assert council["commission"].get_absolute_url() in text
    assert [row["number"] for row in response.context["votes"]] == [2, 1]  # newest first

    filtered = client.get(deputies[0].get_absolute_url() + "?choice=against")
    assert [row["number"] for row in filtered.context["votes"]] == [2]
    assert filtered.context["page_obj"].paginator.count == 1


def test_deputy_page_query_count_stays_fixed_as_votes_grow(
    client, frame, deputies, held_session, django_assert_max_num_queries
):
    url = deputies[0].get_absolute_url()
    client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    baseline = len(first.captured_queries)

    motions = [
        _motion(
            deputies,
            number,
            _voted(held_session, 13) + dt.timedelta(minutes=number),
            ["for", "against", "abstain", "not_voting", "absent"][number % 5 :]
            + ["for", "against", "abstain", "not_voting", "absent"][: number % 5],
        )
        for number in range(10, 130)
    ]
    services.vote_events_record(actor=SYSTEM, meeting=held_session, motions=motions, publish=True)
    assert Vote.objects.filter(deputy=deputies[0]).count() == 123

    for query in ("", "?page=3", "?choice=absent", "?choice=for&page=2"):
        with django_assert_max_num_queries(baseline):
            response = client.get(url + query)
        assert response.status_code == 200
    # 120 new votes cycle through the five choices: 24 more «for» than before.
    assert response.context["page_obj"].paginator.count == 24 + 1


def test_deputy_votes_page_without_count_query(deputies, council, django_assert_num_queries):
    attendance = selectors.deputy_attendance(deputies[0])
    rows = selectors.deputy_votes(deputies[0], attendance)

    with django_assert_num_queries(1):
        page = list(rows[0:50])
    assert len(rows) == 2
    assert [r["event_id"] for r in page] == sorted((r["event_id"] for r in page), reverse=True)


# The calendar -------------------------------------------------------------------------------


def test_calendar_ics_parses_and_holds_the_meeting_in_kyiv_time(client, council, session):
    services.sitting_create(
        actor=SYSTEM,
        data={
            "meeting": session,
            "number": 2,
            "date": session.date + dt.timedelta(days=1),
            "start_time": dt.time(9, 30),
        },
    )
    old = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": session.convocation,
            "number": 2,
            "date": timezone.localdate() - dt.timedelta(days=200),
        },
    )

    response = client.get(reverse("council:calendar_ics"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    uid = next(u for u in events if u.startswith(f"council-meeting-{session.pk}@"))
    event = events[uid]
    start = event.decoded("DTSTART")
    assert start == dt.datetime.combine(session.date, dt.time(10), tzinfo=ZoneInfo("Europe/Kyiv"))
    assert event["DTSTART"].params["TZID"] == "Europe/Kyiv"
    assert str(event["LOCATION"]) == session.place
    assert str(event["SUMMARY"]) == session.title
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(session.get_absolute_url())
    assert any(u.startswith("council-sitting-") for u in events)
    assert not any(u.startswith(f"council-meeting-{old.pk}@") for u in events)
    assert calendar.walk("VTIMEZONE")
    # The UID of a record does not change between downloads.
    again = icalendar.Calendar.from_ical(client.get(reverse("council:calendar_ics")).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == set(events)


def test_meeting_ics_marks_a_cancelled_meeting(client, session):
    services.meeting_update(actor=SYSTEM, meeting=session, data={"status": MeetingStatus.CANCELLED})

    response = client.get(reverse("council:meeting_ics", kwargs={"pk": session.pk}))

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"


# The projector ------------------------------------------------------------------------------


def test_projector_is_refused_to_anonymous_and_unit_editor(
    client, council, held_session, unit_editor
):
    url = reverse("council:screen", kwargs={"pk": held_session.pk})

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))

    client.force_login(unit_editor)
    assert client.get(url).status_code == 403


def test_projector_shows_item_n_of_m_with_names_by_choice(
    client, council, held_session, department_staff, deputies
):
    client.force_login(department_staff)
    url = reverse("council:screen", kwargs={"pk": held_session.pk})

    # The first item is adopted, so the default is the second, not yet considered.
    default = client.get(url)
    assert default.status_code == 200
    assert default.context["screen"].index == 2
    text = default.content.decode()
    assert "Item 2 of 2" in text or "Питання 2 з 2" in text
    # The item's last vote is shown though unpublished: the hall has just seen it.
    assert "Неоприлюднене голосування" in text
    assert 'lang="uk"' in text
    assert "council/screen.js" in text
    assert "http-equiv" not in text

    first = client.get(url + "?item=1")
    text = first.content.decode()
    assert "Item 1 of 2" in text or "Питання 1 з 2" in text
    assert "Текст проєкту: Про затвердження програми розвитку культури" in text
    groups = {g["choice"]: [r["name"] for r in g["rows"]] for g in first.context["screen"].groups}
    assert groups["for"] == [d.person.full_name for d in deputies[:3]]
    assert groups["against"] == [deputies[3].person.full_name]
    assert 'id="screen-next"' in text and 'id="screen-prev"' not in text


def test_projector_polls_a_state_that_changes_with_a_new_result(
    client, council, held_session, department_staff, deputies
):
    client.force_login(department_staff)
    page = client.get(reverse("council:screen", kwargs={"pk": held_session.pk}) + "?item=1")
    state_url = reverse("council:screen_state", kwargs={"pk": held_session.pk}) + "?item=1"
    html = page.content.decode()
    assert f'data-screen-state-url="{state_url}"' in html

    # The state the page was drawn with is what the server still says…
    state = client.get(state_url).json()["state"]
    assert f'data-screen-state="{state}"' in html
    assert client.get(state_url).json()["state"] == state
    # …until a new vote on the item is recorded (not even published yet)
    item = held_session.items.get(position=1)
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            _motion(deputies, 50, _voted(held_session, 15), ["against"] * 5, item=item),
        ],
    )
    assert client.get(state_url).json()["state"] != state
    # Only those who may see the projector may ask
    client.logout()
    assert client.get(state_url).status_code == 403


def test_projector_is_open_to_a_deputy_of_the_convocation(client, council, held_session, deputies):
    user = UserFactory(username="deputy1", roles=[Role.DEPUTY])
    services.person_update(actor=SYSTEM, person=deputies[0].person, data={"user": user})
    client.force_login(user)

    response = client.get(reverse("council:screen", kwargs={"pk": held_session.pk}))

    assert response.status_code == 200


# The act's page ------------------------------------------------------------------------------


def test_act_page_shows_the_meeting_and_the_published_vote(client, council, drafts, held_session):
    from ratusha.acts import extensions

    assert selectors.act_agenda_section in extensions.ACT_PAGE_SECTIONS

    page = client.get(drafts[1].get_absolute_url()).content.decode()

    assert held_session.get_absolute_url() in page
    assert council["published"][1].get_absolute_url() in page
    assert council["unpublished"].get_absolute_url() not in page


def test_act_page_of_an_act_never_on_an_agenda_has_no_council_section(client, drafts):
    _publish_draft(drafts[0])

    page = client.get(drafts[0].get_absolute_url()).content.decode()

    assert "act-council-title" not in page


def test_published_vote_stays_public_after_meeting_changes(client, council, held_session):
    event = council["published"][0]
    services.meeting_update(actor=SYSTEM, meeting=held_session, data={"notes": "Змінено"})

    assert client.get(event.get_absolute_url()).status_code == 200
    assert VoteEvent.objects.filter(published_at__isnull=False).count() == 2
