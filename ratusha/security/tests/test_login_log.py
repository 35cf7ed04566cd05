import pytest
from django.urls import reverse

from ratusha.security.choices import LoginEventKind
from ratusha.security.models import LoginEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def test_success_and_failure_are_logged_with_address_and_browser(client, staff_user_with_password):
    # When a wrong and then the right password are typed
    sign_in(client, "petro", "wrong", REMOTE_ADDR="192.0.2.4", HTTP_USER_AGENT="Firefox/128")
    sign_in(client, "petro", REMOTE_ADDR="192.0.2.4", HTTP_USER_AGENT="Firefox/128")
    # Then both are in the log: who, when, from where, with what
    failure, success = LoginEvent.objects.order_by("id")
    assert failure.kind == LoginEventKind.FAILURE
    assert failure.user == staff_user_with_password
    assert failure.username == "petro"
    assert failure.ip_address == "192.0.2.4"
    assert failure.user_agent == "Firefox/128"
    assert success.kind == LoginEventKind.SUCCESS
    assert success.at is not None


def test_failure_for_an_unknown_login_keeps_what_was_typed(client, db):
    sign_in(client, "no-such-user", "x")
    event = LoginEvent.objects.get()
    assert event.user is None
    assert event.username == "no-such-user"


def test_sign_out_is_logged(client, staff_user_with_password):
    sign_in(client, "petro")
    client.post(reverse("wagtailadmin_logout"))
    assert LoginEvent.objects.filter(kind=LoginEventKind.LOGOUT).exists()


def test_login_log_cannot_be_changed_or_deleted(client, staff_user_with_password):
    sign_in(client, "petro", "wrong")
    event = LoginEvent.objects.get()
    event.username = "someone-else"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        LoginEvent.objects.all().delete()
    with pytest.raises(TypeError):
        LoginEvent.objects.update(username="x")
    assert LoginEvent.objects.get().username == "petro"


def test_administrator_reads_the_login_log_in_the_admin(client, administrator, db):
    sign_in(client, "intruder", "guess", REMOTE_ADDR="198.51.100.66")
    client.force_login(administrator)
    response = client.get(reverse("security_logins:index"), {"kind": "failure"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "intruder" in page
    assert "198.51.100.66" in page
    # and cannot add, edit or delete entries
    event = LoginEvent.objects.get(username="intruder")
    assert client.post(reverse("security_logins:delete", args=[event.pk])).status_code in (
        302,
        403,
    )
    assert LoginEvent.objects.filter(pk=event.pk).exists()
    assert reverse("security_logins:add") not in page


def test_other_staff_cannot_read_the_login_log(client, department_staff):
    client.force_login(department_staff)
    assert client.get(reverse("security_logins:index")).status_code in (302, 403)
