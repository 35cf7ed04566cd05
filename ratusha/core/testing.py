"""Helpers for tests that empty the database (transactional and browser tests).

``flush`` deletes what the data migrations made as well; ``restore_migration_records`` puts
those records back, so a test can rebuild on an emptied database exactly what ``migrate``
leaves. Keep the list in step with the data migrations that create records."""

from __future__ import annotations

import importlib

# "module:function" of each data migration that creates records (idempotent functions).
MIGRATION_RECORDS = (
    "ratusha.acts.migrations.0002_default_kinds:create_kinds",
    "ratusha.council.migrations.0006_commission_minutes_kind:create_kind",
)


def restore_migration_records(*, wagtail: bool = False) -> None:
    """Create again the records the data migrations make (kinds of acts); with ``wagtail``
    also Wagtail's locale, root collection and root page."""
    from django.apps import apps

    for path in MIGRATION_RECORDS:
        module, name = path.split(":")
        getattr(importlib.import_module(module), name)(apps, None)
    if wagtail:
        from django.conf import settings
        from wagtail.models import Collection, Locale, Page

        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        if Page.get_first_root_node() is None:
            Page.add_root(instance=Page(title="Root", slug="root"))
