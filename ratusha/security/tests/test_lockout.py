import pytest
from django.contrib.auth import get_user_model

from ratusha.security.choices import LoginEventKind
from ratusha.security.models import LoginEvent

from .conftest import PASSWORD, make_user, sign_in, uk

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    client, staff_user_with_password
):
    # Given five wrong passwords for one account
    for _ in range(5):
        response = sign_in(client, "petro", "wrong-password")
    # When the right password comes next
    response = sign_in(client, "petro")
    # Then the Ukrainian lockout page answers and nobody is signed in
    assert response.status_code == 429
    page = response.content.decode()
    assert uk("Sign-in is locked") in page
    assert uk("Try again in %(minutes)s minutes.") % {"minutes": 30} in page
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.filter(kind=LoginEventKind.LOCKOUT, username="petro").exists()


def test_four_wrong_passwords_do_not_lock(client, staff_user_with_password):
    for _ in range(4):
        sign_in(client, "petro", "wrong-password")
    response = sign_in(client, "petro")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user_with_password.pk)


def test_lockout_is_per_account_from_any_address(client, staff_user_with_password):
    # Given five failures for one account, each from another address
    for n in range(5):
        sign_in(client, "petro", "wrong-password", REMOTE_ADDR=f"198.51.100.{n + 1}")
    # When the right password comes from a sixth address
    response = sign_in(client, "petro", REMOTE_ADDR="198.51.100.77")
    # Then the account is locked
    assert response.status_code == 429


def test_lockout_is_per_address_for_any_account(client, db):
    # Given an address that tried five different accounts (password spraying)
    make_user("mykola")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong-password", REMOTE_ADDR="203.0.113.9")
    # When a real account signs in from there with its right password
    response = sign_in(client, "mykola", REMOTE_ADDR="203.0.113.9")
    # Then the address is locked; from another address the account signs in
    assert response.status_code == 429
    assert sign_in(client, "mykola", REMOTE_ADDR="203.0.113.10").status_code == 302


def test_django_admin_login_is_locked_out_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    for _ in range(5):
        client.post("/django-admin/login/", {"username": "root", "password": "nope"})
    response = client.post(
        "/django-admin/login/", {"username": "root", "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 429
    assert uk("Sign-in is locked") in response.content.decode()


def test_address_behind_a_trusted_proxy_is_the_forwarded_one(client, settings, db):
    # Given one reverse proxy in front of the site
    settings.RATUSHA_TRUSTED_PROXIES = 1
    make_user("mykola")
    # When one client fails five times through it
    for _ in range(5):
        sign_in(
            client,
            "nobody",
            "x",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5",
        )
    # Then that client is locked, but another client behind the same proxy is not
    blocked = sign_in(client, "mykola", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = sign_in(client, "mykola", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert blocked.status_code == 429
    assert other.status_code == 302
    assert LoginEvent.objects.filter(ip_address="203.0.113.5").exists()
