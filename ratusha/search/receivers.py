"""Search follows the records: after each commit that changes one, its documents are brought up
to date — at once for an ordinary record, through the worker for a big text or a subtree of
pages. Connected in ``SearchConfig.ready``; apps never import search.

- acts: ``acts.signals_out.act_changed`` (published, corrected, withdrawn: a withdrawn or
  unpublished act leaves the index);
- council: ``meeting_changed`` (the meeting and its agenda items), ``deputy_changed``,
  ``person_changed`` (the person's mandates: their documents carry the name and card),
  ``body_changed`` (the body's meetings, and the mandates of its convocation: a deputy's
  document names their faction and commissions), ``convocation_changed`` (its mandates and
  meetings, which name it);
- open data: ``dataset_changed`` (a published dataset comes in, a withdrawn one leaves);
- portal: Wagtail's ``page_published``, ``page_unpublished``, ``post_page_move``, the deletion
  of a page and changes of view restrictions.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import indexing, sources, tasks
from .models import SearchDocument

logger = logging.getLogger(__name__)

INLINE_TEXT_LIMIT = 50_000  # characters: a longer text is indexed by the worker
INLINE_RECORDS = 200  # records: more (a convocation's meetings) are indexed by the worker
WORKER_BATCH = 200  # records in one task of the worker


def _after_commit(function) -> None:
    transaction.on_commit(function, robust=True)


def refresh_now_or_later(kind: str, object_ids: list[str]) -> None:
    """Index these records now, or hand them to the worker if a text is big."""
    found = sources.source_of(kind).fetch(kind, object_ids)
    if any(doc is not None and len(doc.text) > INLINE_TEXT_LIMIT for doc in found.values()):
        tasks.refresh_documents.enqueue(kind, [str(key) for key in object_ids])
        return
    gone = [key for key, doc in found.items() if doc is None]
    indexing.store(doc for doc in found.values() if doc is not None)
    if gone:
        indexing.remove(kind, gone)


def refresh_many(kind: str, object_ids: list[str]) -> None:
    """Index a group of records that show another one (its name changed): now if they are
    few, else through the worker in batches."""
    if len(object_ids) <= INLINE_RECORDS:
        if object_ids:
            refresh_now_or_later(kind, object_ids)
        return
    for start in range(0, len(object_ids), WORKER_BATCH):
        tasks.refresh_documents.enqueue(kind, object_ids[start : start + WORKER_BATCH])


def on_act_changed(sender, act_id, **kwargs):
    _after_commit(lambda: refresh_now_or_later("act", [str(act_id)]))


def on_deputy_changed(sender, deputy_id, **kwargs):
    _after_commit(lambda: refresh_now_or_later("deputy", [str(deputy_id)]))


def refresh_person(person_id: int) -> None:
    from .sources import council

    refresh_many("deputy", council.deputies_of_person(person_id))


def on_person_changed(sender, person_id, **kwargs):
    _after_commit(lambda: refresh_person(person_id))


def refresh_body(organization_id: int) -> None:
    from .sources import council

    convocation_id = council.body_convocation(organization_id)
    if convocation_id is not None:
        refresh_many("deputy", council.deputies_of_convocation(convocation_id))
    refresh_many("meeting", council.meetings_of(organization_id=organization_id))


def on_body_changed(sender, organization_id, **kwargs):
    _after_commit(lambda: refresh_body(organization_id))


def refresh_convocation(convocation_id: int) -> None:
    from .sources import council

    refresh_many("deputy", council.deputies_of_convocation(convocation_id))
    refresh_many("meeting", council.meetings_of(convocation_id=convocation_id))


def on_convocation_changed(sender, convocation_id, **kwargs):
    _after_commit(lambda: refresh_convocation(convocation_id))


def on_dataset_changed(sender, dataset_id, **kwargs):
    _after_commit(lambda: refresh_now_or_later("dataset", [str(dataset_id)]))


def refresh_meeting(meeting_id: int) -> None:
    source = sources.source_of("agenda_item")
    refresh_now_or_later("meeting", [str(meeting_id)])
    indexing.replace_group("agenda_item", f"{meeting_id}.", source.meeting_items(meeting_id))


def on_meeting_changed(sender, meeting_id, **kwargs):
    _after_commit(lambda: refresh_meeting(meeting_id))


# Portal pages -------------------------------------------------------------------------------


def _page_kind(page) -> str:
    from .sources.portal import kind_of

    return kind_of(page)


def refresh_subtree(page_id: int) -> dict[str, int]:
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return {}
    totals: dict[str, int] = {}
    ids = Page.objects.descendant_of(page, inclusive=True).values_list("pk", "content_type__model")
    from .sources.portal import PAGE_KINDS

    by_kind: dict[str, list[str]] = {}
    for pk, model in ids:
        by_kind.setdefault(PAGE_KINDS.get(model, "page"), []).append(str(pk))
    for kind, keys in by_kind.items():
        for start in range(0, len(keys), 500):
            counts = indexing.refresh(kind, keys[start : start + 500])
            for name, n in counts.items():
                totals[name] = totals.get(name, 0) + n
    return totals


def _refresh_page(page_id: int, kind: str) -> None:
    before = (
        SearchDocument.objects.filter(kind=kind, object_id=str(page_id))
        .values_list("url", flat=True)
        .first()
    )
    refresh_now_or_later(kind, [str(page_id)])
    after = (
        SearchDocument.objects.filter(kind=kind, object_id=str(page_id))
        .values_list("url", flat=True)
        .first()
    )
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    # A new address for the page is a new address for everything under it.
    if before and after and before != after and page and page.get_children_count():
        tasks.refresh_page_subtree.enqueue(page_id)


def on_page_published(sender, instance, **kwargs):
    page_id, kind = instance.pk, _page_kind(instance)
    _after_commit(lambda: _refresh_page(page_id, kind))


def on_page_unpublished(sender, instance, **kwargs):
    page_id, kind = instance.pk, _page_kind(instance)
    _after_commit(lambda: indexing.remove(kind, [str(page_id)]))


def on_page_deleted(sender, instance, **kwargs):
    from .sources.portal import PortalSource

    page_id = str(instance.pk)
    _after_commit(
        lambda: SearchDocument.objects.filter(
            kind__in=list(PortalSource.kinds), object_id=page_id
        ).delete()
    )


def on_page_moved(sender, instance, **kwargs):
    page_id = instance.pk
    _after_commit(lambda: tasks.refresh_page_subtree.enqueue(page_id))


def on_restriction_changed(sender, instance, **kwargs):
    page_id = instance.page_id
    _after_commit(lambda: tasks.refresh_page_subtree.enqueue(page_id))


def connect() -> None:
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from ratusha.acts.signals_out import act_changed
    from ratusha.council import signals_out as council_signals
    from ratusha.opendata.signals_out import dataset_changed

    act_changed.connect(on_act_changed, dispatch_uid="ratusha.search.act_changed")
    for name, receiver in (
        ("meeting_changed", on_meeting_changed),
        ("deputy_changed", on_deputy_changed),
        ("person_changed", on_person_changed),
        ("body_changed", on_body_changed),
        ("convocation_changed", on_convocation_changed),
    ):
        getattr(council_signals, name).connect(receiver, dispatch_uid=f"ratusha.search.{name}")
    dataset_changed.connect(on_dataset_changed, dispatch_uid="ratusha.search.dataset_changed")
    page_published.connect(on_page_published, dispatch_uid="ratusha.search.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="ratusha.search.page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="ratusha.search.page_moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="ratusha.search.page_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"ratusha.search.restriction.{signal is post_save}",
        )
