from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ratusha.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from ratusha.acts import extensions

        from . import receivers, selectors, sources

        sources.load()
        receivers.connect()
        # the registry's «words» filter asks the index (word forms) instead of LIKE
        extensions.WORDS_MATCHER = selectors.act_words_condition
