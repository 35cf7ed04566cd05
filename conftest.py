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
