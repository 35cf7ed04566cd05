from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ratusha.ops.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Write one archive with the database and the media files (and their checksums)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Archive path (default var/backups/).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        from ratusha.ops.backup import default_output

        output = output or default_output()
        try:
            manifest = make_backup(output, db=connections[database])
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            _("Backup written: %(path)s (%(size)s; %(vendor)s database, %(files)s files).")
            % {
                "path": output,
                "size": filesizeformat(output.stat().st_size),
                "vendor": manifest["database"]["vendor"],
                "files": media,
            }
        )
