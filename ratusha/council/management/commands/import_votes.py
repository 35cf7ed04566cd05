"""``manage.py import_votes MEETING_ID FILE [--profile NAME] [--replace] [--publish]``.

Imports the roll-call votes of one meeting from a CSV or XLSX file of the hall's voting
system (see ``council.importing``), as the system. All or nothing: on any problem every one is
printed with its row and the command exits with status 1, nothing saved.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ratusha.core.permissions import SYSTEM
from ratusha.council import importing
from ratusha.council.models import Meeting, VotingImportProfile


class Command(BaseCommand):
    help = (
        "Import roll-call votes of a meeting from a CSV or XLSX file exported by the hall's "
        "voting system (one row per deputy per vote)."
    )

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int, help="Id of the meeting.")
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--profile",
            help="Name of the import profile; default: the profile marked default, else the "
            "built-in one (№ голосування, Назва, Час, Ідентифікатор, Депутат, Рішення).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace unpublished votes with the same numbers.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the results at once.")

    def handle(self, *args, **options):
        meeting = (
            Meeting.objects.select_related("convocation").filter(pk=options["meeting_id"]).first()
        )
        if meeting is None:
            raise CommandError(_("There is no meeting #%(id)s.") % {"id": options["meeting_id"]})
        profile = self._profile(options["profile"])
        path = Path(options["file"])
        try:
            importing.check_size(path.name, path.stat().st_size)
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        except importing.ImportRefused as exc:
            raise CommandError(exc.messages[0]) from exc
        try:
            voting_file = importing.parse_voting_file(
                path.name, content, meeting=meeting, profile=profile
            )
            events = importing.record(
                voting_file,
                actor=SYSTEM,
                meeting=meeting,
                replace=options["replace"],
                publish=options["publish"],
            )
        except importing.ImportRefused as exc:
            raise CommandError(exc.messages[0]) from exc
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                ngettext(
                    "%(count)s problem; nothing is imported.",
                    "%(count)s problems; nothing is imported.",
                    len(exc.messages),
                )
                % {"count": len(exc.messages)}
            ) from exc
        published = sum(1 for event in events if event.published_at)
        self.stdout.write(
            ngettext(
                "%(count)s vote imported from «%(name)s» (published: %(published)s).",
                "%(count)s votes imported from «%(name)s» (published: %(published)s).",
                len(events),
            )
            % {"count": len(events), "name": path.name, "published": published}
        )

    def _profile(self, name: str | None) -> VotingImportProfile | None:
        if name:
            profile = VotingImportProfile.objects.filter(name=name).first()
            if profile is None:
                names = ", ".join(VotingImportProfile.objects.values_list("name", flat=True))
                raise CommandError(
                    _("There is no import profile «%(name)s» (there are: %(names)s).")
                    % {"name": name, "names": names or "—"}
                )
            return profile
        return VotingImportProfile.objects.filter(is_default=True).first()
