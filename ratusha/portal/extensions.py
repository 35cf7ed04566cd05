"""Extension points of the public site for the apps built beside it (the portal imports none
of them).

``HOME_SECTIONS``: functions of the request returning a section of the home page,
``{"template": "...", "context": {...}}``, or ``None`` when they have nothing to show (the
latest acts, the upcoming council sessions). Apps register theirs in ``AppConfig.ready()``; the
home page includes each template with ``data`` set to the section's context.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

HOME_SECTIONS: list[Callable[[HttpRequest], dict | None]] = []


def home_sections(request: HttpRequest) -> list[dict]:
    """The registered sections that have something to show, in order."""
    return [section for build in HOME_SECTIONS if (section := build(request)) is not None]
