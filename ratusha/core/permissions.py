"""Who may do what. Services call these, so a rule holds the same in the admin, the API and
management commands. A refusal is ``RecordPermissionDenied`` with a Ukrainian message."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.utils.translation import gettext as _

from .roles import ALL_UNITS_ROLES, ROLE_GROUPS, Role


class RecordPermissionDenied(PermissionDenied):
    """A service refused a change; the message says why, in the user's language."""


def user_roles(user) -> frozenset[str]:
    """The roles of ``user``, from their groups (memoised on the user object)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ratusha_roles", None)
    if cached is not None:
        return cached
    by_group = {name: role for role, name in ROLE_GROUPS.items()}
    names = user.groups.values_list("name", flat=True)
    roles = {by_group[name] for name in names if name in by_group}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    user._ratusha_roles = frozenset(roles)
    return user._ratusha_roles


def has_role(user, role: str) -> bool:
    return role in user_roles(user)


def is_administrator(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def user_unit_id(user) -> int | None:
    """The structural unit the user works in, through their employee record."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.employee.unit_id
    except (AttributeError, ObjectDoesNotExist):
        return None


def unit_records(user, queryset, field: str = "unit_id"):
    """``queryset`` as ``user`` sees it by structural unit: all of it for department staff,
    approvers and administrators; the records of their own unit (``field``) for anybody with
    a unit; none otherwise."""
    if user_roles(user) & ALL_UNITS_ROLES:
        return queryset
    own = user_unit_id(user)
    return queryset.filter(**{field: own}) if own else queryset.none()


def can_change_unit_records(user, unit_id: int | None) -> bool:
    """Department staff, approvers and administrators change every unit's records; a unit
    editor only those of their own unit; everybody else none."""
    roles = user_roles(user)
    if roles & ALL_UNITS_ROLES:
        return True
    if Role.UNIT_EDITOR in roles:
        own = user_unit_id(user)
        return own is not None and unit_id is not None and own == unit_id
    return False


def require_unit_records(user, unit_id: int | None, *, record=None) -> None:
    """Raise ``RecordPermissionDenied`` unless ``user`` may change records of unit ``unit_id``."""
    if can_change_unit_records(user, unit_id):
        return
    if has_role(user, Role.UNIT_EDITOR):
        message = _("You may change only the records of your own structural unit.")
    else:
        message = _("You do not have the right to change this record.")
    if record is not None:
        message = f"{message} ({record})"
    raise RecordPermissionDenied(message)


def require_role(user, *roles: str) -> None:
    """Raise ``RecordPermissionDenied`` unless ``user`` holds one of ``roles``."""
    if user_roles(user) & set(roles):
        return
    raise RecordPermissionDenied(_("You do not have the right to do this."))


class _System:
    """The actor for changes the system makes itself (imports, the demo generator, tasks)."""

    is_authenticated = True
    is_superuser = True
    pk = None
    username = "system"
    _ratusha_roles = frozenset({Role.ADMINISTRATOR})

    def __str__(self):
        return "система"


SYSTEM = _System()
