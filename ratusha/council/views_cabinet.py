"""The deputy's cabinet: drafts before the session (login required).

``/council/cabinet/`` lists the upcoming meetings (today and later, not cancelled) whose agenda
is approved, with each item's draft: its card, text and files, published or not. Who sees what
(the ``Person`` linked to the account):

- council staff: every such meeting;
- a deputy whose mandate is in force today: every such meeting of their convocation (a deputy
  may attend any commission's meeting, and reads the executive committee's drafts too);
- a member of a standing commission or of the executive committee without a mandate (most
  members of the executive committee): the meetings of the bodies they belong to today —
  those whose drafts they are mailed.

A file is served only if its draft is on an agenda the user sees (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ratusha.acts.models import ActFile, ActVersion
from ratusha.acts.views import file_download
from ratusha.core.permissions import user_roles

from .choices import AgendaStatus, MeetingStatus, OrganizationKind
from .models import AgendaItem, Deputy, Meeting, Membership

# Reads -----------------------------------------------------------------------------------------


def sitting_deputy_of(user, on=None) -> Deputy | None:
    """The mandate in force on ``on`` (today) of the person linked to ``user``, if any."""
    if user is None or not user.is_authenticated:
        return None
    on = on or timezone.localdate()
    return (
        Deputy.objects.filter(person__user=user, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person", "convocation")
        .order_by("-start_date")
        .first()
    )


def is_council_staff(user) -> bool:
    from .services import COUNCIL_ROLES

    return bool(user_roles(user) & set(COUNCIL_ROLES))


def member_bodies_of(user, on=None) -> list[int]:
    """The commissions and executive committees the person linked to ``user`` belongs to on
    ``on`` (today)."""
    if user is None or not user.is_authenticated:
        return []
    on = on or timezone.localdate()
    return list(
        Membership.objects.filter(
            person__user=user,
            organization__kind__in=(
                OrganizationKind.COMMISSION,
                OrganizationKind.EXECUTIVE_COMMITTEE,
            ),
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("organization_id", flat=True)
    )


def upcoming_meetings(on=None):
    """Meetings from ``on`` (today) on, not cancelled, whose agenda is approved."""
    on = on or timezone.localdate()
    return Meeting.objects.filter(date__gte=on, agenda_status=AgendaStatus.APPROVED).exclude(
        status=MeetingStatus.CANCELLED
    )


def visible_meetings(user, on=None):
    """The upcoming meetings ``user`` may read the drafts of (see the module's docstring);
    ``None`` when they may not use the cabinet at all."""
    if user is None or not user.is_authenticated:
        return None
    meetings = upcoming_meetings(on)
    if is_council_staff(user):
        return meetings
    mandate = sitting_deputy_of(user, on)
    bodies = member_bodies_of(user, on)
    if mandate is None and not bodies:
        return None
    seen = Q(organization_id__in=bodies)
    if mandate is not None:
        seen |= Q(convocation_id=mandate.convocation_id)
    return meetings.filter(seen)


def may_see_cabinet(user) -> bool:
    return visible_meetings(user) is not None


def cabinet_meetings(on=None, user=None) -> list[Meeting]:
    """The upcoming meetings (those ``user`` sees, if given) with their items, drafts and the
    drafts' current files."""
    versions = ActVersion.objects.order_by("-number").prefetch_related(
        Prefetch("files", queryset=ActFile.objects.order_by("id"))
    )
    items = AgendaItem.objects.select_related("draft__kind").prefetch_related(
        Prefetch("draft__versions", queryset=versions)
    )
    visible = upcoming_meetings(on) if user is None else visible_meetings(user, on)
    if visible is None:
        return []
    meetings = list(
        visible.select_related("convocation", "organization")
        .prefetch_related(Prefetch("items", queryset=items.order_by("position", "id")))
        .order_by("date", "start_time", "pk")
    )
    seen: set[int] = set()
    for meeting in meetings:
        for item in meeting.items.all():
            item.draft_files = []
            if not item.draft_id:
                continue
            draft_versions = list(item.draft.versions.all())
            if draft_versions:
                item.draft_files = list(draft_versions[0].files.all())
            # The first place a draft appears answers the e-mail's link «#draft-<id>».
            if item.draft_id in seen:
                item.anchor = f"draft-{item.draft_id}-item-{item.pk}"
            else:
                item.anchor = f"draft-{item.draft_id}"
                seen.add(item.draft_id)
    return meetings


def cabinet_file_get(*, act_id: int, file_id: int, on=None, user=None) -> ActFile:
    """A file of a draft on an approved agenda of an upcoming meeting (one ``user`` sees, if
    given) (``DoesNotExist`` otherwise)."""
    visible = upcoming_meetings(on) if user is None else visible_meetings(user, on)
    if visible is None:
        raise ActFile.DoesNotExist
    on_agenda = AgendaItem.objects.filter(draft_id=act_id, meeting__in=visible.values("pk"))
    if not on_agenda.exists():
        raise ActFile.DoesNotExist
    return ActFile.objects.select_related("version").get(pk=file_id, version__act_id=act_id)


# Views -----------------------------------------------------------------------------------------


def _require_cabinet(request):
    """``None`` when the user may see the cabinet; else the login redirect (anonymous)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_see_cabinet(request.user):
        raise PermissionDenied(
            _("The cabinet is for deputies, members of the council's bodies and its staff.")
        )
    return None


@never_cache
@require_safe
def cabinet(request):
    refused = _require_cabinet(request)
    if refused is not None:
        return refused
    context = {
        "meetings": cabinet_meetings(user=request.user),
        "deputy": sitting_deputy_of(request.user),
    }
    return render(request, "council/cabinet.html", context)


@never_cache
@require_safe
def cabinet_file(request, act_id: int, file_id: int):
    """A draft's file as a download with a content type from its verified format (never
    sniffed), like the public registry's files, but private to the cabinet."""
    refused = _require_cabinet(request)
    if refused is not None:
        return refused
    try:
        stored = cabinet_file_get(act_id=act_id, file_id=file_id, user=request.user)
    except ActFile.DoesNotExist as exc:
        raise Http404(_("No such file.")) from exc
    response = file_download(stored)
    patch_cache_control(response, private=True, no_store=True)
    return response


urlpatterns: list = [
    path("cabinet/", cabinet, name="cabinet"),
    path(
        "cabinet/drafts/<int:act_id>/files/<int:file_id>/",
        cabinet_file,
        name="cabinet_file",
    ),
]
