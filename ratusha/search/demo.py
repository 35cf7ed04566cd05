"""The demo hromada's search index: built once the other apps have made their records (search
comes after them in INSTALLED_APPS)."""

from __future__ import annotations

from ratusha.core.demo_support import DemoContext

from . import indexing


def generate(ctx: DemoContext) -> dict[str, int]:
    counts = indexing.rebuild()
    return {"documents": sum(counts.values())}
