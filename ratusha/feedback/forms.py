"""The public feedback form. Every message names its field, in the visitor's language."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import StructuralUnit

from .models import EMAIL_MAX, NAME_MAX, PHONE_MAX, TEXT_MAX

# The field robots fill and people never see (the ``hidden`` attribute hides it from sight and
# from assistive technology alike; no inline style is needed, the CSP forbids them).
HONEYPOT = "website"
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{5,}$")
# Control characters other than tab and line breaks are never part of a message.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _required(field: str):
    return _("Fill in the «%(field)s» field.") % {"field": field}


def _too_long(field: str):
    # %(limit_value)d and %(show_value)d are filled in by Django's MaxLengthValidator.
    return _(
        "«%(field)s» may be at most %%(limit_value)d characters long (now %%(show_value)d)."
    ) % {"field": field}


class FeedbackForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail for the answer"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    unit = forms.ModelChoiceField(
        label=_("To whom (optional)"),
        queryset=StructuralUnit.objects.none(),
        required=False,
        empty_label=_("I do not know — to the general office"),
    )
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data to answer this message"),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = StructuralUnit.objects.filter(is_active=True)
        messages = {
            "name": (_("Your name"), None),
            "email": (
                _("E-mail for the answer"),
                _("«%(field)s»: enter an e-mail address like name@example.com."),
            ),
            "phone": (_("Phone (optional)"), None),
            "text": (_("Message"), None),
        }
        for name, (label, invalid) in messages.items():
            field = self.fields[name]
            field.error_messages["required"] = _required(label)
            # Validators are shared with the class's field: replace them, never change them.
            validators = []
            for validator in field.validators:
                if isinstance(validator, MaxLengthValidator):
                    validator = MaxLengthValidator(validator.limit_value, message=_too_long(label))
                elif isinstance(validator, EmailValidator):
                    validator = EmailValidator(message=invalid % {"field": label})
                validators.append(validator)
            field.validators = validators
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "«%(field)s»: choose a unit from the list."
        ) % {"field": _("To whom (optional)")}
        self.fields["consent"].error_messages["required"] = _(
            "Tick «%(field)s»: without the consent we cannot accept the message."
        ) % {"field": _("I agree to the processing of my personal data to answer this message")}

    def clean_name(self):
        return CONTROL_RE.sub("", self.cleaned_data["name"]).strip()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _(
                    "«%(field)s»: digits, spaces, brackets, dashes and a leading + only, "
                    "e.g. +380 44 123 45 67."
                )
                % {"field": _("Phone (optional)")},
                code="invalid",
            )
        return phone

    def clean_text(self):
        text = CONTROL_RE.sub("", self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(_required(_("Message")), code="required")
        return text

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "email", "phone", "unit", "text")}
