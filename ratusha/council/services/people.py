"""Convocations, people and their mandates, bodies and memberships, voting import profiles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ratusha.core.records import create_audited, delete_audited, update_audited
from ratusha.core.roles import Role

from .. import signals_out
from ..choices import OrganizationKind
from ..models import (
    Convocation,
    Deputy,
    Membership,
    Organization,
    Person,
    VotingImportProfile,
)
from .common import (
    CONVOCATION_FIELDS,
    DEPUTY_FIELDS,
    MEMBERSHIP_FIELDS,
    ORGANIZATION_FIELDS,
    PERSON_FIELDS,
    PROFILE_FIELDS,
    _after_commit,
    _council_staff,
    _locked,
)

# Convocations and people -----------------------------------------------------------------


@transaction.atomic
def convocation_create(*, actor, data: dict[str, Any]) -> Convocation:
    _council_staff(actor)
    convocation = create_audited(actor, Convocation(), data, CONVOCATION_FIELDS)
    _after_commit(signals_out.convocation_changed, Convocation, convocation_id=convocation.pk)
    return convocation


@transaction.atomic
def convocation_update(*, actor, convocation: Convocation, data: dict[str, Any]) -> Convocation:
    _council_staff(actor)
    current = update_audited(actor, _locked(Convocation, convocation.pk), data, CONVOCATION_FIELDS)
    _after_commit(signals_out.convocation_changed, Convocation, convocation_id=current.pk)
    return current


def _grant_deputy_role(person: Person) -> None:
    """The login of a deputy, or of a member of a commission or the executive committee, gets
    the deputy role («reads drafts before meetings»): the drafts they are mailed link to the
    cabinet behind the login."""
    if not person.user_id:
        return
    if (
        person.mandates.exists()
        or person.memberships.exclude(
            organization__kind__in=(OrganizationKind.FACTION, OrganizationKind.GROUP)
        ).exists()
    ):
        from django.contrib.auth.models import Group

        from ratusha.core.roles import ROLE_GROUPS

        group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[Role.DEPUTY])
        person.user.groups.add(group)


@transaction.atomic
def person_create(*, actor, data: dict[str, Any]) -> Person:
    _council_staff(actor)
    person = create_audited(actor, Person(), data, PERSON_FIELDS)
    _after_commit(signals_out.person_changed, Person, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any]) -> Person:
    _council_staff(actor)
    current = update_audited(actor, _locked(Person, person.pk), data, PERSON_FIELDS)
    _grant_deputy_role(current)
    _after_commit(signals_out.person_changed, Person, person_id=current.pk)
    return current


def _check_mandate(deputy: Deputy) -> None:
    deputy.voting_identifier = (deputy.voting_identifier or "").strip()
    errors = {}
    if deputy.end_date and deputy.start_date and deputy.end_date < deputy.start_date:
        errors["end_date"] = [_("The mandate cannot end before it starts.")]
    if deputy.voting_identifier:
        taken = Deputy.objects.filter(
            convocation_id=deputy.convocation_id, voting_identifier=deputy.voting_identifier
        ).exclude(pk=deputy.pk)
        if taken.exists():
            errors["voting_identifier"] = [
                _("The identifier «%(id)s» already belongs to %(deputy)s.")
                % {"id": deputy.voting_identifier, "deputy": taken.first().person}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deputy_create(*, actor, data: dict[str, Any]) -> Deputy:
    _council_staff(actor)
    deputy = create_audited(actor, Deputy(), data, DEPUTY_FIELDS, check=_check_mandate)
    _grant_deputy_role(deputy.person)
    transaction.on_commit(
        lambda: signals_out.deputy_changed.send(sender=Deputy, deputy_id=deputy.pk)
    )
    return deputy


@transaction.atomic
def deputy_update(*, actor, deputy: Deputy, data: dict[str, Any]) -> Deputy:
    _council_staff(actor)
    current = update_audited(
        actor, _locked(Deputy, deputy.pk), data, DEPUTY_FIELDS, check=_check_mandate
    )
    transaction.on_commit(
        lambda: signals_out.deputy_changed.send(sender=Deputy, deputy_id=current.pk)
    )
    return current


# Bodies and memberships -------------------------------------------------------------------


def _body_changed(organization_id: int) -> None:
    _after_commit(signals_out.body_changed, Organization, organization_id=organization_id)


@transaction.atomic
def organization_create(*, actor, data: dict[str, Any]) -> Organization:
    _council_staff(actor)
    organization = create_audited(actor, Organization(), data, ORGANIZATION_FIELDS)
    _body_changed(organization.pk)
    return organization


@transaction.atomic
def organization_update(*, actor, organization: Organization, data: dict[str, Any]) -> Organization:
    _council_staff(actor)
    current = update_audited(
        actor, _locked(Organization, organization.pk), data, ORGANIZATION_FIELDS
    )
    _body_changed(current.pk)
    return current


def _check_membership(membership: Membership) -> None:
    if (
        membership.start_date
        and membership.end_date
        and membership.end_date < membership.start_date
    ):
        raise ValidationError({"end_date": [_("The membership cannot end before it starts.")]})


@transaction.atomic
def membership_create(*, actor, data: dict[str, Any]) -> Membership:
    _council_staff(actor)
    membership = create_audited(
        actor, Membership(), data, MEMBERSHIP_FIELDS, check=_check_membership
    )
    _grant_deputy_role(membership.person)
    _body_changed(membership.organization_id)
    return membership


@transaction.atomic
def membership_update(*, actor, membership: Membership, data: dict[str, Any]) -> Membership:
    _council_staff(actor)
    current = _locked(Membership, membership.pk)
    previous_body = current.organization_id
    current = update_audited(actor, current, data, MEMBERSHIP_FIELDS, check=_check_membership)
    _grant_deputy_role(current.person)
    _body_changed(current.organization_id)
    if previous_body != current.organization_id:
        _body_changed(previous_body)
    return current


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    """Remove a membership entered by mistake (one that ended is given an end date instead)."""
    _council_staff(actor)
    organization_id = membership.organization_id
    delete_audited(actor, membership)
    _body_changed(organization_id)


# Import profiles --------------------------------------------------------------------------


@transaction.atomic
def import_profile_create(*, actor, data: dict[str, Any]) -> VotingImportProfile:
    _council_staff(actor)
    return create_audited(actor, VotingImportProfile(), data, PROFILE_FIELDS)


@transaction.atomic
def import_profile_update(
    *, actor, profile: VotingImportProfile, data: dict[str, Any]
) -> VotingImportProfile:
    _council_staff(actor)
    return update_audited(actor, _locked(VotingImportProfile, profile.pk), data, PROFILE_FIELDS)
