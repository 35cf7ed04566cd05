"""The council admin: the meeting's page (agenda, approval, votes, links to the mailing log,
the import and the projector), agenda items and sittings added from it, votes typed by hand
and corrected with a reason. All writes go through ``council.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from ratusha.core.admin_views import ServiceCreateView, ServiceDeleteView, ServiceEditView
from ratusha.core.admin_views import run_service_action as _run
from ratusha.core.permissions import RecordPermissionDenied, user_roles

from . import services
from .admin_forms import VoteCorrectForm, VoteEntryForm
from .choices import AgendaStatus, VoteSource
from .models import Meeting, VoteEvent
from .selectors.voters import is_plenary, meeting_voters


def _is_council_staff(user) -> bool:
    return bool(user_roles(user) & set(services.COUNCIL_ROLES))


def _url_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


class _ToMeeting:
    """After saving, go back to the meeting's page."""

    def meeting_id(self):
        return self.object.meeting_id

    def get_success_url(self):
        return reverse("council_meetings:manage", args=[self.meeting_id()])


class MeetingIndexView(generic.IndexView):
    def get_edit_url(self, instance):
        # A row opens the meeting's page (agenda, votes, mailing).
        return reverse("council_meetings:manage", args=[instance.pk])

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("convocation", "organization")


class MeetingCreateView(ServiceCreateView):
    def get_success_url(self):
        return reverse("council_meetings:manage", args=[self.object.pk])


class _PrefilledMeeting:
    """Add views opened from a meeting's page come with the meeting chosen."""

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("meeting", "").isdigit():
            initial["meeting"] = int(self.request.GET["meeting"])
        return initial


class SittingCreateView(_PrefilledMeeting, _ToMeeting, ServiceCreateView):
    pass


class AgendaItemCreateView(_PrefilledMeeting, _ToMeeting, ServiceCreateView):
    pass


class AgendaItemEditView(_ToMeeting, ServiceEditView):
    pass


class AgendaItemDeleteView(ServiceDeleteView):
    def get_success_url(self):
        return reverse("council_meetings:manage", args=[self.object.meeting_id])


class _CouncilStaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not _is_council_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MeetingManageView(_CouncilStaffOnly, WagtailAdminTemplateMixin, TemplateView):
    """A meeting at a glance and what can be done now: the agenda (add, edit, approve),
    sittings, votes (type, import, publish, correct), the mailing log, the projector."""

    template_name = "council/admin/meeting.html"
    header_icon = "calendar-alt"
    page_title = gettext_lazy("Meeting")

    def dispatch(self, request, pk):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("convocation", "organization", "minutes"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.meeting)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("council_meetings:index"), "label": _("Sessions and meetings")},
            {"url": "", "label": str(self.meeting)},
        ]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Edit the card"),
                url=reverse("council_meetings:edit", args=[self.meeting.pk]),
                icon_name="edit",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        events = list(meeting.vote_events.select_related("agenda_item").order_by("number"))
        context.update(
            meeting=meeting,
            items=meeting.items.select_related("draft__kind", "decision__kind"),
            sittings=meeting.sittings.all(),
            events=events,
            unpublished=sum(1 for e in events if e.published_at is None),
            can_approve=meeting.agenda_status == AgendaStatus.DRAFT,
            add_item_url=f"{reverse('council_items:add')}?meeting={meeting.pk}",
            add_sitting_url=f"{reverse('council_sittings:add')}?meeting={meeting.pk}",
            vote_entry_url=reverse("council_meetings:vote_entry", args=[meeting.pk]),
            import_url=_url_or_empty("council_import:upload"),
            mailings_url=_url_or_empty("council_mailings:mailings", meeting.pk),
            screen_url=_url_or_empty("council:screen", meeting.pk),
            public_url=_url_or_empty("council:meeting", meeting.pk),
        )
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "")
        user, meeting = request.user, self.meeting
        if action == "approve":
            _run(
                request,
                lambda: services.agenda_approve(actor=user, meeting=meeting),
                _("The agenda is approved; the deputies are being sent the drafts."),
            )
        elif action == "publish":
            _run(
                request,
                lambda: services.vote_events_publish(actor=user, meeting=meeting),
                _("The results of the votes are published."),
            )
        elif action == "delete_vote":
            event = get_object_or_404(VoteEvent, pk=request.POST.get("event"), meeting=meeting)
            _run(
                request,
                lambda: services.vote_event_delete(actor=user, event=event),
                _("The vote is deleted."),
            )
        else:
            messages.error(request, _("Unknown action."))
        return redirect("council_meetings:manage", pk=meeting.pk)


class VoteEntryView(_CouncilStaffOnly, WagtailAdminTemplateMixin, FormView):
    """Type a roll-call vote: the motion and each voter's choice (default: absent)."""

    template_name = "council/admin/vote_entry.html"
    form_class = VoteEntryForm
    header_icon = "tick"
    page_title = gettext_lazy("Roll-call vote")

    def dispatch(self, request, pk):
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("convocation", "organization"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.meeting)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        kwargs["voters"] = meeting_voters(self.meeting)
        return kwargs

    def get_initial(self):
        last = self.meeting.vote_events.order_by("-number").first()
        return {"number": (last.number + 1) if last else 1}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        context["plenary"] = is_plenary(self.meeting)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        motion = services.MotionInput(
            number=data["number"],
            title=data["title"],
            voted_at=data["voted_at"],
            choices=form.choices(),
            agenda_item=data.get("agenda_item"),
            rule=data["rule"],
        )
        try:
            services.vote_events_record(
                actor=self.request.user,
                meeting=self.meeting,
                motions=[motion],
                source=VoteSource.MANUAL,
                publish=data.get("publish", False),
            )
        except (RecordPermissionDenied, ValidationError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The vote is recorded."))
        return redirect("council_meetings:manage", pk=self.meeting.pk)


class VoteCorrectView(_CouncilStaffOnly, WagtailAdminTemplateMixin, FormView):
    """Correct one voter's recorded choice, with a reason kept in the audit log."""

    template_name = "council/admin/vote_correct.html"
    form_class = VoteCorrectForm
    header_icon = "edit"
    page_title = gettext_lazy("Correct a vote")

    def dispatch(self, request, pk):
        self.event = get_object_or_404(VoteEvent.objects.select_related("meeting"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.event)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.vote_event_correct(
                actor=self.request.user,
                event=self.event,
                choices={int(data["voter"]): data["choice"]},
                reason=data["reason"],
            )
        except (RecordPermissionDenied, ValidationError) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The vote is corrected; totals are recounted."))
        return redirect("council_meetings:manage", pk=self.event.meeting_id)
