"""Signals acts sends *after* a commit, for other apps (search, open data) to follow. They carry
ids only; receivers must not change acts."""

from django.dispatch import Signal

act_changed = Signal()  # kwargs: act_id
