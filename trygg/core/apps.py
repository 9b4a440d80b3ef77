from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from trygg.core import validators

# Before any app's forms are defined (admin autodiscovery builds them before ready() runs here).
validators.install()


class CoreConfig(AppConfig):
    name = "trygg.core"
    label = "core"
    verbose_name = _("Grunddata och ändringslogg")

    def ready(self) -> None:
        from trygg.core import attachments, audit, auth_audit, roles

        audit.connect_signals()
        auth_audit.connect_signals()
        roles.connect_signals()
        attachments.connect_signals()
