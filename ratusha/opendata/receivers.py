"""What open data does when another register changes: the generated dataset of that register
is regenerated in the worker (``services.regeneration_request``, debounced). Receivers only ask;
the work is the services' and the task's."""

from __future__ import annotations

import logging

from .choices import Generator

log = logging.getLogger(__name__)


def _request(generator: str, key: str) -> None:
    from . import services

    try:
        services.regeneration_request(generator=generator, key=key)
    except Exception:  # a failed request must never break the change that sent the signal
        log.exception("Open data: could not request the regeneration of %s %s", generator, key)


def on_act_changed(sender, act_id: int, **kwargs) -> None:
    from ratusha.acts.models import Act

    code = Act.objects.filter(pk=act_id).values_list("kind__code", flat=True).first()
    if code is not None:
        _request(Generator.ACTS, code)


def on_meeting_changed(sender, meeting_id: int, **kwargs) -> None:
    _request(Generator.COUNCIL_VOTES, str(meeting_id))


def on_dataset_changed(sender, dataset_id: int, generator: str = "", **kwargs) -> None:
    # The register of datasets lists every other dataset; its own change asks for nothing.
    if generator != Generator.DATASETS:
        _request(Generator.DATASETS, "")
