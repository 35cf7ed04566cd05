"""The mailing of drafts in the admin: a meeting's delivery log (each mailing, each recipient's
e-mail with its status, attempts and last error), «send again» and «retry failed now».
Council staff only; the writes go through ``council.services``.

Mounted by ``wagtail_hooks`` as ``council_mailings:mailings`` under the admin."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ratusha.core.permissions import RecordPermissionDenied, user_roles

from . import services
from .choices import AgendaStatus, DeliveryStatus
from .models import Delivery, DraftMailing, Meeting


def _is_council_staff(user) -> bool:
    return bool(user_roles(user) & set(services.COUNCIL_ROLES))


class MailingLogView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "council/admin/mailings.html"
    header_icon = "mail"
    page_title = gettext_lazy("Mailing of drafts")

    def dispatch(self, request, meeting_id: int):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _is_council_staff(request.user):
            raise PermissionDenied
        self.meeting = get_object_or_404(
            Meeting.objects.select_related("convocation", "organization"), pk=meeting_id
        )
        return super().dispatch(request, meeting_id)

    def get_page_subtitle(self):
        return str(self.meeting)

    def _meeting_url(self) -> str:
        try:
            return reverse("council_meetings:manage", args=[self.meeting.pk])
        except NoReverseMatch:
            return ""

    def get_breadcrumbs_items(self):
        items = list(super().get_breadcrumbs_items())
        with contextlib.suppress(NoReverseMatch):
            items.append(
                {"url": reverse("council_meetings:index"), "label": _("Sessions and meetings")}
            )
        items += [
            {"url": self._meeting_url(), "label": str(self.meeting)},
            {"url": "", "label": _("Mailing of drafts")},
        ]
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        retryable = Q(status__in=(DeliveryStatus.FAILED, DeliveryStatus.RETRYING))
        mailings = list(
            DraftMailing.objects.filter(meeting=self.meeting)
            .select_related("created_by")
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                delivery_count=Count("deliveries"),
            )
            .prefetch_related(
                Prefetch(
                    "deliveries",
                    queryset=Delivery.objects.select_related("person").order_by(
                        "person__full_name", "pk"
                    ),
                )
            )
            .order_by("-created_at", "-pk")
        )
        context.update(
            meeting=self.meeting,
            mailings=mailings,
            meeting_url=self._meeting_url(),
            can_resend=self.meeting.agenda_status == AgendaStatus.APPROVED,
            retryable_count=Delivery.objects.filter(
                retryable, mailing__meeting=self.meeting
            ).count(),
            statuses=DeliveryStatus,
        )
        return context

    def post(self, request, meeting_id: int):
        action = request.POST.get("action", "")
        user, meeting = request.user, self.meeting
        try:
            if action == "resend":
                reason = request.POST.get("reason", "").strip()
                services.agenda_resend(actor=user, meeting=meeting, reason=reason)
                messages.success(request, _("The agenda is being sent again to everyone called."))
            elif action == "retry":
                count = services.delivery_retry(actor=user, meeting=meeting)
                if count:
                    messages.success(
                        request,
                        _("Deliveries being retried: %(count)s.") % {"count": count},
                    )
                else:
                    messages.info(request, _("There are no failed deliveries to retry."))
            else:
                messages.error(request, _("Unknown action."))
        except RecordPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("council_mailings:mailings", meeting_id=meeting.pk)


mailings = MailingLogView.as_view()

urlpatterns = [
    path("<int:meeting_id>/", mailings, name="mailings"),
]
