import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from ratusha.core.models import HromadaSettings

pytestmark = pytest.mark.django_db


def test_codes_are_validated():
    hromada = HromadaSettings.for_site(Site.objects.get(is_default_site=True))
    hromada.council_name = "Вербівська селищна рада"
    hromada.community_name = "Вербівська селищна територіальна громада"
    hromada.edrpou = "1234"
    hromada.katottg = "UA123"
    with pytest.raises(ValidationError) as errors:
        hromada.full_clean()
    assert set(errors.value.message_dict) == {"edrpou", "katottg"}
    hromada.edrpou = "04399999"
    hromada.katottg = "UA63999990000012345"
    hromada.full_clean()


def test_settings_are_edited_in_the_admin(admin_client):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/core/hromadasettings/{site.pk}/")
    assert response.status_code == 200
    assert "ЄДРПОУ" in response.content.decode()
