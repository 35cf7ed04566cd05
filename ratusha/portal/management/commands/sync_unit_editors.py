"""``manage.py sync_unit_editors``: repair the approval workflow and the unit editors' groups.

Idempotent. ``migrate`` and the signals in ``portal/editorial.py`` keep them in step; this is
for an administrator who changed groups or pages by hand (or restored a database)."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ratusha.portal.editorial import UNIT_GROUP_PREFIX, ensure_workflow, sync_unit_page_groups


class Command(BaseCommand):
    help = (
        "Create or repair the approval workflow and give every structural unit page its "
        "editors' group with the unit's unit editors in it."
    )

    def handle(self, *args, **options):
        workflow = ensure_workflow()
        sync_unit_page_groups()
        if workflow is None:
            self.stdout.write(_("The page tree does not exist yet: nothing changed."))
            return
        self.stdout.write(_("Approval workflow: «%(name)s».") % {"name": workflow.name})
        groups = Group.objects.filter(name__startswith=UNIT_GROUP_PREFIX).order_by("name")
        for group in groups:
            members = ", ".join(sorted(group.user_set.values_list("username", flat=True)))
            self.stdout.write(f"{group.name}: {members or '—'}")
        self.stdout.write(
            self.style.SUCCESS(_("Page editors' groups: %(count)d.") % {"count": groups.count()})
        )
