"""Open data fixtures: a hromada, datasets built through the services, files made here."""

import csv
import io

import pytest
from wagtail.models import Site

from ratusha.core.models import HromadaSettings
from ratusha.core.permissions import SYSTEM
from ratusha.council.tests.conftest import (  # noqa: F401 - fixtures
    convocation,
    deputies,
    drafts,
    held_session,
)
from ratusha.opendata import services
from ratusha.opendata.choices import UpdateFrequency
from ratusha.opendata.files import inspect_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_REGENERATE_DELAY = 0


@pytest.fixture
def hromada(db):
    site = Site.objects.get(is_default_site=True)
    hromada = HromadaSettings.for_site(site)
    hromada.council_name = "Вербівська селищна рада"
    hromada.edrpou = "04399999"
    hromada.email = "rada@example.org"
    hromada.save()
    return hromada


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def passport(**overrides):
    data = {
        "title": "Перелік закладів освіти",
        "description": "Заклади загальної середньої освіти громади: назва, адреса, учні.",
        "update_frequency": UpdateFrequency.MONTHLY,
        "maintainer_name": "Петренко Ольга Іванівна",
        "maintainer_email": "osvita@example.org",
        "purpose": "Оприлюднення переліку закладів освіти",
    }
    data.update(overrides)
    return data


SCHOOLS = [
    ["name", "address", "pupils"],
    ["Вербівський ліцей", "вул. Соборна, 1", "512"],
    ["Калинівська гімназія", "с. Калинівка, вул. Шкільна, 3", "140"],
]


@pytest.fixture
def dataset(hromada, unit):
    item = services.dataset_create(
        actor=SYSTEM,
        data=passport(holder=unit, identifier="zaklady-osvity"),
        tags=["освіта", "школи"],
        publish=True,
    )
    services.resource_upload(
        actor=SYSTEM,
        dataset=item,
        inspected=inspect_upload("schools.csv", csv_bytes(SCHOOLS)),
        title="Заклади освіти",
    )
    item.refresh_from_db()
    return item
