"""Signals other apps (search, open data) follow; sent after the commit, with ids only.
Every public page of the council follows one of them, so ``apps.ready()`` connects each to
the anonymous page cache's ``purge``."""

from django.dispatch import Signal

# sender=Meeting, meeting_id=int: a meeting, its sittings, its agenda or its votes changed.
meeting_changed = Signal()
# sender=Deputy, deputy_id=int: a deputy's mandate changed (or was registered).
deputy_changed = Signal()
# sender=Person, person_id=int: a person's card (name, photo, contacts) changed.
person_changed = Signal()
# sender=Organization, organization_id=int: a body or its memberships changed.
body_changed = Signal()
# sender=Convocation, convocation_id=int: a convocation changed (or was registered).
convocation_changed = Signal()
