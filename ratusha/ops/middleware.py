from __future__ import annotations

import logging

from .outage import is_database_down, outage_response

logger = logging.getLogger(__name__)


class DatabaseOutageMiddleware:
    """Turn an unreachable database into the 503 page.

    Sits inside the page cache (``core.middleware.AnonymousPageCacheMiddleware``), so a page
    already cached is still served. Catches the error raised by a view (``process_exception``)
    and by the middleware inside it (the session, the user), which Django would otherwise turn
    into a 500 before it reaches here; ``core.views.server_error`` gives the same page for an
    outage seen anywhere else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except Exception as exc:  # noqa: BLE001 - re-raised unless it is the database
            if is_database_down(exc):
                logger.error("Database unreachable: %s", exc)
                return outage_response()
            raise

    def process_exception(self, request, exception):
        if is_database_down(exception):
            logger.error("Database unreachable: %s", exception)
            return outage_response()
        return None
