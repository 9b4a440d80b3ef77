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


class ReportingPointKind(ColouredChoices):
    """When the assignment is reported back (Norrtälje's styrmodell: delår per april and augusti, the year)."""

    INTERIM_APRIL = "interim_april", _("Delårsrapport per april")
    INTERIM_AUGUST = "interim_august", _("Delårsrapport per augusti")
    ANNUAL = "annual", _("Årsrapport")
    SPECIAL = "special", _("Särskild återrapportering")


class ReportingPointStatus(ColouredChoices):
    NOT_STARTED = "not_started", _("Ej påbörjad")
    DRAFTING = "drafting", _("Under arbete")
    SUBMITTED = "submitted", _("Inlämnad")
    REPORTED = "reported", _("Återrapporterad")


with_colours(
    ReportingPointStatus, {"not_started": "grey", "drafting": "blue", "submitted": "orange", "reported": "green"}
)


class IndicatorMeasure(ColouredChoices):
    """What an indicator counts; each measure is computed from the data, never typed in."""

    CAMERAS_IN_OPERATION = "cameras_in_operation", _("Antal kameror i drift (ur kamerornas statusändringar)")


class CostCategory(ColouredChoices):
    HARDWARE = "hardware", _("Hårdvara")
    INSTALLATION = "installation", _("Installation")
    LICENCES = "licences", _("Licenser")
    OPERATION = "operation", _("Drift")
    MAINTENANCE = "maintenance", _("Underhåll")


class CostStatus(ColouredChoices):
    """Committed money is ordered but not yet paid; spent money is booked."""

    COMMITTED = "committed", _("Beställt (åtagande)")
    SPENT = "spent", _("Förbrukat (bokfört)")


with_colours(CostStatus, {"committed": "orange", "spent": "blue"})


class DeadlineKind(ColouredChoices):
    WORK_COMMITTEE_MEETING = "work_committee_meeting", _("Sammanträde, kommunstyrelsens arbetsutskott")
    BOARD_MEETING = "board_meeting", _("Sammanträde, kommunstyrelsen")
    SUBMISSION = "submission", _("Inlämning till nämndsekretariatet")
    ASSESSMENT_REVIEW = "assessment_review", _("Översyn av bedömning")
    SIGN_INSPECTION = "sign_inspection", _("Inspektion av skyltar")
    OTHER = "other", _("Annan tidsfrist")


with_colours(
    DeadlineKind,
    {
        "work_committee_meeting": "purple",
        "board_meeting": "purple",
        "submission": "red",
        "assessment_review": "orange",
        "sign_inspection": "orange",
        "other": "grey",
    },
)
