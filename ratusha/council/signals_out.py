"""Signals other apps (search, open data) follow; sent after the commit."""

from django.dispatch import Signal

# sender=Meeting, meeting_id=int: a meeting, its agenda or its published votes changed.
meeting_changed = Signal()
# sender=Deputy, deputy_id=int: a deputy's card changed.
deputy_changed = Signal()
