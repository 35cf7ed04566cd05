"""The demo community (``small``): every dataset can be listed, shown, searched and harvested
through the CKAN API; the votes of its sessions are datasets nobody uploaded; staff see which
datasets are overdue."""

import datetime as dt

import pytest
from django.core.management import call_command

from ratusha.council.opendata import published_events
from ratusha.opendata import selectors
from ratusha.opendata.choices import Generator
from ratusha.opendata.models import Dataset


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_hromada", "--scale", "small", "--today", "2026-01-15", stdout=None)


def test_the_demo_community_is_readable_by_a_ckan_client(client, demo):
    names = client.get("/api/3/action/package_list").json()["result"]
    public = set(selectors.public_datasets().values_list("identifier", flat=True))
    assert set(names) == public and len(names) > 20
    for name in names:
        package = client.get("/api/3/action/package_show", {"id": name}).json()["result"]
        assert package["name"] == name
        found = client.get("/api/3/action/package_search", {"fq": f"name:{name}"}).json()
        assert found["result"]["count"] == 1
    harvested, start = set(), 0
    while True:
        page = client.get(
            "/api/3/action/package_search", {"rows": 100, "start": start, "sort": "id asc"}
        ).json()["result"]["results"]
        if not page:
            break
        harvested |= {p["name"] for p in page}
        start += 100
    assert harvested == public
    meetings = set(published_events().values_list("meeting_id", flat=True))
    generated = Dataset.objects.filter(generator=Generator.COUNCIL_VOTES)
    assert {int(d.generator_key) for d in generated} == meetings
    assert all(d.resources.count() == 9 for d in generated)
    board = selectors.due_board(today=dt.date(2026, 1, 15))
    assert board.overdue and board.due_soon
