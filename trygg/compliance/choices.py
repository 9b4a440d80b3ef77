"""Statuses and kinds of the compliance documents, with Swedish labels and colours."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class DocumentStatus(ColouredChoices):
    """Where a versioned document stands.

    The officer writes a draft and submits it for decision; a submitted version is locked (the officer
    may withdraw it to draft) while the DPO advises and approves or rejects it. Decided versions are frozen.
    """

    DRAFT = "draft", _("Under arbete")
    SUBMITTED = "submitted", _("Skickad för beslut")
    APPROVED = "approved", _("Godkänd")
    REJECTED = "rejected", _("Avslagen")
    SUPERSEDED = "superseded", _("Ersatt av nyare version")


with_colours(
    DocumentStatus,
    {"draft": "blue", "submitted": "orange", "approved": "green", "rejected": "red", "superseded": "grey"},
)

# Statuses of versions that were decided and may therefore never change again.
FROZEN_STATUSES = frozenset({DocumentStatus.APPROVED, DocumentStatus.REJECTED, DocumentStatus.SUPERSEDED})
# Statuses whose content the officer may not change: decided versions and those waiting for a decision.
LOCKED_STATUSES = FROZEN_STATUSES | {DocumentStatus.SUBMITTED}
# Statuses of versions that were approved at some time (superseded ones were approved until replaced).
EVER_APPROVED_STATUSES = frozenset({DocumentStatus.APPROVED, DocumentStatus.SUPERSEDED})


class LegalTask(ColouredChoices):
    """The task of public interest the surveillance performs (7 § KBL; art. 6.1 e GDPR; legal.md R1.2).

    Each label states the task and cites the provision that gives it, as the public page reads it out
    ("Uppgiften: …"): for public places 14 § lagen (2023:196) om kommuners ansvar för brottsförebyggande
    arbete, for schools 5 kap. 3 § skollagen (2010:800).
    """

    PUBLIC_PLACE = (
        "public_place",
        _(
            "att verka för att platser dit allmänheten har tillträde är trygga och säkra (14 § lagen (2023:196) "
            "om kommuners ansvar för brottsförebyggande arbete)"
        ),
    )
    SCHOOL_ENVIRONMENT = (
        "school_environment",
        _("att ge eleverna en skolmiljö som präglas av trygghet och studiero (5 kap. 3 § skollagen (2010:800))"),
    )
    PROPERTY = "property", _("kommunal fastighetsförvaltning/skydd av egendom")
    OTHER = "other", _("annan – ange")


class FactorFor(ColouredChoices):
    """Interests that weigh for surveillance in the balancing test (8 § KBL; legal.md R1.3)."""

    CRIME = (
        "crime",
        _("Förebygga, förhindra eller upptäcka brott på en brottsutsatt plats eller en plats med särskild risk"),
    )
    PUBLIC_ORDER = "public_order", _("Ordningsstörningar och allmän ordning och säkerhet")
    INSPECTION = "inspection", _("Kontrollverksamhet")
    ACCIDENTS = "accidents", _("Förebygga eller begränsa olyckor")
    COMPARABLE = "comparable", _("Annat jämförbart ändamål")


class AssessmentOutcome(ColouredChoices):
    """The conclusion of a 9 § assessment."""

    ALLOWED = "allowed", _("Bevakningen får ske enligt förslaget")
    ALLOWED_WITH_LIMITS = "allowed_with_limits", _("Bevakningen får ske med de begränsningar som anges")
    NOT_ALLOWED = "not_allowed", _("Bevakningen får inte ske")


with_colours(AssessmentOutcome, {"allowed": "green", "allowed_with_limits": "orange", "not_allowed": "red"})
ALLOWING_OUTCOMES = frozenset({AssessmentOutcome.ALLOWED, AssessmentOutcome.ALLOWED_WITH_LIMITS})


class ResidualRisk(ColouredChoices):
    """The risk that remains after the DPIA's measures (art. 35–36 GDPR); values match the engine."""

    LOW = "low", _("Låg")
    MEDIUM = "medium", _("Medel")
    HIGH = "high", _("Hög")


with_colours(ResidualRisk, {"low": "green", "medium": "orange", "high": "red"})


class PriorConsultation(ColouredChoices):
    """Prior consultation with IMY (art. 36 GDPR); values match the engine."""

    NOT_NEEDED = "not_needed", _("Behövs inte")
    REQUIRED = "required", _("Krävs men är inte påbörjat")
    ONGOING = "ongoing", _("Pågår")
    CLOSED = "closed", _("Avslutat")


with_colours(PriorConsultation, {"not_needed": "green", "required": "red", "ongoing": "orange", "closed": "green"})


class ChildRightsConclusion(ColouredChoices):
    """The conclusion of a child-rights assessment (legal.md R5.3 part 8)."""

    COMPATIBLE = "compatible", _("Förenligt med barnets bästa")
    COMPATIBLE_WITH_MEASURES = "compatible_with_measures", _("Förenligt med barnets bästa med åtgärder")
    NOT_COMPATIBLE_SPECIAL_REASONS = "not_compatible_special_reasons", _("Ej förenligt – särskilda skäl")


with_colours(
    ChildRightsConclusion,
    {"compatible": "green", "compatible_with_measures": "orange", "not_compatible_special_reasons": "red"},
)


class PaperSize(ColouredChoices):
    A4 = "a4", _("A4")
    A5 = "a5", _("A5")
