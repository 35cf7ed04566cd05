"""``manage.py import_acts DIR [--kind K] [--manifest manifest.csv]``: bulk import of acts.

Every file under DIR becomes an act, registered and (by default) published through the services;
a refused file is reported with its reason and the import goes on; a file already in the registry
(by checksum) is skipped, so a second run changes nothing. The exit status is 0 when the import
ran, failures included; only a missing folder or an unreadable manifest stop it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ratusha.acts.importing import ImportSetupError, import_folder
from ratusha.core.permissions import SYSTEM


class Command(BaseCommand):
    help = (
        "Import acts from a folder of DOCX, ODT, PDF and scanned files, with an optional "
        "manifest CSV (columns kind, number, date, title, file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder with the files (searched recursively).")
        parser.add_argument(
            "--kind",
            help="Kind of act (code or name) for files without a manifest row; without it the "
            "kind is read from the document's header.",
        )
        parser.add_argument(
            "--manifest",
            help="CSV with columns kind, number, date, title, file (and optionally published); "
            "default: manifest.csv in the folder, if there is one.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            default=True,
            help="Publish the imported acts (default).",
        )
        parser.add_argument(
            "--no-publish", dest="publish", action="store_false", help="Only register them."
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="Processes reading the files (default 2)."
        )
        parser.add_argument(
            "--ocr",
            action="store_true",
            help="Recognise scans without a manifest row during the import (slow).",
        )
        parser.add_argument("--report", help="Also write the report to this CSV file.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        try:
            report = import_folder(
                options["folder"],
                actor=SYSTEM,
                kind=options["kind"],
                manifest=options["manifest"],
                publish=options["publish"],
                workers=max(1, options["workers"]),
                progress=not options["no_progress"] and options["verbosity"] > 0,
                ocr=options["ocr"],
            )
        except ImportSetupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.summary_lines():
            self.stdout.write(line)
        if options["report"]:
            try:
                report.write_csv(options["report"])
            except OSError as exc:
                raise CommandError(f"{options['report']}: {exc}") from exc
