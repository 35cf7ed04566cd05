"""The answer when the database cannot be reached: a static Ukrainian page, status 503."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def is_database_down(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, DATABASE_DOWN):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def outage_response() -> HttpResponse:
    """Rendered without a request, so no context processor, session or user touches the
    database."""
    response = HttpResponse(loader.render_to_string("ops/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
