"""Keeps the role groups and their permissions as ``roles.py`` declares them (after migrate)."""

from __future__ import annotations

import fnmatch

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLE_GROUPS, ROLE_PAGE_PERMISSIONS, ROLE_PERMISSIONS


def _matching_permissions(patterns: tuple[str, ...], available: list[tuple[str, Permission]]):
    return [perm for key, perm in available if any(fnmatch.fnmatchcase(key, p) for p in patterns)]


@transaction.atomic
def sync_role_groups() -> None:
    """Create the role groups and give each exactly the permissions ``roles.py`` declares.

    Idempotent: run after every ``migrate``. Permissions an administrator added by hand to a
    role group are kept; only missing ones are added.
    """
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
    )

    available = [
        (f"{perm.content_type.app_label}.{perm.codename}", perm)
        for perm in Permission.objects.select_related("content_type")
    ]
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role, group_name in ROLE_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*_matching_permissions(ROLE_PERMISSIONS.get(role, ()), available))
        if root_page is not None:
            for codename in ROLE_PAGE_PERMISSIONS.get(role, ()):
                permission = Permission.objects.filter(
                    content_type__app_label="wagtailcore", codename=codename
                ).first()
                if permission:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=permission
                    )
        if root_collection is not None:
            for perm in _matching_permissions(ROLE_PERMISSIONS.get(role, ()), available):
                if perm.content_type.app_label in {"wagtailimages", "wagtaildocs"}:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )
