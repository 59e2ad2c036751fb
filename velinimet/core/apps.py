from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "velinimet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import registrations  # noqa: F401  (record types, job kinds, settings links)
