import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratusha.core.models import AuditEntry
from ratusha.security.choices import LoginEventKind
from ratusha.security.models import LoginEvent

from .conftest import make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db


def _enrol(client, user):
    """Set up the authenticator through the pages; returns the recovery codes shown."""
    client.get(reverse("security_2fa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("security_2fa_setup"), {"token": totp_code(device)})
    assert response.status_code == 200
    return response.context["codes"]


def test_administrator_is_sent_to_set_up_before_any_admin_page(client, admin_user_with_password):
    # Given an administrator without a second factor who typed the right password
    response = sign_in(client, "olena")
    assert response.status_code == 302
    # When they open any admin page
    for url in ("/admin/", reverse("core_audit:index"), "/django-admin/"):
        response = client.get(url)
        # Then they are sent to set up two-factor authentication
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("security_2fa_setup"))
    setup = client.get(reverse("security_2fa_setup"))
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()  # the QR code


def test_approver_must_set_up_too_but_department_staff_need_not(client, db):
    from ratusha.core.roles import Role

    make_user("anna", [Role.APPROVER])
    make_user("ivan", [Role.DEPARTMENT_STAFF])
    sign_in(client, "anna")
    assert client.get("/admin/")["Location"].startswith(reverse("security_2fa_setup"))
    client.logout()
    sign_in(client, "ivan")
    assert client.get("/admin/").status_code == 200


def test_set_up_shows_recovery_codes_once_and_opens_the_admin(client, admin_user_with_password):
    sign_in(client, "olena")
    codes = _enrol(client, admin_user_with_password)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    # The codes are not shown again anywhere
    assert codes[0] not in client.get(reverse("security_2fa_manage")).content.decode()
    assert AuditEntry.objects.filter(actor=admin_user_with_password).exists()


def test_wrong_code_at_set_up_keeps_the_admin_closed(client, admin_user_with_password):
    sign_in(client, "olena")
    client.get(reverse("security_2fa_setup"))
    response = client.post(reverse("security_2fa_setup"), {"token": "000000"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_next_sign_in_asks_for_the_code(client, client_class, admin_user_with_password):
    # Given an administrator with an authenticator
    sign_in(client, "olena")
    _enrol(client, admin_user_with_password)
    device = TOTPDevice.objects.get(user=admin_user_with_password, confirmed=True)
    device.last_t = -1  # the enrolment code was used; let the current one count again
    device.save()
    # When they sign in again in another browser
    other = client_class()
    sign_in(other, "olena")
    # Then every page asks for the code first
    response = other.get("/admin/pages/")
    assert response["Location"].startswith(reverse("security_2fa_verify"))
    assert other.get("/").status_code == 302  # half-signed-in sessions see no page at all
    # A wrong code is refused and logged
    wrong = other.post(reverse("security_2fa_verify"), {"token": "123456", "next": "/admin/"})
    assert wrong.status_code == 400
    assert LoginEvent.objects.filter(kind=LoginEventKind.OTP_FAILURE).exists()
    # The right one opens the admin at the page asked for
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = other.post(
        reverse("security_2fa_verify"), {"token": totp_code(device), "next": "/admin/pages/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/admin/pages/"
    assert other.get("/admin/pages/").status_code == 200
    assert LoginEvent.objects.filter(kind=LoginEventKind.OTP_SUCCESS).exists()


def test_recovery_code_works_once(client, client_class, admin_user_with_password):
    sign_in(client, "olena")
    codes = _enrol(client, admin_user_with_password)
    first = client_class()
    sign_in(first, "olena")
    ok = first.post(reverse("security_2fa_verify"), {"token": codes[0], "next": "/admin/"})
    assert ok.status_code == 302
    assert first.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    second = client_class()
    sign_in(second, "olena")
    again = second.post(reverse("security_2fa_verify"), {"token": codes[0], "next": "/admin/"})
    assert again.status_code == 400


def test_repeated_wrong_codes_are_slowed_down(
    client, client_class, admin_user_with_password, settings
):
    sign_in(client, "olena")
    _enrol(client, admin_user_with_password)
    device = TOTPDevice.objects.get(user=admin_user_with_password, confirmed=True)
    other = client_class()
    sign_in(other, "olena")
    other.post(reverse("security_2fa_verify"), {"token": "111111"})
    device.refresh_from_db()
    device.last_t = -1
    device.save(update_fields=["last_t"])
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    # Right after a failure even the right code is refused (the wait doubles each time)
    response = other.post(reverse("security_2fa_verify"), {"token": totp_code(device)})
    assert response.status_code == 400
    assert device.throttling_failure_count == 1


def test_staff_turn_two_factor_on_and_off_in_the_account_menu(client, staff_user_with_password):
    sign_in(client, "petro")
    account = client.get(reverse("wagtailadmin_account"))
    assert reverse("security_2fa_manage") in account.content.decode()
    _enrol(client, staff_user_with_password)
    device = TOTPDevice.objects.get(user=staff_user_with_password, confirmed=True)
    device.last_t = -1
    device.save()
    response = client.post(
        reverse("security_2fa_manage"), {"token": totp_code(device), "action": "disable"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff_user_with_password).exists()
    assert client.get("/admin/").status_code == 200


def test_administrator_cannot_turn_two_factor_off(client, admin_user_with_password):
    sign_in(client, "olena")
    _enrol(client, admin_user_with_password)
    device = TOTPDevice.objects.get(user=admin_user_with_password, confirmed=True)
    device.last_t = -1
    device.save()
    client.post(reverse("security_2fa_manage"), {"token": totp_code(device), "action": "disable"})
    assert TOTPDevice.objects.filter(user=admin_user_with_password, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, admin_user_with_password):
    sign_in(client, "olena")
    old = _enrol(client, admin_user_with_password)
    device = TOTPDevice.objects.get(user=admin_user_with_password, confirmed=True)
    device.last_t = -1
    device.save()
    response = client.post(
        reverse("security_2fa_manage"), {"token": totp_code(device), "action": "renew"}
    )
    new = response.context["codes"]
    assert set(new).isdisjoint(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_force_login_in_tests_is_a_verified_session(client, administrator):
    # The test helper's shortcut (root conftest) is what a real sign-in with a code gives
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.force_login(administrator, otp_verified=False)
    assert client.get("/admin/").status_code == 302


def test_code_page_can_load_the_admin_icons_and_script_translations(
    client, admin_user_with_password
):
    # Wagtail fetches its icon sprite and inserts it into the page: a redirect there would put a
    # second copy of the code page inside the first
    sign_in(client, "olena")
    for name in ("wagtailadmin_sprite", "wagtailadmin_javascript_catalog"):
        assert client.get(reverse(name)).status_code == 200
