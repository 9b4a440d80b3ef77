"""Statuses of the board report."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class ReportStatus(ColouredChoices):
    DRAFT = "draft", _("Utkast")
    FROZEN = "frozen", _("Låst")


with_colours(ReportStatus, {"draft": "blue", "frozen": "green"})
