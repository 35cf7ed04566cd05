from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_upcoming_meetings(request) -> dict | None:
    """The home page's «upcoming council meetings» section (``ratusha.portal.extensions``)."""
    from .selectors import upcoming_meetings

    meetings = upcoming_meetings(limit=5)
    if not meetings:
        return None
    return {"template": "council/includes/home_upcoming.html", "context": {"meetings": meetings}}


class CouncilConfig(AppConfig):
    name = "ratusha.council"
    label = "council"
    verbose_name = _("Council")

    def ready(self):
        from ratusha.acts import extensions
        from ratusha.core.cache import purge

        from . import signals_out

        # Every change the public sees drops the anonymous page cache (ratusha.core.cache).
        for name in (
            "meeting_changed",
            "deputy_changed",
            "person_changed",
            "body_changed",
            "convocation_changed",
        ):
            getattr(signals_out, name).connect(
                purge, dispatch_uid=f"ratusha.council.purge_page_cache.{name}"
            )

        from . import selectors

        if selectors.act_agenda_section not in extensions.ACT_PAGE_SECTIONS:
            extensions.ACT_PAGE_SECTIONS.append(selectors.act_agenda_section)
        from ratusha.portal.extensions import HOME_SECTIONS

        if home_upcoming_meetings not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_upcoming_meetings)
