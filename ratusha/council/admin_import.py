"""The admin's import of roll-call votes from a file of the hall's voting system.

Upload (meeting, profile, CSV or XLSX, «replace unpublished votes», «publish at once») → the
preview: per vote its number, motion, time, totals and the result it would get, every problem
with its row, and a confirm button only when there is none (the service is run as a dry run
to find what it would refuse) → confirm: the file is read again and saved through
``services.vote_events_record`` (all or nothing); a refusal is shown and nothing is saved.

The file waits between preview and confirm in ``acts.pending_uploads`` (private, by a token
only this session knows, removed when taken or after a day). Only the council's staff
(``services.COUNCIL_ROLES``) may use it. ``wagtail_hooks`` mounts ``urlpatterns`` as
``/admin/council-import/`` (namespace ``council_import``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ratusha.acts import pending_uploads
from ratusha.core.permissions import RecordPermissionDenied, require_role

from . import importing, services
from .models import Meeting, VotingImportProfile

MAX_ERRORS_SHOWN = 300


def _meetings():
    return Meeting.objects.select_related("convocation", "organization").order_by("-date", "-id")


class UploadForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=_meetings(), label=gettext_lazy("Meeting"))
    profile = forms.ModelChoiceField(
        queryset=VotingImportProfile.objects.all(),
        required=False,
        label=gettext_lazy("Import profile"),
        empty_label=gettext_lazy(
            "Built-in: № голосування, Назва, Час, Ідентифікатор, Депутат, Рішення"
        ),
        help_text=gettext_lazy("Which column of the file holds what; the systems differ."),
    )
    file = forms.FileField(
        label=gettext_lazy("File of the voting system"),
        help_text=gettext_lazy(
            "CSV (UTF-8 or Windows-1251) or XLSX with one row per deputy per vote."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace unpublished votes with the same numbers"), required=False
    )
    publish = forms.BooleanField(label=gettext_lazy("Publish the results at once"), required=False)


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    meeting = forms.ModelChoiceField(queryset=_meetings(), widget=forms.HiddenInput)
    profile = forms.ModelChoiceField(
        queryset=VotingImportProfile.objects.all(), required=False, widget=forms.HiddenInput
    )
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)


class _CouncilStaffOnly:
    def dispatch(self, request, *args, **kwargs):
        try:
            require_role(request.user, *services.COUNCIL_ROLES)
        except RecordPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return super().dispatch(request, *args, **kwargs)


def _meeting_url(meeting: Meeting) -> str:
    try:
        return reverse("council_meetings:manage", args=[meeting.pk])
    except NoReverseMatch:
        return reverse("council_import:upload") + f"?meeting={meeting.pk}"


class UploadView(_CouncilStaffOnly, WagtailAdminTemplateMixin, FormView):
    """Step one: upload the file; the answer is the preview."""

    template_name = "council/admin/import_upload.html"
    form_class = UploadForm
    header_icon = "upload"
    page_title = gettext_lazy("Import votes from the voting system")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_initial(self):
        initial = super().get_initial()
        meeting = self.request.GET.get("meeting", "")
        if meeting.isdigit():
            initial["meeting"] = int(meeting)
        default = VotingImportProfile.objects.filter(is_default=True).first()
        if default is not None:
            initial["profile"] = default.pk
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_size"] = importing.MAX_FILE_SIZE
        context["default_profile"] = importing.default_profile()
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        upload, meeting, profile = data["file"], data["meeting"], data.get("profile")
        name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
        try:
            importing.check_size(name, upload.size)
            content = upload.read()
            voting_file = importing.parse_voting_file(
                name, content, meeting=meeting, profile=profile
            )
        except importing.ImportRefused as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        try:
            importing.check(
                voting_file, actor=self.request.user, meeting=meeting, replace=data["replace"]
            )
        except RecordPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        confirm_form = None
        if voting_file.ok:
            token = pending_uploads.keep(self.request, name, content)
            confirm_form = ConfirmForm(
                initial={
                    "token": token,
                    "meeting": meeting.pk,
                    "profile": profile.pk if profile else "",
                    "replace": data["replace"],
                    "publish": data["publish"],
                }
            )
        self.template_name = "council/admin/import_preview.html"
        return self.render_to_response(
            self.get_context_data(
                form=form,
                meeting=meeting,
                profile=profile or importing.default_profile(),
                voting_file=voting_file,
                motions=importing.preview(meeting, voting_file.motions),
                errors=voting_file.errors[:MAX_ERRORS_SHOWN],
                errors_hidden=max(0, len(voting_file.errors) - MAX_ERRORS_SHOWN),
                confirm_form=confirm_form,
                replace=data["replace"],
                publish=data["publish"],
            )
        )


class ConfirmView(_CouncilStaffOnly, WagtailAdminTemplateMixin, FormView):
    """Step two: read the kept file again and save it through the service."""

    template_name = "council/admin/import_upload.html"
    form_class = ConfirmForm
    header_icon = "upload"
    page_title = gettext_lazy("Import votes from the voting system")
    http_method_names = ["post"]

    def form_invalid(self, form):
        messages.error(self.request, _("The import could not be confirmed; upload the file again."))
        return redirect("council_import:upload")

    def form_valid(self, form):
        data = form.cleaned_data
        meeting, profile = data["meeting"], data.get("profile")
        kept = pending_uploads.take(self.request, data["token"])
        if kept is None:
            messages.error(self.request, _("The uploaded file is no longer kept; upload it again."))
            return redirect(f"{reverse('council_import:upload')}?meeting={meeting.pk}")
        name, content = kept
        try:
            voting_file = importing.parse_voting_file(
                name, content, meeting=meeting, profile=profile
            )
            events = importing.record(
                voting_file,
                actor=self.request.user,
                meeting=meeting,
                replace=data["replace"],
                publish=data["publish"],
            )
        except RecordPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            upload_form = UploadForm(
                initial={
                    "meeting": meeting.pk,
                    "profile": profile.pk if profile else None,
                    "replace": data["replace"],
                    "publish": data["publish"],
                }
            )
            refusal = _("Nothing is imported from «%(name)s»:") % {"name": name}
            return self.render_to_response(
                self.get_context_data(
                    form=upload_form,
                    max_size=importing.MAX_FILE_SIZE,
                    default_profile=importing.default_profile(),
                    refusal=refusal,
                    refusal_messages=exc.messages[:MAX_ERRORS_SHOWN],
                )
            )
        messages.success(
            self.request,
            ngettext(
                "%(count)s vote is imported from «%(name)s».",
                "%(count)s votes are imported from «%(name)s».",
                len(events),
            )
            % {"count": len(events), "name": name},
        )
        return redirect(_meeting_url(meeting))


upload = UploadView.as_view()
confirm = ConfirmView.as_view()

urlpatterns = [
    path("", upload, name="upload"),
    path("confirm/", confirm, name="confirm"),
]
