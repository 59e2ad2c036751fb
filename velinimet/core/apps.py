from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "velinimet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every installed app's registrations.py, in INSTALLED_APPS order: the one way apps fill the registry.
        autodiscover_modules("registrations")
