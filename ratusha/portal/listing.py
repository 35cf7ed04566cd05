"""The listing columns of dated pages (news, announcements, events): ``list_parent``, the page
they are listed under (their parent in the tree), and ``list_live``, kept next to ``date`` so
that each list is read in its order from one partial index, ``(list_parent, -date, -id,
list_live) WHERE list_live``, without joining Wagtail's page table for every row it counts or skips
(``selectors.listed_page``; docs/adr/0003-portal-listing-columns.md).

Derived data, like a search index, never edited: ``set_list_fields`` runs on every save of such
a page (its creation, its publication, a copy); Wagtail unpublishes (by hand or on expiry) and
moves pages without saving the specific page, so the signals of those two keep the columns
too. The lists re-check ``live`` (and fall back to the exact query under view restrictions) on
what they show, so a column out of step could hide an item but never show an unpublished one.
"""

from __future__ import annotations

from wagtail.models import Page


def parent_id_of(page: Page) -> int | None:
    """The id of ``page``'s parent in the tree (no query when treebeard has it at hand)."""
    cached = getattr(page, "_cached_parent_obj", None)
    if cached is not None:
        return cached.pk
    if not page.path or len(page.path) <= page.steplen:
        return None
    return Page.objects.filter(path=page.path[: -page.steplen]).values_list("pk", flat=True).first()


def set_list_fields(page) -> None:
    """Fill ``page``'s listing columns from its place in the tree and its state (before a save;
    a page not yet in the tree has no path and keeps them empty)."""
    page.list_parent_id = parent_id_of(page) if page.path else None
    page.list_live = bool(page.live)


def dated_models() -> list[type[Page]]:
    from .models import AnnouncementPage, EventPage, NewsPage

    return [NewsPage, AnnouncementPage, EventPage]


def _unpublished(sender, instance, **kwargs):
    sender.objects.filter(pk=instance.pk).update(list_live=False)


def _moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    if parent_page_after is not None and parent_page_before != parent_page_after:
        sender.objects.filter(pk=instance.pk).update(list_parent=parent_page_after.pk)


def connect_signals() -> None:
    from wagtail.signals import page_unpublished, post_page_move

    for model in dated_models():
        page_unpublished.connect(
            _unpublished, sender=model, dispatch_uid=f"portal.listing.unpublished.{model.__name__}"
        )
        post_page_move.connect(
            _moved, sender=model, dispatch_uid=f"portal.listing.moved.{model.__name__}"
        )
