import pytest
from django.core.cache import cache

from ratusha.core.tests.factories import UnitFactory

VALID = {
    "name": "Оксана Тестова-Унікальна",
    "email": "oksana.unikalna@example.org",
    "phone": "+380 67 123 45 67",
    "text": "Прошу відремонтувати ліхтар на вулиці Садовій, 12.",
    "consent": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit_with_mail(db):
    return UnitFactory(name="Відділ благоустрою", slug="blagoustrii", email="blago@example.org")


def uk(msgid: str) -> str:
    """``msgid`` as the Ukrainian interface shows it (compared through the catalogue, which the
    integrator regenerates)."""
    from django.utils import translation

    with translation.override("uk"):
        return translation.gettext(msgid)
