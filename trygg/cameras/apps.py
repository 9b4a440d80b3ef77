from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "trygg.cameras"
    label = "cameras"
    verbose_name = _("Kameror")

    def ready(self) -> None:
        from trygg.cameras.history import describe_transition
        from trygg.core.history import EVENT_DESCRIBERS

        EVENT_DESCRIBERS["camera.transition"] = describe_transition
        from trygg.cameras import coverage

        coverage.connect_signals()
