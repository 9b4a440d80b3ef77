"""Statuses and delay reasons of assignments and projects."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class AssignmentOrigin(ColouredChoices):
    POLITICAL = "political", _("Politiskt framtaget")
    OPERATIONAL = "operational", _("Verksamhetens eget")
    OTHER = "other", _("Annat")


class AssignmentStatus(ColouredChoices):
    NOT_STARTED = "not_started", _("Ej påbörjat")
    ONGOING = "ongoing", _("Pågår")
    DELAYED = "delayed", _("Försenat")
    DONE = "done", _("Klart")


with_colours(AssignmentStatus, {"not_started": "grey", "ongoing": "blue", "delayed": "orange", "done": "green"})


class ProjectStatus(ColouredChoices):
    IN_DIALOGUE = "in_dialogue", _("I dialog")
    DESIGNING = "designing", _("Projekteras")
    INSTALLING = "installing", _("Installeras")
    COMPLETED = "completed", _("Klar")
    CANCELLED = "cancelled", _("Avbruten")


with_colours(
    ProjectStatus,
    {"in_dialogue": "grey", "designing": "blue", "installing": "blue", "completed": "green", "cancelled": "red"},
)


class DelayReason(ColouredChoices):
    OPERATION_PREPARATION = "operation_preparation", _("Förseningar i förarbetet hos verksamheten")
    ASSESSMENT = "assessment", _("Bedömning eller dokumentation ej klar")
    PROCUREMENT = "procurement", _("Upphandling")
    DELIVERY = "delivery", _("Leverans av utrustning")
    INSTALLATION = "installation", _("Installation")
    PROPERTY_OWNER = "property_owner", _("Fastighetsägaren")
    FUNDING = "funding", _("Finansiering")
    OTHER = "other", _("Annat")
