from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "trygg.programme"
    label = "programme"
    verbose_name = _("Uppdrag och projektering")

    def ready(self) -> None:
        from django.urls import reverse

        from trygg.core import attachments, roles
        from trygg.core.models import Attachment
        from trygg.programme.models import Project

        attachments.register(
            Project,
            slug="projektering",
            sees=roles.is_staff_role,
            default_kind=Attachment.Kind.INSTALLER_DOCUMENT,
            detail_url=attachments.page("projects:detail", fallback=lambda project: reverse("projects:board")),
        )
        from trygg.core.audit import EVENTS
        from trygg.core.history import EVENT_DESCRIBERS
        from trygg.programme.history import describe_cameras_changed

        # The app's named event, registered in the closed vocabulary like the core's own.
        EVENTS.setdefault("project.cameras_changed", _("Projekteringens kameror ändrades"))
        EVENT_DESCRIBERS["project.cameras_changed"] = describe_cameras_changed
