"""The council's sitemap sections: its public pages, and the published roll-call votes apart."""

# ruff: noqa: F811 (the public pages' ``council`` fixture is imported and used as a parameter)

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ratusha.council.tests.test_public import council  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROOT = "http://localhost"


def _locations(response) -> list[str]:
    assert response.status_code == 200
    return [url.findtext(f"{NS}loc") for url in ET.fromstring(response.content)]


def test_council_section_lists_its_pages_and_people_without_a_mandate(
    client, council, convocation, deputies, held_session, session
):
    locations = _locations(client.get("/sitemap-council.xml"))

    expected = [
        "/council/",
        "/council/meetings/",
        "/council/opendata/",
        f"/council/convocations/{convocation.number}/",
        *(f"/council/deputies/{deputy.pk}/" for deputy in deputies),
        f"/council/people/{council['starosta'].pk}/",
        *(f"/council/bodies/{council[key].pk}/" for key in ("faction", "commission", "executive")),
        f"/council/meetings/{session.pk}/",
        f"/council/meetings/{held_session.pk}/",
    ]
    assert sorted(locations) == sorted(f"{ROOT}{path}" for path in expected)
    # A deputy's person address only redirects to the mandate: not listed.
    assert f"{ROOT}/council/people/{deputies[0].person_id}/" not in locations


def test_votes_section_lists_only_published_votes(client, council):
    locations = _locations(client.get("/sitemap-votes.xml"))

    assert locations == [f"{ROOT}/council/votes/{event.pk}/" for event in council["published"]]
    assert f"{ROOT}/council/votes/{council['unpublished'].pk}/" not in locations


def test_every_address_in_the_council_sections_answers(client, council):
    for section in ("council", "votes"):
        for location in _locations(client.get(f"/sitemap-{section}.xml")):
            response = client.get(location.removeprefix(ROOT))
            assert response.status_code == 200, location
