"""Fixtures shared by every app's tests."""

import pytest

from ratusha.core.roles import Role
from ratusha.core.tests.factories import EmployeeFactory, UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(name="Фінансовий відділ", slug="finansovyi-viddil")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Відділ освіти", slug="viddil-osvity")


@pytest.fixture
def department_staff(db):
    return UserFactory(username="staff", roles=[Role.DEPARTMENT_STAFF])


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", roles=[Role.ADMINISTRATOR])


@pytest.fixture
def approver(db):
    return UserFactory(username="approver", roles=[Role.APPROVER])


@pytest.fixture
def unit_editor(unit):
    """An editor who works in ``unit``."""
    user = UserFactory(username="editor", roles=[Role.UNIT_EDITOR])
    EmployeeFactory(unit=unit, user=user)
    return user


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor():
    """``Client.force_login`` skips authentication, so it skips the second factor too.

    Administrators and approvers must pass a TOTP code before any page
    (``ratusha.security.middleware.TwoFactorMiddleware``); a test that logs one in with
    ``force_login`` gets a session already verified with a confirmed device, as after a real
    sign-in with the code. Tests of the second factor itself sign in through the login form
    (``client.post(login_url, ...)``) or pass ``otp_verified=False``.
    """
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None, *, otp_verified=True):
        original(self, user, backend)
        if not otp_verified:
            return
        from ratusha.security import two_factor

        if not two_factor.is_required(user) and not two_factor.is_enabled(user):
            return
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    ClientMixin.force_login = force_login
    yield
    ClientMixin.force_login = original


@pytest.fixture(autouse=True)
def _migration_records_after_a_flush(request):
    """A transactional test starts from what ``migrate`` leaves, even after an earlier one
    emptied the database (``flush`` deletes the kinds of acts and Wagtail's root page too)."""
    marker = request.node.get_closest_marker("django_db")
    if not (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        return
    from ratusha.core.testing import restore_migration_records

    request.getfixturevalue("transactional_db")
    restore_migration_records(wagtail=True)


@pytest.fixture(autouse=True)
def _frame_memo_cleared():
    """Each test starts with nothing kept of the public pages' frame (``core.frame``): the
    database is rolled back between tests without the signals that bump the generation."""
    from ratusha.core.frame import memo

    memo.clear()
    yield
    memo.clear()
