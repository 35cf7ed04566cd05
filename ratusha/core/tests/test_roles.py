import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from ratusha.core.roles import ROLE_GROUPS, Role
from ratusha.core.setup import sync_role_groups

pytestmark = pytest.mark.django_db


def test_every_role_has_its_group_with_admin_access():
    for role, name in ROLE_GROUPS.items():
        group = Group.objects.get(name=name)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert "access_admin" in codenames, role


def test_unit_editor_cannot_touch_the_calendar_or_the_page_tree():
    group = Group.objects.get(name=ROLE_GROUPS[Role.UNIT_EDITOR])
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_structuralunit" in codenames
    assert "add_calendarexception" not in codenames
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_department_staff_edit_and_publish_pages():
    group = Group.objects.get(name=ROLE_GROUPS[Role.DEPARTMENT_STAFF])
    granted = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= granted


def test_sync_is_idempotent():
    before = {g.name: g.permissions.count() for g in Group.objects.all()}
    sync_role_groups()
    sync_role_groups()
    assert {g.name: g.permissions.count() for g in Group.objects.all()} == before
