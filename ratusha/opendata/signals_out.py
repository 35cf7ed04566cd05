"""Signals open data sends *after* a commit, for other apps (search) and for its own register
of datasets to follow. They carry ids only."""

from django.dispatch import Signal

# sender=Dataset, dataset_id=int, generator=str: a dataset, its passport or its files changed.
dataset_changed = Signal()
