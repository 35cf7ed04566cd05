from __future__ import annotations

import sys

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ratusha.core.views import server_error as core_server_error

from . import health
from .outage import is_database_down, outage_response


@never_cache
@require_GET
def healthz(request):
    """JSON of the database, cache, worker and disk checks; 200 when all pass, else 503."""
    data = health.report()
    return JsonResponse(data, status=200 if data["status"] == "ok" else 503)


def server_error(request):
    """The 500 handler: the 503 page when what failed was the database."""
    if is_database_down(sys.exc_info()[1]):
        return outage_response()
    return core_server_error(request)
