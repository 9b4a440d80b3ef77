from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "trygg.reports"
    label = "reports"
    verbose_name = _("Rapporter till kommunstyrelsen")

    def ready(self) -> None:
        from trygg.reports import checks  # noqa: F401 - registers the Word template check
