import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from ratusha.acts import selectors, services
from ratusha.core.permissions import SYSTEM

pytestmark = pytest.mark.django_db
KYIV = ZoneInfo("Europe/Kyiv")


def _at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=KYIV)


def test_period_stats_counts_registered_published_and_late_by_kind(kinds, unit):
    # Given two orders registered and published in March 2025, one of them late,
    # and a council decision registered in April
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 3)):
        on_time = services.act_register(
            actor=SYSTEM,
            data={
                "kind": kinds["head-order"],
                "number": "1-од",
                "date": dt.date(2025, 3, 3),
                "title": "Про перше",
                "unit": unit,
            },
        )
        late = services.act_register(
            actor=SYSTEM,
            data={
                "kind": kinds["head-order"],
                "number": "2-од",
                "date": dt.date(2025, 3, 3),
                "title": "Про друге",
                "unit": unit,
            },
        )
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 4)):
        services.act_publish(actor=SYSTEM, act=on_time)
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 3, 20)):
        services.act_publish(actor=SYSTEM, act=late)
    with mock.patch("django.utils.timezone.now", return_value=_at(2025, 4, 2)):
        services.act_register(
            actor=SYSTEM,
            data={
                "kind": kinds["council-decision"],
                "number": "9-VIII",
                "date": dt.date(2025, 4, 1),
                "title": "Про третє",
                "unit": unit,
            },
        )
    # When the report asks for March
    march = selectors.period_stats(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    # Then it counts by kind what was registered, published and published late
    assert march["by_kind"]["head-order"] == {
        "name": "Розпорядження голови",
        "registered": 2,
        "published": 2,
        "published_late": 1,
    }
    assert march["by_kind"]["council-decision"]["registered"] == 0
    assert (march["registered"], march["published"], march["published_late"]) == (2, 2, 1)
    april = selectors.period_stats(dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert april["registered"] == 1 and april["published"] == 0
