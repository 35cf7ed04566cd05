"""Index work done by the task worker (``manage.py db_worker``): big texts and whole subtrees
of pages, so that a save in the admin does not wait for them."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_documents(kind: str, object_ids: list[str]) -> dict[str, int]:
    from . import indexing

    return indexing.refresh(kind, object_ids)


@task()
def refresh_page_subtree(page_id: int) -> dict[str, int]:
    """A page and every page under it (after a move, a new address or a view restriction)."""
    from . import receivers

    return receivers.refresh_subtree(page_id)
