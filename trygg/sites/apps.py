from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "trygg.sites"
    label = "sites"
    verbose_name = _("Platser och behov")

    def ready(self) -> None:
        from trygg.core import attachments, roles
        from trygg.sites.models import Site

        attachments.register(Site, slug="plats", sees=roles.is_staff_role, detail_url=attachments.page("sites:detail"))
