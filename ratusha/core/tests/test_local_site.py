import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

pytestmark = pytest.mark.django_db


def _default_site():
    return Site.objects.get(is_default_site=True)


def test_the_default_localhost_site_moves_to_the_served_port():
    site = _default_site()
    site.hostname, site.port = "localhost", 80
    site.save()

    call_command("local_site", port=8123)

    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert site.root_url == "http://127.0.0.1:8123"


def test_a_site_with_a_real_address_is_left_alone():
    site = _default_site()
    site.hostname, site.port = "verbivka-rada.gov.ua", 443
    site.save()

    call_command("local_site", port=8123)

    site.refresh_from_db()
    assert (site.hostname, site.port) == ("verbivka-rada.gov.ua", 443)


def test_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        call_command("local_site", port=8123)
