"""The address a request came from."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """``REMOTE_ADDR``, or behind ``RATUSHA_TRUSTED_PROXIES`` reverse proxies the address the
    outermost trusted proxy saw (counted from the right of X-Forwarded-For, so a client cannot
    choose its own address by sending the header)."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    hops = int(getattr(settings, "RATUSHA_TRUSTED_PROXIES", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote
