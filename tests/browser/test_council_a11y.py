"""The council's pages and the projector in a real browser: WCAG 2.1 AA (axe-core) and valid
HTML (Nu checker) on the council's index, a convocation, a deputy's page, a person who is not a
deputy, a commission, the executive committee, a meeting, a vote, the calendar, the open data
of votes, the deputy's cabinet and the projector; the projector's keys move between agenda
items and a new result appears on it by itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from ratusha.core.testing import restore_migration_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "index",
    "convocation",
    "deputy",
    "person",
    "meeting",
    "vote",
    "meetings",
    "commission",
    "executive",
    "opendata",
]


def _png() -> bytes:
    from PIL import Image as PillowImage

    buffer = io.BytesIO()
    PillowImage.new("RGB", (240, 300), "#0057b8").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def council(demo_site, settings, tmp_path):
    """A council on the demo site: the VIII convocation with five deputies (one with a photo),
    a faction, a commission, the executive committee; yesterday's session with two items on
    published drafts and a published vote; an upcoming session. Returns URLs."""
    from django.core.files.images import ImageFile
    from django.utils import timezone
    from wagtail.images import get_image_model

    from ratusha.acts import services as act_services
    from ratusha.acts.models import ActKind
    from ratusha.core.permissions import SYSTEM
    from ratusha.council import services
    from ratusha.council.choices import MeetingKind, MembershipRole, OrganizationKind
    from ratusha.council.services import MotionInput

    settings.MEDIA_ROOT = tmp_path / "media"
    # Transactional tests empty the database after each test, kinds from migrations included.
    restore_migration_records()
    today = timezone.localdate()
    convocation = services.convocation_create(
        actor=SYSTEM, data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 5}
    )
    photo = get_image_model().objects.create(
        title="Фото депутата", file=ImageFile(io.BytesIO(_png()), name="deputy.png")
    )
    names = [
        "Бондаренко Олена Петрівна",
        "Гнатюк Ігор Васильович",
        "Ковальчук Марія Іванівна",
        "Мельник Андрій Сергійович",
        "Шевчук Тарас Миколайович",
    ]
    deputies = []
    for index, name in enumerate(names, start=1):
        person = services.person_create(
            actor=SYSTEM,
            data={
                "full_name": name,
                "email": f"deputy{index}@kalynivka-demo.gov.ua",
                "phone": f"(04599) 2-17-4{index}",
                "reception_hours": "Пн 9:00–12:00, каб. 12",
                "photo": photo if index == 1 else None,
                "biography": "Народилася в с. Калинівка. Вчителька історії.",
            },
        )
        deputies.append(
            services.deputy_create(
                actor=SYSTEM,
                data={
                    "person": person,
                    "convocation": convocation,
                    "district": f"Виборчий округ № {index}",
                    "nominated_by": "Самовисування",
                    "voting_identifier": f"D0{index}",
                    "start_date": convocation.start_date,
                },
            )
        )

    def org(kind, name):
        return services.organization_create(
            actor=SYSTEM, data={"kind": kind, "convocation": convocation, "name": name}
        )

    faction = org(OrganizationKind.FACTION, "Фракція «Рідна громада»")
    commission = org(OrganizationKind.COMMISSION, "Постійна комісія з питань бюджету та фінансів")
    executive = org(OrganizationKind.EXECUTIVE_COMMITTEE, "Виконавчий комітет")
    for deputy in deputies[:3]:
        services.membership_create(
            actor=SYSTEM,
            data={
                "person": deputy.person,
                "organization": faction,
                "start_date": dt.date(2020, 12, 1),
            },
        )
    services.membership_create(
        actor=SYSTEM,
        data={
            "person": deputies[0].person,
            "organization": commission,
            "role": MembershipRole.CHAIR,
            "start_date": dt.date(2020, 12, 1),
        },
    )
    services.membership_create(
        actor=SYSTEM,
        data={
            "person": deputies[1].person,
            "organization": commission,
            "start_date": dt.date(2020, 12, 1),
            "end_date": dt.date(2022, 6, 30),
        },
    )
    starosta = services.person_create(actor=SYSTEM, data={"full_name": "Петренко Іван Олегович"})
    services.membership_create(
        actor=SYSTEM,
        data={"person": starosta, "organization": executive, "label": "староста с. Вишневе"},
    )

    kind = ActKind.objects.get(code="draft-council-decision")
    drafts = []
    for title, text in [
        (
            "Про затвердження Програми розвитку культури на 2026 рік",
            "1. Затвердити Програму розвитку культури на 2026 рік (додається).\n"
            "2. Контроль покласти на постійну комісію з питань бюджету та фінансів.",
        ),
        (
            "Про надання дозволу на розроблення проєкту землеустрою",
            "Надати дозвіл на розроблення проєкту землеустрою щодо відведення ділянки.",
        ),
    ]:
        draft = act_services.act_register(
            actor=SYSTEM,
            data={
                "kind": kind,
                "date": today - dt.timedelta(days=20),
                "consideration_date": today + dt.timedelta(days=30),
                "title": title,
                "text": text,
            },
        )
        drafts.append(act_services.act_publish(actor=SYSTEM, act=draft))

    held = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 6,
            "date": today - dt.timedelta(days=1),
            "start_time": dt.time(10),
            "place": "Сесійна зала, вул. Незалежності, 7",
            "video_url": "https://www.youtube.com/watch?v=demo",
        },
    )
    upcoming = services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 7,
            "date": today + dt.timedelta(days=7),
            "start_time": dt.time(10),
            "place": "Сесійна зала, вул. Незалежності, 7",
        },
    )
    items = [
        services.agenda_item_create(
            actor=SYSTEM,
            data={
                "meeting": held,
                "title": draft.title,
                "draft": draft,
                "rapporteur": "Бондаренко О. П., голова комісії",
                "commission_conclusion": "Рекомендувати раді підтримати.",
            },
        )
        for draft in drafts
    ]
    voted = timezone.make_aware(dt.datetime.combine(held.date, dt.time(10, 40)))
    (event,) = services.vote_events_record(
        actor=SYSTEM,
        meeting=held,
        motions=[
            MotionInput(
                number=1,
                title="За основу і в цілому",
                voted_at=voted,
                choices={
                    d.person_id: c
                    for d, c in zip(
                        deputies, ["for", "for", "for", "against", "absent"], strict=True
                    )
                },
                agenda_item=items[0],
            )
        ],
        publish=True,
    )
    # The upcoming session's agenda is approved: its draft waits in the deputies' cabinet.
    upcoming_draft = act_services.act_register(
        actor=SYSTEM,
        data={
            "kind": kind,
            "date": today - dt.timedelta(days=2),
            "title": "Про внесення змін до бюджету громади на 2026 рік",
            "text": "1. Внести зміни до бюджету громади.\n2. Контроль покласти на комісію.",
        },
    )
    services.agenda_item_create(
        actor=SYSTEM,
        data={"meeting": upcoming, "title": upcoming_draft.title, "draft": upcoming_draft},
    )
    services.agenda_approve(actor=SYSTEM, meeting=upcoming)
    base = demo_site["home"].rstrip("/")
    return {
        "index": f"{base}/council/",
        "convocation": f"{base}{convocation.get_absolute_url()}",
        "deputy": f"{base}{deputies[0].get_absolute_url()}",
        "person": f"{base}{starosta.get_absolute_url()}",
        "meeting": f"{base}{held.get_absolute_url()}",
        "vote": f"{base}{event.get_absolute_url()}",
        "meetings": f"{base}/council/meetings/",
        "commission": f"{base}{commission.get_absolute_url()}",
        "executive": f"{base}{executive.get_absolute_url()}",
        "opendata": f"{base}/council/opendata/",
        "cabinet": f"{base}/council/cabinet/",
        "screen": f"{base}/council/meetings/{held.pk}/screen/?item=1",
        "base": base,
        "held": held,
        "items": items,
        "deputies": deputies,
        "upcoming_draft": upcoming_draft,
    }


def _log_in_as_staff(page, council):
    """Open a session for a council staff member and hand its cookie to the browser."""
    from django.contrib.auth import get_user_model

    _log_in(page, council, get_user_model().objects.create_superuser("secretary", "s@x.org", "x"))


def _log_in(page, council, user):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": council["base"]}]
    )


@pytest.mark.parametrize("low_vision", [False, True], ids=["normal", "low-vision"])
@pytest.mark.parametrize("which", PUBLIC_PAGES)
def test_council_page_has_no_accessibility_violations_and_valid_html(
    page, council, axe_violations, html_errors, which, low_vision
):
    if low_vision:
        page.context.add_cookies([{"name": "low_vision", "value": "1", "url": council["base"]}])

    response = page.goto(council[which])

    assert response.status == 200
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_projector_has_no_accessibility_violations_and_valid_html(
    page, council, axe_violations, html_errors
):
    _log_in_as_staff(page, council)

    response = page.goto(council["screen"])

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_role("heading", level=1).count() == 1
    font_size = page.locator("body").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)")
    assert font_size >= 32
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_projector_keys_move_between_items(page, council):
    _log_in_as_staff(page, council)
    page.goto(council["screen"])
    first_title = page.get_by_role("heading", level=1).inner_text()

    page.keyboard.press("ArrowRight")
    page.wait_for_url("**?item=2")

    assert page.get_by_role("heading", level=1).inner_text() != first_title
    page.keyboard.press("Home")
    page.wait_for_url("**?item=1")
    page.keyboard.press("End")
    page.wait_for_url("**?item=2")
    page.keyboard.press("PageUp")
    page.wait_for_url("**?item=1")
    assert page.get_by_role("heading", level=1).inner_text() == first_title


def test_deputys_cabinet_has_no_accessibility_violations_and_valid_html(
    page, council, axe_violations, html_errors
):
    from ratusha.core.permissions import SYSTEM
    from ratusha.core.tests.factories import UserFactory
    from ratusha.council import services

    user = UserFactory(username="deputy1")
    services.person_update(actor=SYSTEM, person=council["deputies"][0].person, data={"user": user})
    _log_in(page, council, user)

    response = page.goto(council["cabinet"])

    assert response.status == 200
    assert page.get_by_text(council["upcoming_draft"].title).count() >= 1
    assert axe_violations(page) == []
    assert html_errors(response.text()) == []


def test_projector_shows_a_new_result_by_itself(page, council, settings):
    from django.utils import timezone

    from ratusha.core.permissions import SYSTEM
    from ratusha.council import services
    from ratusha.council.services import MotionInput

    settings.COUNCIL_SCREEN_POLL_SECONDS = 1
    _log_in_as_staff(page, council)
    page.goto(council["screen"].replace("item=1", "item=2"))
    assert page.locator("#screen-vote-title").count() == 0  # no vote on item 2 yet

    # The vote on item 2 is recorded in the admin (not yet published)…
    held, deputies = council["held"], council["deputies"]
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held,
        motions=[
            MotionInput(
                number=2,
                title="За основу і в цілому",
                voted_at=timezone.make_aware(dt.datetime.combine(held.date, dt.time(11, 5))),
                choices={d.person_id: "for" for d in deputies},
                agenda_item=council["items"][1],
            )
        ],
    )

    # …and the hall sees it without touching the projector
    page.locator("#screen-vote-title").wait_for(timeout=15_000)
    assert deputies[4].person.full_name in page.locator(".screen__vote").inner_text()
