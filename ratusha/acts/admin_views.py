"""The acts admin: register and edit through services, an act's action page (publish now or at
a time, consider a draft, correct as a new version, withdraw), and the deadline dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from ratusha.core.admin_views import ServiceCreateView, ServiceEditView, _form_data
from ratusha.core.admin_views import run_service_action as _run
from ratusha.core.permissions import (
    can_change_unit_records,
    unit_records,
    user_roles,
    user_unit_id,
)
from ratusha.core.roles import ALL_UNITS_ROLES, Role

from . import pending_uploads, selectors, services
from .admin_forms import ConsiderForm, CorrectForm, FromFileForm, ScheduleForm, WithdrawForm
from .choices import ActStatus, ConsiderationResult
from .documents import DocumentRejected, inspect_document, propose_fields
from .models import Act, ActKind


def acts_visible_to(user):
    """All acts for staff and approvers; a unit editor's own unit's acts; drafts for deputies."""
    acts = Act.objects.select_related("kind", "unit").defer("text")
    roles = user_roles(user)
    if roles & ALL_UNITS_ROLES:
        return acts
    mine = unit_records(user, acts)
    if Role.DEPUTY in roles:
        # Deputies read every draft before the session (not internal acts).
        return mine | acts.filter(kind__is_draft=True, is_internal=False)
    return mine


class ActIndexView(generic.IndexView):
    def get_base_queryset(self):
        return acts_visible_to(self.request.user)

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.add_url:
            buttons.append(
                HeaderButton(
                    _("Register from a file"),
                    url=reverse("acts_admin:from_file"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_edit_url(self, instance):
        # A row opens the act's action page (publish, consider, correct, withdraw).
        return reverse("acts_admin:actions", args=[instance.pk])


class ActCreateView(ServiceCreateView):
    """Register an act; opened from «Register from a file» it comes filled with what the file's
    text proposes (number, date, title, kind) for the editor to confirm."""

    proposal_fields = ("kind", "number", "date", "title", "pending")

    def get_initial(self):
        initial = super().get_initial()
        for name in self.proposal_fields:
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = self.request.GET.get("pending") or self.request.POST.get("pending")
        context["pending_name"] = pending_uploads.peek_name(self.request, token) if token else None
        return context

    def save_instance(self):
        data = _form_data(self.form)
        documents = list(self.form.cleaned_data.get("documents") or [])
        token = self.form.cleaned_data.get("pending")
        kept = pending_uploads.take(self.request, token) if token else None
        if kept is not None:
            documents.insert(0, inspect_document(*kept))
        return services.act_register(actor=self.request.user, data=data, documents=documents)

    def get_success_url(self):
        return reverse("acts_admin:actions", args=[self.object.pk])


class ActEditView(ServiceEditView):
    def get_base_queryset(self):
        return acts_visible_to(self.request.user)

    def save_instance(self):
        data = {k: v for k, v in _form_data(self.form).items() if k in self.form.changed_data}
        act = services.act_update(actor=self.request.user, act=self.object, data=data)
        documents = self.form.cleaned_data.get("documents") or []
        if documents:
            services.act_correct(
                actor=self.request.user,
                act=act,
                documents=documents,
                reason=_("files added"),
            )
        return act


class ActFromFileView(WagtailAdminTemplateMixin, FormView):
    """Step one of registering from a file: upload it, read what its text proposes."""

    template_name = "acts/admin/from_file.html"
    form_class = FromFileForm
    header_icon = "upload"
    page_title = gettext_lazy("Register an act from a file")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("acts.add_act"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            document = inspect_document(upload.name, content)
        except DocumentRejected as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        proposal = propose_fields(document.text) if document.text else {}
        query = {"pending": pending_uploads.keep(self.request, upload.name, content)}
        if proposal.get("number"):
            query["number"] = proposal["number"]
        if proposal.get("date"):
            query["date"] = proposal["date"].strftime("%d.%m.%Y")
        if proposal.get("title"):
            query["title"] = proposal["title"][:1000]
        kind = (
            form.cleaned_data.get("kind")
            or ActKind.objects.filter(code=proposal.get("kind_hint") or "").first()
        )
        if kind:
            query["kind"] = kind.pk
        if not document.text:
            messages.info(
                self.request,
                _(
                    "The file has no text layer yet: it will be "
                    "recognised in the background; fill in the card."
                ),
            )
        return redirect(f"{reverse('acts_admin:add')}?{urlencode(query)}")


class ActActionsView(WagtailAdminTemplateMixin, TemplateView):
    """One act's card with what can be done to it now."""

    template_name = "acts/admin/actions.html"
    header_icon = "doc-full"
    page_title = gettext_lazy("Act")

    def dispatch(self, request, pk):
        self.act = get_object_or_404(acts_visible_to(request.user), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.act)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("acts_admin:index"), "label": _("Acts")},
            {"url": "", "label": str(self.act)},
        ]

    def forms(self, data=None, files=None, bound: str = ""):
        def make(name, cls):
            return cls(data, files, prefix=name) if bound == name else cls(prefix=name)

        return {
            "schedule": make("schedule", ScheduleForm),
            "consider": make("consider", ConsiderForm),
            "correct": make("correct", CorrectForm),
            "withdraw": make("withdraw", WithdrawForm),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        act = selectors.act_get(self.act.pk, public=False)
        context.update(
            act=act,
            can_change=can_change_unit_records(self.request.user, act.unit_id),
            can_publish=act.published_at is None
            and not act.is_internal
            and act.status not in services.FINAL_STATUSES,
            can_consider=act.kind.is_draft
            and act.status in {ActStatus.REGISTERED, ActStatus.PUBLISHED, ActStatus.RETURNED},
            can_withdraw=act.status != ActStatus.WITHDRAWN,
            public_url=act.get_absolute_url() if act.is_public else "",
            edit_url=reverse("acts_admin:edit", args=[act.pk]),
        )
        context.update(kwargs.get("forms") or self.forms())
        return context

    def post(self, request, pk):
        action = request.POST.get("action", "")
        forms = self.forms(request.POST, request.FILES, bound=action)
        form = forms.get(action)
        if form is None or not form.is_valid():
            if form is None:
                messages.error(request, _("Unknown action."))
            return self.render_to_response(self.get_context_data(forms=forms))
        data = form.cleaned_data
        user, act = request.user, self.act
        if action == "schedule":
            at = data.get("publish_at")
            ok = _run(
                request,
                lambda: services.act_publish(actor=user, act=act, at=at),
                _("Publication scheduled.") if at and at > timezone.now() else _("Published."),
            )
        elif action == "consider":
            adopted = {"number": data.get("number") or "", "date": data.get("date")}
            ok = _run(
                request,
                lambda: services.draft_consider(
                    actor=user,
                    draft=act,
                    result=data["result"],
                    reason=data.get("reason", ""),
                    adopted=adopted if data["result"] == ConsiderationResult.ADOPTED else None,
                ),
                _("The result of consideration is recorded."),
            )
        elif action == "correct":
            ok = _run(
                request,
                lambda: services.act_correct(
                    actor=user,
                    act=act,
                    reason=data["reason"],
                    title=data.get("title") or None,
                    text=data.get("text") or None,
                    documents=data.get("documents") or [],
                ),
                _("A new version is saved."),
            )
        else:
            ok = _run(
                request,
                lambda: services.act_withdraw(actor=user, act=act, reason=data["reason"]),
                _("The act is withdrawn."),
            )
        if not ok:
            return self.render_to_response(self.get_context_data(forms=forms))
        return redirect("acts_admin:actions", pk=act.pk)


class DeadlineDashboardView(WagtailAdminTemplateMixin, TemplateView):
    """What is overdue, due today and due within 3 working days, by unit."""

    template_name = "acts/admin/deadlines.html"
    header_icon = "time"
    page_title = gettext_lazy("Publication deadlines")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("acts.view_act"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit_id = None if user_roles(user) & ALL_UNITS_ROLES else (user_unit_id(user) or -1)
        board = selectors.deadline_board(unit_id=unit_id)

        def by_unit(acts):
            return sorted(acts, key=lambda a: (a.unit.name if a.unit else "", a.publication_due))

        context.update(
            board=board,
            today=timezone.localdate(),
            sections=[
                (_("Overdue"), "overdue", by_unit(board.overdue)),
                (_("Due today"), "today", by_unit(board.due_today)),
                (_("Due within 3 working days"), "soon", by_unit(board.due_soon)),
            ],
        )
        return context
