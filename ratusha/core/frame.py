"""Frame memoisation: what the frame of every public page shows from the database (the main
menu, the banners) kept in each process's memory and rebuilt after any change of what the
public sees.

This is not the page cache (``cache.py``) and works with it off (``PORTAL_CACHE_SECONDS=0``):
a page is still made for every request, only the frame's reads are not repeated. Each process
keeps its values under the *generation* number of the page cache, which lives in the shared
cache (``CACHES["default"]``: a file cache locally, Redis in production) and which every
publish, unpublish, move or deletion of a page, and every change of the banners, the hromada's
settings or the sites, bumps (``cache.purge``). A process reads the generation (one cache read)
before it uses a kept value; a value of an older generation is thrown away and read again — so
a change made in the admin or by the task worker is seen by every process at its next request.
A change that sends no signal (a script writing to the database directly) is seen at most
``FRAME_MEMO_SECONDS`` (60 by default) later, when a kept value is read again anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings

from . import cache as page_cache


def max_age() -> float:
    """Seconds a kept value is used at most, whatever the generation."""
    return float(getattr(settings, "FRAME_MEMO_SECONDS", 60))


class FrameMemo:
    """Values of one generation, by key; all of them are dropped when the generation moves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: int | None = None
        self._values: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, build: Callable[[], Any], request=None) -> Any:
        """The value kept under ``key``, or ``build()`` kept. With ``request``, the generation
        is read from the shared cache once for the whole request."""
        current = getattr(request, "_ratusha_frame_generation", None)
        if current is None:
            current = page_cache.generation()
            if request is not None:
                request._ratusha_frame_generation = current
        now = time.monotonic()
        with self._lock:
            if self._generation == current and key in self._values:
                built_at, value = self._values[key]
                if now - built_at < max_age():
                    return value
        value = build()
        # Stored under the generation read *before* building: a change committed meanwhile has
        # bumped the generation, so the value is not served past the next request.
        with self._lock:
            if self._generation != current:
                self._generation, self._values = current, {}
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation, self._values = None, {}


memo = FrameMemo()
