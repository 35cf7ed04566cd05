"""Which mail connection to use.

``EMAIL_BACKEND`` is the outbox (``ratusha.ops.mail.OutboxBackend``): a message is stored and
the worker sends it, retrying while the mail server is down. Code that keeps its own delivery
log and retries (council's drafts to deputies) talks to the transport directly through
``transport_connection()``: the backend ``EMAIL_TRANSPORT_BACKEND`` names, or simply
``EMAIL_BACKEND`` when that is not the outbox (tests use Django's in-memory backend)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection

OUTBOX_BACKEND = "ratusha.ops.mail.OutboxBackend"


def transport_backend() -> str:
    if settings.EMAIL_BACKEND == OUTBOX_BACKEND:
        return getattr(settings, "EMAIL_TRANSPORT_BACKEND", "") or (
            "django.core.mail.backends.smtp.EmailBackend"
        )
    return settings.EMAIL_BACKEND


def transport_connection(**kwargs):
    """A connection that sends now (no outbox)."""
    return get_connection(transport_backend(), **kwargs)
