"""Council fixtures: the VIII convocation of a 26-seat council with five deputies on file,
a planned session and two drafts. Built through the services, like the real thing."""

import datetime as dt

import pytest
from django.utils import timezone

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.permissions import SYSTEM
from ratusha.council import services
from ratusha.council.choices import MeetingKind

DEPUTY_NAMES = [
    ("Бондаренко Олена Петрівна", "D01"),
    ("Гнатюк Ігор Васильович", "D02"),
    ("Ковальчук Марія Іванівна", "D03"),
    ("Мельник Андрій Сергійович", "D04"),
    ("Шевчук Тарас Миколайович", "D05"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def convocation(db):
    return services.convocation_create(
        actor=SYSTEM,
        data={"number": 8, "start_date": dt.date(2020, 11, 20), "composition": 5},
    )


@pytest.fixture
def deputies(convocation):
    """Five deputies with e-mails and voting identifiers (composition 5: majority is 3)."""
    result = []
    for index, (name, voting_id) in enumerate(DEPUTY_NAMES, start=1):
        person = services.person_create(
            actor=SYSTEM, data={"full_name": name, "email": f"deputy{index}@example.org"}
        )
        result.append(
            services.deputy_create(
                actor=SYSTEM,
                data={
                    "person": person,
                    "convocation": convocation,
                    "district": f"Округ № {index}",
                    "voting_identifier": voting_id,
                    "start_date": convocation.start_date,
                },
            )
        )
    return result


@pytest.fixture
def session(convocation):
    """The 7th session, planned a week from today."""
    return services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 7,
            "date": timezone.localdate() + dt.timedelta(days=7),
            "start_time": dt.time(10, 0),
            "place": "Сесійна зала, вул. Соборна, 1",
        },
    )


@pytest.fixture
def held_session(convocation):
    """The 6th session, held yesterday."""
    return services.meeting_create(
        actor=SYSTEM,
        data={
            "kind": MeetingKind.SESSION,
            "convocation": convocation,
            "number": 6,
            "date": timezone.localdate() - dt.timedelta(days=1),
            "start_time": dt.time(10, 0),
            "place": "Сесійна зала",
        },
    )


@pytest.fixture
def drafts(db):
    kind = ActKind.objects.get(code="draft-council-decision")
    titles = [
        "Про затвердження програми розвитку культури на 2026 рік",
        "Про надання дозволу на розроблення проєкту землеустрою",
    ]
    return [
        act_services.act_register(
            actor=SYSTEM,
            data={
                "kind": kind,
                "date": timezone.localdate() - dt.timedelta(days=20),
                "title": title,
                "text": f"Текст проєкту: {title}.",
            },
        )
        for title in titles
    ]
