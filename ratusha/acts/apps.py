from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HOME_LATEST_ACTS = 5


def home_latest_acts(request) -> dict | None:
    """The home page's «latest acts» section (``ratusha.portal.extensions.HOME_SECTIONS``):
    the newest public acts, two queries."""
    from .selectors import ActFilters, act_list_ids, act_rows

    rows = act_rows(list(act_list_ids(ActFilters())[:HOME_LATEST_ACTS]))
    if not rows:
        return None
    return {"template": "acts/includes/home_latest.html", "context": {"rows": rows}}


class ActsConfig(AppConfig):
    name = "ratusha.acts"
    label = "acts"
    verbose_name = _("Legal acts")

    def ready(self):
        from ratusha.core.cache import purge
        from ratusha.portal import extensions

        from .signals_out import act_changed

        # The home page shows the latest acts and /acts/ lists them: a changed act purges
        # the public pages' cache.
        act_changed.connect(purge, dispatch_uid="ratusha.acts.cache_purge")

        if home_latest_acts not in extensions.HOME_SECTIONS:
            extensions.HOME_SECTIONS.append(home_latest_acts)
