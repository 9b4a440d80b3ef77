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
        from trygg.cameras.models import Camera
        from trygg.core import attachments, roles
        from trygg.core.models import Attachment

        # Who keeps a camera's attachments how long is compliance's rule (trygg.compliance.retention).
        attachments.register(
            Camera,
            slug="kamera",
            sees=roles.is_staff_role,
            default_kind=Attachment.Kind.CAMERA_IMAGE,
            detail_url=attachments.page("cameras:detail"),
        )
