from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_open_data(request) -> dict | None:
    """The home page's «open data» section (``ratusha.portal.extensions.HOME_SECTIONS``): the
    catalogue's link and the datasets updated last; two queries."""
    from .selectors import home_summary

    summary = home_summary(limit=3)
    if not summary["count"]:
        return None
    return {"template": "opendata/includes/home_section.html", "context": summary}


class OpendataConfig(AppConfig):
    name = "ratusha.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self):
        from ratusha.acts.signals_out import act_changed
        from ratusha.core.cache import purge
        from ratusha.council.signals_out import meeting_changed

        from . import receivers
        from .signals_out import dataset_changed

        dataset_changed.connect(purge, dispatch_uid="ratusha.opendata.purge_page_cache")
        act_changed.connect(receivers.on_act_changed, dispatch_uid="ratusha.opendata.acts")
        meeting_changed.connect(
            receivers.on_meeting_changed, dispatch_uid="ratusha.opendata.meetings"
        )
        dataset_changed.connect(
            receivers.on_dataset_changed, dispatch_uid="ratusha.opendata.register"
        )

        from ratusha.portal.extensions import HOME_SECTIONS

        if home_open_data not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_open_data)
