from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ratusha.portal"
    label = "portal"
    verbose_name = _("Website")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ratusha.core.cache import purge

        for signal in (post_save, post_delete):
            signal.connect(purge, sender="portal.Banner", dispatch_uid="ratusha.portal.banner")

        from .editorial import connect_signals

        connect_signals()

        from . import listing

        listing.connect_signals()

        from . import documents

        documents.connect_signals()
