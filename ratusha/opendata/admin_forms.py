"""Forms of the open data admin. They only collect input (and inspect uploads); services
decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .files import DocumentRejected, InspectedFile, inspect_upload

ACCEPT = ".csv,.xlsx,.json,.xml,.pdf,.docx,.ods"


class DatasetAdminForm(WagtailAdminModelForm):
    tag_names = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())
        if "identifier" in self.fields:
            self.fields["identifier"].required = False

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tag_names", "").split(",") if t.strip()]


def _inspected(upload) -> InspectedFile:
    try:
        return inspect_upload(upload.name, upload.read())
    except DocumentRejected as exc:
        raise forms.ValidationError(exc.messages) from exc


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Name of the resource"), max_length=254, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1251), XLSX, JSON, XML, PDF, DOCX or ODS."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self):
        return _inspected(self.cleaned_data["file"])


class ReplaceForm(forms.Form):
    resource = forms.TypedChoiceField(label=_("Resource"), coerce=int)
    file = forms.FileField(
        label=_("New file"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [(r.pk, r.title) for r in resources]

    def clean_file(self):
        return _inspected(self.cleaned_data["file"])


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
