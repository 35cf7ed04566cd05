from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # post_migrate is sent once per app; permissions of every app exist only at the last one.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    from .setup import sync_role_groups

    sync_role_groups()


class CoreConfig(AppConfig):
    name = "ratusha.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="ratusha.core.sync_roles")
        from .cache import connect_page_signals

        connect_page_signals()
        from . import wagtail_audit

        wagtail_audit.connect()
