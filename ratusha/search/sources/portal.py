"""The portal's pages in the index: news, announcements, events and every other page of the
site (sections, unit pages, contacts, albums, videos), live and public only (a page in a
section with a view restriction is not). The text is what the page declares searchable in its
Wagtail ``search_fields``, so a page type the portal adds is indexed without a change here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index

from . import Doc, Source, register

# Page models (by model name) that have a kind of their own; every other page is a «page».
PAGE_KINDS = {"newspage": "news", "announcementpage": "announcement", "eventpage": "event"}
CHUNK = 500


def _text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_text_of(item) for item in value)
    return strip_tags(str(value))


def _date(page: Page) -> dt.date | None:
    value = getattr(page, "start", None) or getattr(page, "date", None)
    value = value or page.last_published_at or page.first_published_at
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def kind_of(page: Page) -> str:
    return PAGE_KINDS.get(page.specific_class._meta.model_name, "page")


def _doc(page: Page) -> Doc | None:
    url = page.get_url()
    if not url:  # not under any site: no address to show
        return None
    parts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name != "title":
            parts.append(_text_of(field.get_value(page)))
    if getattr(page, "search_description", ""):
        parts.append(page.search_description)
    return Doc(
        kind=kind_of(page),
        object_id=str(page.pk),
        title=page.title,
        url=url,
        text="\n".join(part for part in parts if part.strip()),
        date=_date(page),
    )


def _public_pages():
    return Page.objects.live().public().filter(depth__gt=1)


def _specific(ids: list[int]) -> list[Page]:
    return list(Page.objects.filter(pk__in=ids).specific().order_by("pk"))


class PortalSource(Source):
    name = "portal"
    kinds = {
        "news": _("News"),
        "announcement": _("Announcements"),
        "event": _("Events"),
        "page": _("Site pages"),
    }

    def documents(self, kind=None) -> Iterator[Doc]:
        pages = _public_pages()
        if kind is not None:
            models = [m for m, k in PAGE_KINDS.items() if k == kind]
            if kind == "page":
                pages = pages.exclude(content_type__model__in=list(PAGE_KINDS))
            else:
                pages = pages.filter(content_type__model__in=models)
        ids = list(pages.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            for page in _specific(ids[start : start + CHUNK]):
                doc = _doc(page)
                if doc is not None:
                    yield doc

    def fetch(self, kind: str, object_ids: Iterable[str]) -> dict[str, Doc | None]:
        keys = [str(key) for key in object_ids]
        ids = [int(key) for key in keys if key.isdigit()]
        public = set(_public_pages().filter(pk__in=ids).values_list("pk", flat=True))
        found = {}
        for page in _specific(sorted(public)):
            doc = _doc(page)
            if doc is not None:
                found[doc.object_id] = doc
        return {key: found.get(key) for key in keys}


register(PortalSource())
