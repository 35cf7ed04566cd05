"""The public registry's filter form: a GET form whose values live in the URL.

An invalid value (a date like 31.02.2021, a year like «abc») is reported on the form in the
visitor's language and dropped; the other filters still apply, so the list always renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ActStatus, IssuingBody
from .models import ActKind
from .selectors import ActFilters

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
PAGE_SIZES = (20, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
MIN_YEAR, MAX_YEAR = 1990, 2100

SORT_CHOICES = [
    ("-date", _("newest first")),
    ("date", _("oldest first")),
    ("number", _("by number")),
    ("-number", _("by number, descending")),
    ("title", _("by title, A to Z")),
    ("-title", _("by title, Z to A")),
]

DATE_ERROR = _("Enter a real date as DD.MM.YYYY, e.g. 20.03.2025.")


class DateInput(forms.TextInput):
    """A text box for ДД.ММ.РРРР: typed by hand, works in every browser and screen reader."""

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        return super().format_value(value)


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        widget=DateInput(
            attrs={"placeholder": _("DD.MM.YYYY"), "inputmode": "numeric", "size": 10}
        ),
        help_text=_("DD.MM.YYYY"),
    )


@dataclass(frozen=True)
class Control:
    """What the template needs to draw one filter control by hand (see ``controls``)."""

    name: str
    id: str
    label: str
    value: str
    help_text: str
    errors: list[str]
    options: list[tuple[str, str, bool]] | None  # (value, label, selected) for a select
    attrs: dict[str, str]

    @property
    def describedby(self) -> str:
        ids = [f"{self.id}_helptext"] if self.help_text else []
        return " ".join(ids + ([f"{self.id}_error"] if self.errors else []))


class ActFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("Enter the year as four digits, e.g. 2025."),
            "min_value": _("Enter a year from %(limit_value)s on."),
            "max_value": _("Enter a year up to %(limit_value)s."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
    )
    date_from = _date_field(_("Date from"))
    date_to = _date_field(_("Date to"))
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=64,
        help_text=_("E.g. 245-VIII; the sign № and letter case do not matter."),
    )
    issuing_body = forms.ChoiceField(
        label=_("Issued by"),
        required=False,
        choices=[("", _("any"))] + list(IssuingBody.choices),
    )
    unit = forms.ChoiceField(label=_("Structural unit"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any"))]
        + [(value, label) for value, label in ActStatus.choices if value != ActStatus.REGISTERED],
    )
    words = forms.CharField(label=_("Words in the title or text"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        choices=[(size, size) for size in PAGE_SIZES],
    )

    def __init__(
        self,
        data=None,
        *,
        kinds: Iterable[ActKind] = (),
        units: Iterable[tuple[str, str]] = (),
        **kwargs,
    ):
        kwargs.setdefault("auto_id", "filter-%s")
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(data, **kwargs)
        # Choices from kinds and units already fetched by the view: no query while validating
        # or rendering.
        self.fields["kind"].choices = [("", _("all kinds"))] + [
            (kind.code, kind.name) for kind in kinds
        ]
        self.fields["unit"].choices = [("", _("all units"))] + list(units)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def valid_value(self, name: str, default=None):
        """The cleaned value of a field, or ``default`` if it was empty or invalid."""
        self.is_valid()  # runs the validation once; an unbound form has no values
        value = getattr(self, "cleaned_data", {}).get(name)
        return default if value in (None, "") else value

    def filters(self) -> ActFilters:
        """The filters the visitor asked for, keeping only the values that are valid."""
        return ActFilters(
            kind=self.valid_value("kind", ""),
            year=self.valid_value("year"),
            date_from=self.valid_value("date_from"),
            date_to=self.valid_value("date_to"),
            number=self.valid_value("number", "").strip(),
            issuing_body=self.valid_value("issuing_body", ""),
            unit=self.valid_value("unit", ""),
            status=self.valid_value("status", ""),
            words=self.valid_value("words", "").strip(),
            sort=self.valid_value("sort", "-date"),
        )

    def controls(self) -> dict[str, Control]:
        """The fields as plain data for ``acts/includes/filter_field.html``.

        Django's widget templates cost about 15 ms for this form on every list request (a
        third of the list's time budget); drawing the same accessible markup (label,
        help text and errors tied by ``aria-describedby``, ``aria-invalid``) from this data
        costs about one."""
        self.is_valid()
        controls = {}
        for bound in self:
            field = bound.field
            raw = bound.value()
            options = None
            if isinstance(field, forms.ChoiceField):
                value = "" if raw is None else str(raw)
                options = [
                    (str(key), str(label), str(key) == value) for key, label in field.choices
                ]
            else:
                value = field.widget.format_value(raw)
                value = "" if value is None else str(value)
            attrs = {
                key: str(attr)
                for key, attr in field.widget.attrs.items()
                if key in {"placeholder", "inputmode", "size", "maxlength"}
            }
            controls[bound.name] = Control(
                name=bound.html_name,
                id=bound.auto_id,
                label=str(bound.label),
                value=value,
                help_text=str(bound.help_text or ""),
                errors=[str(error) for error in bound.errors],
                options=options,
                attrs=attrs,
            )
        return controls

    def page_size(self) -> int:
        return self.valid_value("per_page", DEFAULT_PAGE_SIZE)
