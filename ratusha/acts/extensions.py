"""Extension points of the acts registry for the apps built on it (acts imports none of them).

``ACT_PAGE_SECTIONS``: functions of an act returning a section of its public page,
``{"template": "...", "context": {...}}``, or ``None`` when they have nothing to show. Apps
register theirs in ``AppConfig.ready()``; the page includes each template with ``data`` set to
the section's context.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Act

ACT_PAGE_SECTIONS: list[Callable[[Act], dict | None]] = []


def act_page_sections(act: Act) -> list[dict]:
    """The registered sections that have something to show for ``act``, in order."""
    return [section for build in ACT_PAGE_SECTIONS if (section := build(act)) is not None]
