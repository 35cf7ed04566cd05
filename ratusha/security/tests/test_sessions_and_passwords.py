import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ratusha.security.choices import LoginEventKind
from ratusha.security.middleware import SESSION_SEEN, SESSION_STARTED
from ratusha.security.models import LoginEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["Kalyna-2024", "password1234", "123456789012345", "petro-petrenko-1"],
    ids=["too-short", "common", "numeric", "like-the-name"],
)
def test_weak_passwords_are_refused(password, staff_user_with_password):
    staff_user_with_password.username = "petro-petrenko"
    with pytest.raises(ValidationError):
        validate_password(password, staff_user_with_password)


def test_a_long_uncommon_password_is_accepted(staff_user_with_password):
    validate_password("Верба-над-ставом-1917", staff_user_with_password)


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_session_ends(client, settings, staff_user_with_password):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    sign_in(client, "petro")
    assert client.get("/admin/").status_code == 200
    # Given 31 minutes without a request
    _age_session(client, **{SESSION_SEEN: 31 * 60, SESSION_STARTED: 40 * 60})
    # Then the next request finds the user signed out
    response = client.get("/admin/")
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]
    assert LoginEvent.objects.filter(kind=LoginEventKind.EXPIRED).exists()


def test_active_session_ends_at_its_absolute_lifetime(client, settings, staff_user_with_password):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    sign_in(client, "petro")
    client.get("/admin/")
    # Given a session active a minute ago but started 8 hours and a minute ago
    _age_session(client, **{SESSION_SEEN: 60, SESSION_STARTED: 8 * 60 * 60 + 60})
    assert client.get("/admin/").status_code == 302


def test_active_session_within_limits_goes_on(client, staff_user_with_password):
    sign_in(client, "petro")
    client.get("/admin/")
    _age_session(client, **{SESSION_SEEN: 20 * 60, SESSION_STARTED: 2 * 60 * 60})
    assert client.get("/admin/").status_code == 200


def test_ensure_admin_prints_a_way_through_the_second_factor_locally(client, capsys, tmp_path):
    # Given `make run`'s administrator (local mode)
    from django.test import override_settings

    with override_settings(VAR_DIR=tmp_path):
        call_command("ensure_admin", "--port", "8106")
    out = capsys.readouterr().out
    password = (tmp_path / "admin_password").read_text().strip()
    code = out.split("one-time code (2FA): ")[1].split()[0]
    # When the newcomer signs in with what was printed
    sign_in(client, "admin", password)
    response = client.post(reverse("security_2fa_verify"), {"token": code, "next": "/admin/"})
    # Then the admin opens
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert "authenticator key" in out


def test_production_never_gets_a_printed_code(settings, db, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from ratusha.core.tests.factories import UserFactory
    from ratusha.security.local_enrolment import demo_second_factor

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        demo_second_factor(UserFactory())
