"""The anonymous page cache (``ratusha.core.cache``) on the council's pages: a page is served
from the cache until a change the public sees — made through any council service — drops it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Site

from ratusha.core.models import HromadaSettings
from ratusha.core.permissions import SYSTEM
from ratusha.council import services
from ratusha.council.choices import OrganizationKind, VoteChoice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings, db):
    # Every page reads the hromada's settings: made now, so the first visit does not make
    # them (and purge the cache) itself.
    HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    settings.PORTAL_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def commission(convocation, deputies):
    body = services.organization_create(
        actor=SYSTEM,
        data={
            "kind": OrganizationKind.COMMISSION,
            "convocation": convocation,
            "name": "Постійна комісія з питань бюджету",
        },
    )
    services.membership_create(
        actor=SYSTEM, data={"person": deputies[0].person, "organization": body}
    )
    return body


def _cached(client, url: str) -> str:
    """Open ``url`` twice as a visitor: the second answer comes from the cache."""
    assert client.get(url)["X-Cache"] == "MISS"
    second = client.get(url)
    assert second["X-Cache"] == "HIT"
    return second.content.decode()


def _change_person(deputies, **_):
    services.person_update(
        actor=SYSTEM, person=deputies[0].person, data={"full_name": "Бондаренко-Лис Олена Петрівна"}
    )
    return "Бондаренко-Лис Олена Петрівна"


def _change_mandate(deputies, **_):
    services.deputy_update(
        actor=SYSTEM, deputy=deputies[0], data={"district": "Виборчий округ № 77"}
    )
    return "Виборчий округ № 77"


def _change_body(commission, **_):
    services.organization_update(
        actor=SYSTEM, organization=commission, data={"name": "Комісія з питань фінансів"}
    )
    return "Комісія з питань фінансів"


def _new_convocation(convocation, **_):
    services.convocation_update(actor=SYSTEM, convocation=convocation, data={"composition": 27})
    return "27"


def _add_item(held_session, **_):
    services.agenda_item_create(
        actor=SYSTEM, data={"meeting": held_session, "title": "Про зміни до бюджету громади"}
    )
    return "Про зміни до бюджету громади"


def _publish_vote(held_session, deputies, **_):
    services.vote_events_record(
        actor=SYSTEM,
        meeting=held_session,
        motions=[
            services.MotionInput(
                number=1,
                title="Про затвердження порядку денного",
                voted_at=timezone.make_aware(
                    dt.datetime.combine(held_session.date, dt.time(10, 30))
                ),
                choices={d.person_id: VoteChoice.FOR for d in deputies},
            )
        ],
        publish=True,
    )
    return "Про затвердження порядку денного"


@pytest.mark.parametrize(
    ("page", "change"),
    [
        ("deputy", _change_person),
        ("deputy", _change_mandate),
        ("index", _change_body),
        ("body", _change_body),
        ("convocation", _new_convocation),
        ("meeting", _add_item),
        ("meeting", _publish_vote),
        ("index", _publish_vote),
    ],
)
def test_a_change_drops_the_cached_page(
    client,
    convocation,
    deputies,
    commission,
    held_session,
    django_capture_on_commit_callbacks,
    page,
    change,
):
    # Given a public page in the cache
    url = {
        "deputy": deputies[0].get_absolute_url(),
        "index": "/council/",
        "body": commission.get_absolute_url(),
        "convocation": convocation.get_absolute_url(),
        "meeting": held_session.get_absolute_url(),
    }[page]
    before = _cached(client, url)

    # When staff change what it shows, through a service
    with django_capture_on_commit_callbacks(execute=True):
        shown = change(
            deputies=deputies,
            commission=commission,
            convocation=convocation,
            held_session=held_session,
        )

    # Then the next visitor gets the page made again, with the change
    assert shown not in before
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert shown in after.content.decode()


def test_a_membership_that_ended_moves_the_member_on_the_bodys_cached_page(
    client, commission, deputies, django_capture_on_commit_callbacks
):
    before = _cached(client, commission.get_absolute_url())
    assert 'id="former-members-title"' not in before
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_update(
            actor=SYSTEM,
            membership=commission.memberships.get(person=deputies[0].person),
            data={"end_date": timezone.localdate() - dt.timedelta(days=1)},
        )
    after = client.get(commission.get_absolute_url())
    assert after["X-Cache"] == "MISS"
    assert 'id="former-members-title"' in after.content.decode()
