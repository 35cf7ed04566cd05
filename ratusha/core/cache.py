"""The public pages' cache: full responses to anonymous visitors, kept for
``PORTAL_CACHE_SECONDS`` with the *generation* number they were made under; any change of what
the public sees bumps the generation, so every cached page is dropped at once (``purge``). A
page and the current generation are read together, in one round trip to the cache
(``lookup``); a page of an older generation is made again and stored over the old one.

The generation lives in the cache itself (``CACHES["default"]``), so every process that serves
or changes pages must share one cache: the web server's workers and the task worker (which
publishes scheduled pages). Locally that is a file cache under ``var/cache`` (the default), in
production Redis (``CACHE_URL=redis://127.0.0.1:6379/1``). A per-process cache
(``locmemcache://``) would let one process purge only its own copy: a page changed in the admin
or by the worker could then be served stale by another for up to ``PORTAL_CACHE_SECONDS``.

The same generation tells each process when to rebuild the frame's menu and banners, which
it keeps in its own memory (``frame.py``, also with the page cache off).

Core is below every app, so the apps connect their own "changed" signals to ``purge`` in their
``AppConfig.ready()``; the page signals of Wagtail are connected here (``connect_page_signals``).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "ratusha:pages:generation"
KEY_PREFIX = "ratusha:page"


def timeout() -> int:
    """Seconds a page stays cached; 0 turns the cache off."""
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 300) or 0)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A new (or flushed) cache starts from the clock, never from a number an old entry
        # could still carry.
        start = int(time.time() * 1000)
        cache.add(GENERATION_KEY, start, None)
        value = cache.get(GENERATION_KEY)
        if value is None:  # the cache is unavailable: nothing stored will be found
            return start
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is gone (flushed or evicted): start again from the clock
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def purge(*args, **kwargs) -> None:
    """Drop every cached page. Has a signal receiver's signature, so apps connect it directly.

    Bumped now and again after the commit: a visitor whose request ran between the two would
    otherwise keep the old page cached under the new generation.
    """
    _bump()
    transaction.on_commit(_bump)


def page_key(request) -> str:
    """The key of a page for this request: host, path with query, and the cookies that change
    what is shown (language, version for the visually impaired)."""
    from .context_processors import LOW_VISION_COOKIE

    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
            request.COOKIES.get(LOW_VISION_COOKIE, ""),
        )
    )
    digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{KEY_PREFIX}:{digest}"


def lookup(key: str) -> tuple[int, tuple | None]:
    """(the current generation, the page stored under ``key`` if it is of that generation)
    — one ``get_many`` of the cache. A stored page is ``(generation, status, headers,
    content)``; the page returned is without its generation."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    stored = found.get(key)
    if stored is None or stored[0] != current:
        return int(current), None
    return int(current), stored[1:]


def store(key: str, generation_number: int, status: int, headers: list, content: bytes) -> bool:
    """Store a page; False when the cache is unavailable (Redis down: nothing was stored)."""
    cache.set(key, (generation_number, status, headers, content), timeout())
    return getattr(cache, "available", True)


def connect_page_signals() -> None:
    """Purge when a page is published, unpublished, moved or deleted."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(purge, dispatch_uid="ratusha.cache.page_published")
    page_unpublished.connect(purge, dispatch_uid="ratusha.cache.page_unpublished")
    post_page_move.connect(purge, dispatch_uid="ratusha.cache.page_moved")
    post_delete.connect(purge, sender=Page, dispatch_uid="ratusha.cache.page_deleted")
    # Every public page shows the hromada's settings; unit pages show units and their staff.
    # The sites decide the pages' addresses (the frame's menu keeps them, ``frame.py``).
    from wagtail.models import Site

    from .models import Employee, HromadaSettings, StructuralUnit

    for model in (HromadaSettings, StructuralUnit, Employee, Site):
        for signal in (post_save, post_delete):
            signal.connect(purge, sender=model, dispatch_uid=f"ratusha.cache.{model.__name__}")
