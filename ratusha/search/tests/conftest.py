"""Search fixtures: acts registered and published through the acts services, a small site of
pages, the council's records through its services; ``reindex`` rebuilds the index from them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from ratusha.acts import services as act_services
from ratusha.acts.models import ActKind
from ratusha.core.permissions import SYSTEM
from ratusha.search import indexing


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def kyiv(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def make_act(db):
    kinds = {kind.code: kind for kind in ActKind.objects.all()}

    def make(title, *, text="", number="", date=dt.date(2024, 3, 20), kind="council-decision",
             publish=True):  # fmt: skip
        act = act_services.act_register(
            actor=SYSTEM,
            data={
                "kind": kinds[kind],
                "title": title,
                "text": text,
                "number": number,
                "date": date,
            },
        )
        if publish:
            act = act_services.act_publish(
                actor=SYSTEM, act=act, as_of=kyiv(date.year, date.month, date.day, 12)
            )
        return act

    return make


@pytest.fixture
def reindex(db):
    return indexing.rebuild


@pytest.fixture
def home(db):
    from ratusha.portal.models import HomePage

    home = HomePage(title="Головна", slug="holovna")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def publish_page(home):
    def publish(page, parent=None):
        (parent or home).add_child(instance=page)
        page.save_revision().publish()
        return page

    return publish
