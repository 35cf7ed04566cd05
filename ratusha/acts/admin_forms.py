"""Forms of the acts admin. They only collect input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .choices import ConsiderationResult
from .documents import DocumentRejected, InspectedDocument
from .models import ActKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (DOCX, ODT, PDF, scanned images)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".docx,.odt,.pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def inspect_uploads(files) -> list[InspectedDocument]:
    """Inspect every uploaded file; all refusals are collected into one error."""
    if not files:
        return []
    from .documents import inspect_document

    documents, errors = [], []
    for upload in files or ():
        try:
            documents.append(inspect_document(upload.name, upload.read()))
        except DocumentRejected as exc:
            errors.extend(exc.messages)
    if errors:
        raise forms.ValidationError(errors)
    return documents


class ActAdminForm(WagtailAdminModelForm):
    documents = MultipleFileField(
        label=_("Files"),
        help_text=_("DOCX, ODT, PDF or scanned images; the text is extracted automatically."),
    )
    pending = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_documents(self):
        return inspect_uploads(self.cleaned_data.get("documents"))


class FromFileForm(forms.Form):
    file = forms.FileField(
        label=_("File of the act"),
        help_text=_(
            "DOCX, ODT, PDF or a scanned image. Number, date and title are read from "
            "the text; you confirm them on the next page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.odt,.pdf,.jpg,.jpeg,.png,.tif"}),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        required=False,
        queryset=ActKind.objects.all(),
        help_text=_("Leave empty to let the text decide."),
    )


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now. Format: ДД.ММ.РРРР ГГ:ХХ."),
    )


class ConsiderForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=ConsiderationResult.choices)
    reason = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    number = forms.CharField(label=_("Number of the adopted act"), required=False, max_length=64)
    date = forms.DateField(label=_("Date of adoption"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("result") == ConsiderationResult.ADOPTED and not data.get("date"):
            self.add_error("date", _("Give the date of adoption."))
        return data


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)
    title = forms.CharField(label=_("Title"), required=False, max_length=1000)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea)
    documents = MultipleFileField(label=_("Files of the new version"))

    def clean_documents(self):
        return inspect_uploads(self.cleaned_data.get("documents"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"), widget=forms.Textarea(attrs={"rows": 3})
    )
