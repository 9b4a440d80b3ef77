from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "trygg.incidents"
    label = "incidents"
    verbose_name = _("Händelser och behov")

    def ready(self) -> None:
        from trygg.incidents import stored

        stored.connect_signals()
