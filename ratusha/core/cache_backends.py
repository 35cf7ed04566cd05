"""A Redis cache that fails soft: when Redis is down, the site works uncached.

Django's ``RedisCache`` raises ``redis.exceptions.ConnectionError`` from every call when the
server is unreachable, and every page (the page cache asks on every anonymous request), every
service (``core.cache.purge``) and the CKAN API would answer 500. ``ResilientRedisCache``
catches the connection errors of each call, answers as an empty cache would (``get`` → the
default, ``set``/``add`` → False, ``get_many`` → ``{}``, ``incr`` → ``ValueError`` as for a
missing key), logs one warning, and then skips Redis for ``RETRY_SECONDS`` so that a request
does not wait for a dead server's timeout on every call. Short socket timeouts are the default
(``socket_connect_timeout`` 0.25 s, ``socket_timeout`` 0.5 s) so a server that does not answer
at all costs at most that. ``settings.py`` uses it for every ``redis://`` ``CACHE_URL``.

``/healthz`` still sees the outage: its set-and-get check finds nothing stored.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


def _connection_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**self.DEFAULT_OPTIONS, **(params.get("OPTIONS") or {})}
        super().__init__(server, params)
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        """False while Redis is taken as down (after a failure, for ``RETRY_SECONDS``)."""
        return time.monotonic() >= self._down_until

    def _call(self, name: str, default, *args, **kwargs):
        if not self.available:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except _connection_errors() as exc:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Cache unavailable (%s): serving without it for %ss",
                type(exc).__name__,
                RETRY_SECONDS,
            )
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
