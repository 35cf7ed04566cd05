from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "ratusha.security"
    label = "security"
    verbose_name = _("Security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import login_log

        login_log.connect_signals()
        from django.db.models.signals import pre_save
        from wagtail.images import get_image_model

        from .uploads import reencode_new_image_file

        pre_save.connect(
            reencode_new_image_file,
            sender=get_image_model(),
            dispatch_uid="ratusha.security.reencode_image",
        )
