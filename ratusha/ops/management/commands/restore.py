from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from ratusha.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into this installation (an empty one, unless "
        "--force). Checksums are verified before anything is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Restore even if the database holds data."
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, force, database, **options):
        try:
            result = restore_backup(archive, force=force, db=connections[database])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored from %(path)s: %(vendor)s database, %(files)s files (backup of %(at)s).")
            % {
                "path": archive,
                "vendor": result["vendor"],
                "files": result["media_files"],
                "at": result["created_at"],
            }
        )
