"""The search parameters from the address (``?q=&kind=&from=&to=&page=``), read leniently: a
query is never refused (it is cut to its first ``MAX_QUERY_CHARS``), an unknown kind is
ignored; a date that is not a date is reported by name and left out."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from . import sources
from .query import MAX_QUERY_CHARS
from .selectors import MAX_PAGE, SearchFilters

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def _date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def read_filters(params) -> tuple[SearchFilters, dict[str, str]]:
    """``SearchFilters`` from a QueryDict and the errors found, by parameter name."""
    errors: dict[str, str] = {}
    known = sources.kinds()
    kinds = tuple(dict.fromkeys(k for k in params.getlist("kind") if k in known))
    dates: dict[str, dt.date | None] = {"from": None, "to": None}
    names = {"from": _("From"), "to": _("To")}
    for name in dates:
        value = (params.get(name) or "").strip()[:32]
        if not value:
            continue
        try:
            dates[name] = _date(value)
        except ValueError:
            errors[name] = _(
                "«%(value)s» in the field «%(field)s» is not a date: write it as DD.MM.YYYY."
            ) % {"value": value, "field": names[name]}
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        errors["to"] = _("The date «To» is earlier than the date «From».")
        dates["to"] = None
    try:
        page = max(1, min(int(params.get("page") or 1), MAX_PAGE))
    except (TypeError, ValueError):
        page = 1
    q = " ".join((params.get("q") or "")[:MAX_QUERY_CHARS].split())
    return (
        SearchFilters(q=q, kinds=kinds, date_from=dates["from"], date_to=dates["to"], page=page),
        errors,
    )
