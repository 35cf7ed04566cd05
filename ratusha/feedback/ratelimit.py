"""How many posts one client address may make to a public form in a window of time.

Counted in Django's default cache, which every web process shares in production (a file cache
under ``var/cache`` or Redis, ADR 0003): a counter per address and fixed window, created with
``add`` and raised with ``incr`` (atomic on Redis; on the file cache two processes racing in the
same instant may each count once where one count was due, never fewer posts refused than the
limit allows plus the number of processes). The address is hashed with the secret key, so the
cache holds no address in clear."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from ratusha.security.network import client_ip


@dataclass(frozen=True)
class Limit:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def _key(scope: str, address: str, window: int, number: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{address}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{number}:{digest}"


def hit(request, scope: str, *, limit: int, window: int) -> Limit:
    """Count one post of ``request``'s address to ``scope``; ``allowed`` is False once more
    than ``limit`` posts came within the current ``window`` seconds."""
    address = client_ip(request) or "unknown"
    now = int(time.time())
    number = now // window
    key = _key(scope, address, window, number)
    retry_after = (number + 1) * window - now
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 60)
        count = 1
    return Limit(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)
