import datetime as dt

import pytest

from ratusha.acts.models import ActKind


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kinds(db):
    return {kind.code: kind for kind in ActKind.objects.all()}


@pytest.fixture
def draft_data(kinds, unit):
    return {
        "kind": kinds["draft-council-decision"],
        "number": "",
        "date": dt.date(2025, 3, 3),
        "title": "Про надання дозволу на розроблення проєкту землеустрою",
        "unit": unit,
        "consideration_date": dt.date(2025, 3, 20),
        "text": "Розглянувши заяву громадянина, селищна рада вирішила надати дозвіл.",
    }
