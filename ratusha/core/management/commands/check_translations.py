"""Fail when the Ukrainian catalogue has untranslated or fuzzy entries."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that every string of the interface has a Ukrainian translation."

    def handle(self, *args, **options):
        problems = []
        for locale_dir in settings.LOCALE_PATHS:
            po_path = Path(locale_dir) / "uk" / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(po_path))
            for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries():
                where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
                problems.append(f"  {entry.msgid!r} ({where})")
        if problems:
            raise CommandError("Untranslated strings in uk:\n" + "\n".join(problems))
        self.stdout.write("All strings have a Ukrainian translation.")
