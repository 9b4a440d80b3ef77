"""The documents a municipal camera needs before and while it films, and the signs that announce it.

- `SurveillanceAssessment`: the documented intresseavvägning of 9 § kamerabevakningslagen.
- `ImpactAssessment` with its `DpiaRisk` and `DpiaMeasure` rows: the konsekvensbedömning (art. 35 GDPR).
- `ChildRightsAssessment`: the barnrättsprövning for school and preschool sites (lag 2018:1197).
- `Sign`: the signs of 15 § kamerabevakningslagen and art. 13 GDPR.
- `LegacyPermit`: an IMY permit under the regime before 2025-04-01.
- `ProcessingRecord`: the record of processing for camera surveillance (art. 30 GDPR).

The three assessments are versioned (`VersionedDocument`): a decided version is frozen and only
superseded by a new version, and none can be deleted until five years after its cameras were
decommissioned (9 § KBL). What the documents mean for a camera on a date is decided by the pure
rules engine in `trygg.compliance.engine`; `trygg.compliance.facts` feeds it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras import schedule as schedules
from trygg.cameras.models import Camera
from trygg.compliance.choices import (
    FROZEN_STATUSES,
    LOCKED_STATUSES,
    AssessmentOutcome,
    ChildRightsConclusion,
    DocumentStatus,
    FactorFor,
    LegalTask,
    PriorConsultation,
    ResidualRisk,
)
from trygg.compliance.engine.facts import DPIA_CRITERIA, PERMITS_LAPSED_ON
from trygg.core.models import AuditedModel
from trygg.sites.choices import SCHOOL_KINDS, SiteKind
from trygg.sites.models import Measure, Site

# Assessments and the register are kept at least five years after the surveillance ended (9–10 §§ KBL).
RETENTION_YEARS = 5

# Fields of a versioned document that describe the version itself, not its content.
VERSION_FIELDS = frozenset(
    {
        "id",
        "created_at",
        "updated_at",
        "series",
        "version",
        "status",
        "author",
        "approver",
        "approved_on",
        "rejected_by",
        "rejected_on",
        "rejection_reason",
        "supersedes",
        "snapshot",
        "submitted_by",
        "submitted_at",
        "decision_delegation",
        "case_number",
        "decided_as_admin",
        "dpo_advice",
        "dpo_advice_on",
        "dpo_advice_by",
    }
)
# The DPO's advice: written by the DPO on the decision page, never by the officer, never copied to a new version.
ADVICE_FIELDS = ("dpo_advice", "dpo_advice_on")
# Fields that never change once a version is decided, whatever they are (updated_at moves on every save).
_NOT_COMPARED = frozenset({"updated_at", "status"})


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def validate_weekly_rules(value: Any) -> None:
    """Weekly rules as the camera schedule stores them: [{"days": [0, 1], "start": "20:00", "end": "06:00"}]."""
    try:
        schedules.parse_rules(value or [])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValidationError(
            gettext('Tiderna ska vara veckoregler som [{"days": [0, 1], "start": "20:00", "end": "06:00"}].')
        ) from error


def decommissioned_on(camera: Camera) -> dt.date | None:
    """The date the camera was decommissioned, or None if it has not been."""
    row = camera.transitions.filter(to_state="decommissioned").order_by("-occurred_on").first()
    return row.occurred_on if row else None


def deletion_refusal(document: str, cameras: Iterable[Camera], today: dt.date) -> str | None:
    """Why a document about `cameras` must still be kept on `today` (Swedish), or None if it may go."""
    for camera in cameras:
        ended = decommissioned_on(camera)
        values = {"document": document, "camera": camera.identifier}
        if ended is None:
            return (
                gettext(
                    "%(document)s kan inte tas bort: kameran %(camera)s är inte avvecklad, och handlingen ska sparas i "
                    "minst fem år efter att bevakningen har upphört (9 och 10 §§ kamerabevakningslagen)."
                )
                % values
            )
        until = add_years(ended, RETENTION_YEARS)
        if today < until:
            return gettext(
                "%(document)s kan inte tas bort förrän fem år efter att kameran %(camera)s avvecklades "
                "(%(ended)s), det vill säga tidigast %(until)s (9 och 10 §§ kamerabevakningslagen)."
            ) % {**values, "ended": ended.isoformat(), "until": until.isoformat()}
    return None


#
# Versioned documents
#


class VersionedDocument(AuditedModel):
    """A document that is decided once per version, like the revisions of CNIL's PIA tool.

    A version under work (`draft`) may be edited. Once approved or rejected it is frozen: it is
    never edited again, only superseded by a new version that starts as a copy of the latest one.
    """

    series = models.UUIDField(_("dokumentserie"), default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("upprättad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_on = models.DateField(_("godkänd den"), null=True, blank=True, editable=False)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avslagen av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    rejected_on = models.DateField(_("avslagen den"), null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("skäl för avslag"), blank=True, editable=False)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("ersätter version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skickad för beslut av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("skickad för beslut"), null=True, blank=True, editable=False)
    decision_delegation = models.CharField(
        _("delegation"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("Punkten i delegationsordningen som beslutet fattades enligt."),
    )
    case_number = models.CharField(_("diarienummer"), max_length=50, blank=True, editable=False)
    decided_as_admin = models.BooleanField(
        _("beslutad av systemförvaltare i dataskyddsombudets ställe"), default=False, editable=False
    )
    dpo_advice = models.TextField(_("dataskyddsombudets råd"), blank=True)
    dpo_advice_on = models.DateField(_("rådet lämnat den"), null=True, blank=True)
    dpo_advice_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rådet lämnat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    # The document's name in messages ("Intresseavvägningen"), set by each subclass.
    document_label: ClassVar[Any] = _("Dokumentet")

    class Meta:
        abstract = True

    @property
    def is_frozen(self) -> bool:
        """Whether this version was decided and may no longer change (as stored)."""
        return self.stored_status() in FROZEN_STATUSES

    @property
    def is_locked(self) -> bool:
        """Whether the officer may not change this version's content (as stored): submitted or decided."""
        return self.stored_status() in LOCKED_STATUSES

    @property
    def dpo_advice_recorded(self) -> bool:
        return bool(self.dpo_advice.strip()) and self.dpo_advice_on is not None

    @property
    def decided_by(self) -> Any:
        """Who approved or rejected this version (None while undecided)."""
        return (
            self.approver if self.status in {DocumentStatus.APPROVED, DocumentStatus.SUPERSEDED} else self.rejected_by
        )

    @property
    def decided_on(self) -> dt.date | None:
        return (
            self.approved_on
            if self.status in {DocumentStatus.APPROVED, DocumentStatus.SUPERSEDED}
            else self.rejected_on
        )

    def stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True).first()

    def frozen_message(self) -> str:
        """Why this version may not be changed (Swedish): waiting for a decision, or decided."""
        values = {"version": self.version, "document": str(self.document_label).lower()}
        if self.stored_status() == DocumentStatus.SUBMITTED:
            return (
                gettext(
                    "Version %(version)s av %(document)s är skickad för beslut och kan inte ändras. Återkalla den till "
                    "utkast om den behöver ändras."
                )
                % values
            )
        return gettext(
            "Version %(version)s av %(document)s är %(status)s och kan inte ändras. Skapa en ny version som ersätter "
            "den."
        ) % {**values, "status": str(DocumentStatus(self.stored_status()).label).lower()}

    def content_values(self) -> dict[str, Any]:
        return {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in VERSION_FIELDS
        }

    def _stored_values(self) -> dict[str, Any]:
        return {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in _NOT_COMPARED
        }

    def _changed_while_frozen(self) -> bool:
        stored = type(self)._base_manager.get(pk=self.pk)
        if stored.status == DocumentStatus.SUBMITTED:
            # Waiting for a decision: only the DPO's advice and the decision itself may change (decisions.py).
            return stored.content_values() != self.content_values()
        if stored._stored_values() != self._stored_values():
            return True
        # A decided version may only move from approved to superseded, and never back.
        return self.status != stored.status and not (
            stored.status == DocumentStatus.APPROVED and self.status == DocumentStatus.SUPERSEDED
        )

    def clean(self) -> None:
        if self.is_locked and self._changed_while_frozen():
            raise ValidationError(self.frozen_message())

    def advice_errors(self) -> dict[str, list[str]]:
        """The advice and its date go together (subclasses add this to their own errors)."""
        if bool(self.dpo_advice.strip()) != (self.dpo_advice_on is not None):
            field = "dpo_advice_on" if self.dpo_advice.strip() else "dpo_advice"
            return {field: [gettext("Dataskyddsombudets råd och datumet för rådet anges tillsammans.")]}
        return {}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_locked and self._changed_while_frozen():
            raise ValidationError(self.frozen_message())
        super().save(*args, **kwargs)

    def covered_cameras(self) -> list[Camera]:
        """The cameras whose end starts the five-year retention of this document."""
        raise NotImplementedError

    def deletion_refusal(self, today: dt.date | None = None) -> str | None:
        """Why this version must be kept (Swedish), or None. A never-decided draft may be removed."""
        if self.stored_status() == DocumentStatus.DRAFT:
            return None
        return deletion_refusal(str(self.document_label), self.covered_cameras(), today or timezone.localdate())

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        refusal = self.deletion_refusal()
        if refusal:
            raise ValidationError(refusal)
        return super().delete(*args, **kwargs)

    def required_for_approval(self) -> list[str]:
        """Names of content fields that must be filled in before the version can be approved."""
        return []

    def submission_problems(self) -> dict[str, list[str]]:
        """What the officer must complete before submitting: the approval problems but the DPO's own advice."""
        return {name: items for name, items in self.approval_problems().items() if name not in ADVICE_FIELDS}

    def value_for_approval(self, name: str) -> Any:
        return getattr(self, name)

    def approval_problems(self) -> dict[str, list[str]]:
        """What is missing before this version can be approved, keyed by field, in Swedish."""
        problems: dict[str, list[str]] = {}
        for name in self.required_for_approval():
            value = self.value_for_approval(name)
            if value in (None, "", [], ()) or (isinstance(value, str) and not value.strip()):
                label = self._meta.get_field(name).verbose_name
                problems.setdefault(name, []).append(
                    gettext("Fyll i ”%(field)s” innan %(document)s kan skickas för beslut och godkännas.")
                    % {"field": label, "document": str(self.document_label).lower()}
                )
        return problems


#
# 9 § kamerabevakningslagen: the documented assessment
#


class SurveillanceAssessment(VersionedDocument):
    """An intresseavvägning: the documented balancing test before a camera starts (9 § KBL).

    Required for every municipal camera since 2025-04-01 (SFS 2025:220), before start and again
    before any change that increases intrusion, and kept at least five years after the camera stops.
    Usually one per camera. Where IMY allows it (school facades of the same kind within IMY's hours,
    reference/legal.md R3.5) a shared template (`is_template`) holds the general reasoning and each
    camera's assessment is a site addendum that refers to it. On approval the camera's parameters are
    stored in `snapshot`; a later change that intrudes more makes the assessment stale.
    """

    camera = models.ForeignKey(
        Camera,
        verbose_name=_("kamera"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveillance_assessments",
    )
    is_template = models.BooleanField(
        _("gemensam mall"),
        default=False,
        help_text=_("En gemensam bedömning för likadana skolfasader inom IMY:s tider; varje kamera får ett tillägg."),
    )
    template_site_kind = models.CharField(
        _("mallen gäller typ av plats"), max_length=30, choices=SiteKind.choices, blank=True
    )
    template = models.ForeignKey(
        "self",
        verbose_name=_("bygger på mall"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="addenda",
        limit_choices_to={"is_template": True},
        help_text=_("Fyll bara i platsens egna uppgifter; allmänna delar som lämnas tomma hämtas från mallen."),
    )
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    legal_task = models.CharField(
        _("uppgift av allmänt intresse"), max_length=30, choices=LegalTask.choices, blank=True
    )
    legal_task_other = models.CharField(_("annan uppgift"), max_length=300, blank=True)
    necessity = models.TextField(
        _("nödvändighet"), blank=True, help_text=_("Varför bevakningen är nödvändig för att utföra uppgiften (7 §).")
    )
    factors_for = models.JSONField(
        _("skäl för bevakning"), default=list, blank=True, help_text=_("Minst ett skäl enligt 8 §.")
    )
    against_how = models.TextField(
        _("hur bevakningen sker"), blank=True, help_text=_("Tider, inspelning eller direktsändning, ljud.")
    )
    against_privacy_technology = models.TextField(
        _("integritetshöjande teknik"), blank=True, help_text=_("T.ex. maskering, pixelering, kort lagringstid.")
    )
    against_area = models.TextField(_("vilket område som bevakas"), blank=True)
    area_description = models.TextField(
        _("upptagningsområde"), blank=True, help_text=_("Vad kameran får filma, t.ex. fasaden och 2 m ut.")
    )
    hours_description = models.TextField(_("bevakningstider"), blank=True)
    alternatives = models.ManyToManyField(
        Measure,
        verbose_name=_("andra åtgärder som prövats"),
        blank=True,
        related_name="surveillance_assessments",
        help_text=_("Åtgärder på kamerans plats, t.ex. belysning och väktare."),
    )
    incidents = models.ManyToManyField(
        "incidents.Incident",
        verbose_name=_("händelser ur registret som bedömningen bygger på"),
        blank=True,
        related_name="surveillance_assessments",
        help_text=_("Dokumenterade brott och incidenter på kamerans plats (IMY: bevakning bara när de inträffar)."),
    )
    incidents_relied_on = models.TextField(
        _("övriga brott och incidenter som bedömningen bygger på"),
        blank=True,
        help_text=_("Sammanställning av händelser som inte finns i registret, t.ex. från polisen."),
    )
    incident_count = models.PositiveIntegerField(_("antal dokumenterade incidenter"), default=0)
    incident_hours = models.JSONField(
        _("tider med dokumenterade incidenter"),
        default=list,
        blank=True,
        validators=[validate_weekly_rules],
        help_text=_('Veckoregler, t.ex. [{"days": [4, 5], "start": "21:00", "end": "03:00"}] (0 = måndag).'),
    )
    live_viewing = models.TextField(
        _("direktövervakning"), blank=True, help_text=_("Om någon ser bilderna i realtid: var och vem.")
    )
    mbl_negotiation = models.TextField(
        _("MBL-förhandling"),
        blank=True,
        help_text=_("Datum, arbetstagarorganisation och protokoll när en arbetsplats bevakas (21 §)."),
    )
    external_operator = models.BooleanField(
        _("extern aktör hanterar materialet"), default=False, help_text=_("T.ex. larmcentral eller bevakningsföretag.")
    )
    processor_agreement = models.CharField(_("personuppgiftsbiträdesavtal"), max_length=300, blank=True)
    processor_agreement_valid_to = models.DateField(_("biträdesavtalet gäller till"), null=True, blank=True)
    outcome = models.CharField(_("slutsats"), max_length=30, choices=AssessmentOutcome.choices, blank=True)
    outcome_reasoning = models.TextField(_("motivering av slutsatsen"), blank=True)
    snapshot = models.JSONField(_("godkända kameraparametrar"), null=True, blank=True, editable=False)

    document_label = _("Intresseavvägningen")
    administration_lookup = "camera__site__administration"
    # Parts that an addendum may leave empty and take from its template.
    INHERITED = (
        "legal_task",
        "legal_task_other",
        "necessity",
        "factors_for",
        "against_how",
        "against_privacy_technology",
        "against_area",
        "hours_description",
        "outcome",
        "outcome_reasoning",
    )

    class Meta:
        verbose_name = _("intresseavvägning (9 §)")
        verbose_name_plural = _("intresseavvägningar (9 §)")
        ordering = ["camera__identifier", "series", "-version"]
        permissions = [("approve_surveillanceassessment", _("Kan godkänna eller avslå intresseavvägningar"))]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="surveillanceassessment_version_unique")
        ]

    def __str__(self) -> str:
        subject = self.title if self.is_template else (self.camera.identifier if self.camera_id else "–")
        return gettext("Intresseavvägning %(subject)s, version %(version)s") % {
            "subject": subject or gettext("mall"),
            "version": self.version,
        }

    def audit_related_object(self) -> Camera | None:
        return self.camera

    def effective(self, name: str) -> Any:
        """The value of a part, taken from the template when this addendum leaves it empty."""
        value = getattr(self, name)
        if value in ("", [], None) and name in self.INHERITED and self.template_id:
            return getattr(self.template, name)
        return value

    def legal_task_text(self) -> str:
        task = self.effective("legal_task")
        if task == LegalTask.OTHER:
            return self.effective("legal_task_other")
        return str(LegalTask(task).label) if task else ""

    def covered_cameras(self) -> list[Camera]:
        if self.camera_id:
            return [self.camera]
        return [addendum.camera for addendum in self.addenda.select_related("camera") if addendum.camera_id]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = self.advice_errors()
        if self.is_template:
            if self.camera_id:
                errors.setdefault("camera", []).append(gettext("En gemensam mall gäller ingen enskild kamera."))
            if self.template_site_kind not in SCHOOL_KINDS:
                errors.setdefault("template_site_kind", []).append(
                    gettext(
                        "IMY godtar en gemensam bedömning bara för likadana skolfasader: välj grundskola, förskola "
                        "eller gymnasieskola."
                    )
                )
            if self.template_id:
                errors.setdefault("template", []).append(gettext("En mall kan inte bygga på en annan mall."))
        elif not self.camera_id:
            errors.setdefault("camera", []).append(
                gettext("Ange vilken kamera intresseavvägningen gäller, eller markera den som gemensam mall.")
            )
        if self.template_id and self.camera_id and not self.is_template:
            problem = self.template_problem()
            if problem:
                errors.setdefault("template", []).append(problem)
        unknown = [value for value in self.factors_for or [] if value not in FactorFor.values]
        if not isinstance(self.factors_for, list) or unknown:
            errors.setdefault("factors_for", []).append(gettext("Välj skäl för bevakning bland alternativen."))
        if self.legal_task == LegalTask.OTHER and not self.legal_task_other.strip():
            errors.setdefault("legal_task_other", []).append(
                gettext("Beskriv uppgiften när ”annan” är vald som uppgift av allmänt intresse.")
            )
        if self.external_operator and self.processor_agreement_valid_to and not self.processor_agreement.strip():
            errors.setdefault("processor_agreement", []).append(
                gettext("Ange personuppgiftsbiträdesavtalet när ett slutdatum för det är angivet.")
            )
        if errors:
            raise ValidationError(errors)

    def template_problem(self) -> str | None:
        """Why this camera may not use a shared template (IMY FAQ 2024-06-03, legal.md R3.5), or None."""
        from trygg.cameras.schedule import IMY_SCHOOL_FACADE

        template, camera = self.template, self.camera
        if not template.is_template:
            return gettext("Den valda bedömningen är ingen gemensam mall.")
        if camera.site.kind != template.template_site_kind:
            return gettext("Mallen gäller %(kind)s, men kameran sitter vid %(site_kind)s.") % {
                "kind": str(SiteKind(template.template_site_kind).label).lower(),
                "site_kind": str(SiteKind(camera.site.kind).label).lower(),
            }
        if camera.is_indoor:
            return gettext(
                "En gemensam mall gäller bara fasader; kameran sitter inomhus och behöver en egen bedömning."
            )
        if not camera.get_schedule().within(IMY_SCHOOL_FACADE):
            return gettext(
                "Kameran bevakar utanför IMY:s tider för skolfasader (vardagar 20–06, helger och lov 17–07) och "
                "behöver en egen intresseavvägning med platsens incidenter."
            )
        return None

    def required_for_approval(self) -> list[str]:
        fields = [
            "legal_task",
            "necessity",
            "factors_for",
            "against_how",
            "against_privacy_technology",
            "against_area",
            "hours_description",
            "outcome",
            "outcome_reasoning",
        ]
        if not self.is_template:
            fields += ["area_description", "incidents_relied_on"]
        if self.legal_task == LegalTask.OTHER:
            fields.append("legal_task_other")
        if self.external_operator:
            fields.append("processor_agreement")
        if self.camera_id and self.camera.captures_staff_workplace:
            fields.append("mbl_negotiation")
        return fields

    def value_for_approval(self, name: str) -> Any:
        return self.effective(name)

    def approval_problems(self) -> dict[str, list[str]]:
        problems = super().approval_problems()
        if self.template_id and self.template.status != DocumentStatus.APPROVED:
            problems.setdefault("template", []).append(
                gettext("Mallen som tillägget bygger på måste vara godkänd först.")
            )
        return problems


#
# Art. 35 GDPR: the DPIA
#


def validate_dpia_criteria(value: Any) -> None:
    if not isinstance(value, list) or any(code not in DPIA_CRITERIA for code in value):
        raise ValidationError(gettext("Välj riskkriterier bland alternativen."))


class ImpactAssessment(VersionedDocument):
    """A konsekvensbedömning (DPIA) for cameras at one site (art. 35 GDPR; legal.md R4.1–R4.3).

    Required when two or more EDPB criteria hold, which is every school camera and every camera at
    public places in a programme. It holds sections (a)–(d) of art. 35.7, the risks with their
    scores and the measures against them, the DPO's advice (art. 35.2), the residual risk and, when
    that is high, the prior consultation with IMY (art. 36). Revisions are frozen once decided.
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="impact_assessments")
    cameras = models.ManyToManyField(Camera, verbose_name=_("kameror"), blank=True, related_name="impact_assessments")
    title = models.CharField(_("rubrik"), max_length=200)
    criteria = models.JSONField(
        _("riskkriterier"),
        default=list,
        blank=True,
        validators=[validate_dpia_criteria],
        help_text=_(
            "Kriterier som följer av kamerorna själva (t.ex. barn, systematisk övervakning) läggs till automatiskt."
        ),
    )
    description = models.TextField(_("beskrivning av behandlingen och ändamålen"), blank=True)
    necessity_proportionality = models.TextField(_("nödvändighet och proportionalitet"), blank=True)
    risk_assessment = models.TextField(_("bedömning av riskerna för de registrerades rättigheter"), blank=True)
    planned_measures = models.TextField(_("åtgärder för att hantera riskerna"), blank=True)
    stakeholder_views = models.TextField(_("synpunkter från de registrerade eller deras företrädare"), blank=True)
    residual_risk = models.CharField(_("kvarstående risk"), max_length=10, choices=ResidualRisk.choices, blank=True)
    prior_consultation = models.CharField(
        _("förhandssamråd med IMY"),
        max_length=20,
        choices=PriorConsultation.choices,
        default=PriorConsultation.NOT_NEEDED,
    )
    prior_consultation_reference = models.CharField(_("IMY:s diarienummer för samrådet"), max_length=50, blank=True)
    review_on = models.DateField(_("ses över senast"), null=True, blank=True)

    document_label = _("Konsekvensbedömningen")
    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("konsekvensbedömning (art. 35)")
        verbose_name_plural = _("konsekvensbedömningar (art. 35)")
        ordering = ["site__name", "series", "-version"]
        permissions = [
            ("approve_impactassessment", _("Kan godkänna eller avslå konsekvensbedömningar")),
            ("advise_impactassessment", _("Kan lämna dataskyddsombudets råd")),
        ]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="impactassessment_version_unique")]

    def __str__(self) -> str:
        return gettext("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}

    def audit_related_object(self) -> Site:
        return self.site

    def covered_cameras(self) -> list[Camera]:
        return list(self.cameras.all())

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = self.advice_errors()
        if self.residual_risk == ResidualRisk.HIGH and self.prior_consultation == PriorConsultation.NOT_NEEDED:
            errors["prior_consultation"] = [
                gettext("Vid hög kvarstående risk krävs förhandssamråd med IMY (art. 36 dataskyddsförordningen).")
            ]
        if self.prior_consultation == PriorConsultation.CLOSED and not self.prior_consultation_reference.strip():
            errors["prior_consultation_reference"] = [gettext("Ange IMY:s diarienummer för det avslutade samrådet.")]
        if errors:
            raise ValidationError(errors)

    def required_for_approval(self) -> list[str]:
        return [
            "description",
            "necessity_proportionality",
            "risk_assessment",
            "planned_measures",
            "dpo_advice",
            "dpo_advice_on",
            "residual_risk",
        ]

    def approval_problems(self) -> dict[str, list[str]]:
        problems = super().approval_problems()
        if self.pk and not self.cameras.exists():
            problems.setdefault("cameras", []).append(gettext("Välj vilka kameror konsekvensbedömningen gäller."))
        if self.pk and not self.risks.exists():
            problems.setdefault("__all__", []).append(
                gettext("Bedöm minst en risk (allvarlighet och sannolikhet) innan konsekvensbedömningen godkänns.")
            )
        return problems


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class DocumentPart(AuditedModel):
    """A row that belongs to a versioned document and freezes with it."""

    class Meta:
        abstract = True

    def parent(self) -> VersionedDocument:
        raise NotImplementedError

    def _check_parent(self) -> None:
        parent = self.parent()
        if parent.is_locked:
            raise ValidationError(parent.frozen_message())

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_parent()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_parent()
        return super().delete(*args, **kwargs)


class DpiaRisk(DocumentPart):
    """A risk to the rights of the people filmed, scored 1–4 for severity and likelihood (art. 35.7 c)."""

    assessment = models.ForeignKey(
        ImpactAssessment, verbose_name=_("konsekvensbedömning"), on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    severity = models.PositiveSmallIntegerField(
        _("allvarlighet (1–4)"), validators=SCORE_VALIDATORS, help_text=_("1 = begränsad, 4 = mycket allvarlig.")
    )
    likelihood = models.PositiveSmallIntegerField(
        _("sannolikhet (1–4)"), validators=SCORE_VALIDATORS, help_text=_("1 = osannolik, 4 = mycket sannolik.")
    )

    administration_lookup = "assessment__site__administration"

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["assessment", "-severity", "-likelihood", "pk"]

    def __str__(self) -> str:
        return self.title

    def parent(self) -> ImpactAssessment:
        return self.assessment

    def audit_related_object(self) -> ImpactAssessment:
        return self.assessment

    @property
    def score(self) -> int:
        return self.severity * self.likelihood


class DpiaMeasure(DocumentPart):
    """A measure that reduces a DPIA risk, with who owns it and when it is due (art. 35.7 d)."""

    assessment = models.ForeignKey(
        ImpactAssessment, verbose_name=_("konsekvensbedömning"), on_delete=models.CASCADE, related_name="measures"
    )
    risk = models.ForeignKey(
        DpiaRisk, verbose_name=_("risk"), null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    description = models.TextField(_("åtgärd"))
    owner = models.CharField(_("ansvarig"), max_length=200)
    due_on = models.DateField(_("klar senast"), null=True, blank=True)
    done_on = models.DateField(_("genomförd den"), null=True, blank=True)

    administration_lookup = "assessment__site__administration"

    class Meta:
        verbose_name = _("åtgärd mot risk")
        verbose_name_plural = _("åtgärder mot risker")
        ordering = ["assessment", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def parent(self) -> ImpactAssessment:
        return self.assessment

    def audit_related_object(self) -> ImpactAssessment:
        return self.assessment

    def clean(self) -> None:
        if self.risk_id and self.assessment_id and self.risk.assessment_id != self.assessment_id:
            raise ValidationError({"risk": gettext("Risken hör till en annan konsekvensbedömning.")})


#
# Barnkonventionen: the child-rights assessment
#


class ChildRightsAssessment(VersionedDocument):
    """A barnrättsprövning for cameras at a school, preschool or upper-secondary school.

    Barnkonventionen is Swedish law since 2020-01-01 (lag 2018:1197): the child's best interests are
    a primary consideration (art. 3), children have the right to be heard (art. 12) and to privacy
    (art. 16). The nine parts follow reference/legal.md R5.3.
    """

    site = models.ForeignKey(
        Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="child_rights_assessments"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    affected_children = models.TextField(
        _("berörda barn"), blank=True, help_text=_("Skola, åldrar, antal; används skolgården kvällar och helger?")
    )
    problem_from_child_perspective = models.TextField(
        _("problemet ur barnens perspektiv"), blank=True, help_text=_("Incidenter och elevernas trygghet.")
    )
    children_heard = models.BooleanField(_("barnen har fått komma till tals"), default=False)
    children_heard_how = models.TextField(
        _("hur barnen hördes"),
        blank=True,
        help_text=_("Elevråd, trygghetsenkät, klassamtal – eller varför barnen inte har hörts."),
    )
    children_heard_on = models.DateField(_("när barnen hördes"), null=True, blank=True)
    children_heard_result = models.TextField(_("vad barnen framförde"), blank=True)
    positive_effects = models.TextField(_("positiva effekter"), blank=True)
    negative_effects = models.TextField(
        _("negativa effekter"),
        blank=True,
        help_text=_("Integritet (art. 16), lek (art. 31), kartläggning av vanor."),
    )
    alternatives = models.TextField(_("alternativ som prövats eller övervägts"), blank=True)
    mitigations = models.TextField(
        _("skyddsåtgärder"), blank=True, help_text=_("Praxistider, fasad + 2 m, 72 h, maskering, inget ljud.")
    )
    conclusion = models.CharField(_("slutsats"), max_length=40, choices=ChildRightsConclusion.choices, blank=True)
    conclusion_reasoning = models.TextField(
        _("motivering och kompenserande åtgärder"),
        blank=True,
        help_text=_(
            "Behövs när slutsatsen inte är ”Förenligt med barnets bästa”: vilka åtgärder som gör den förenlig, "
            "eller varför den ändå väljs och vad som kompenserar."
        ),
    )
    follow_up_on = models.DateField(_("uppföljning senast"), null=True, blank=True)
    follow_up_indicator = models.CharField(_("indikator vid uppföljningen"), max_length=300, blank=True)

    document_label = _("Barnrättsprövningen")
    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("barnrättsprövning")
        verbose_name_plural = _("barnrättsprövningar")
        ordering = ["site__name", "series", "-version"]
        permissions = [("approve_childrightsassessment", _("Kan godkänna eller avslå barnrättsprövningar"))]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="childrightsassessment_version_unique")
        ]

    def __str__(self) -> str:
        return gettext("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}

    def audit_related_object(self) -> Site:
        return self.site

    def covered_cameras(self) -> list[Camera]:
        return list(self.site.cameras.all())

    def clean(self) -> None:
        super().clean()
        errors = self.advice_errors()
        if self.site_id and self.site.kind not in SCHOOL_KINDS:
            errors["site"] = [
                gettext("Barnrättsprövning görs för skolor, förskolor och gymnasieskolor; välj en sådan plats.")
            ]
        if errors:
            raise ValidationError(errors)

    def required_for_approval(self) -> list[str]:
        fields = [
            "affected_children",
            "problem_from_child_perspective",
            "children_heard_how",
            "positive_effects",
            "negative_effects",
            "alternatives",
            "mitigations",
            "conclusion",
            "follow_up_on",
            "follow_up_indicator",
        ]
        # Plain "compatible" needs no compensating measures; "with measures" and "not compatible" do.
        if self.conclusion and self.conclusion != ChildRightsConclusion.COMPATIBLE:
            fields.insert(fields.index("conclusion") + 1, "conclusion_reasoning")
        if self.children_heard:
            fields += ["children_heard_on", "children_heard_result"]
        return fields


#
# 15 § kamerabevakningslagen: signs
#


class Sign(AuditedModel):
    """A sign announcing camera surveillance (15 § KBL; art. 13 GDPR; legal.md R2.1–R2.3).

    A sign is for one camera or, with no camera, for the whole area of a site. It says who films,
    why, how to reach the controller and the DPO, whether sound is recorded, a long retention, and
    where the full information is (layer 2, which must also be reachable without internet).
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="signs")
    camera = models.ForeignKey(
        Camera,
        verbose_name=_("kamera"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signs",
        help_text=_("Lämna tomt om skylten gäller hela platsens bevakade område."),
    )
    position = models.TextField(
        _("placering"), help_text=_("Var skylten sitter, t.ex. vid entrén i ögonhöjd. Visas aldrig offentligt.")
    )
    text_version = models.CharField(_("textversion"), max_length=50, help_text=_("T.ex. 2025-1."))
    mentions_sound = models.BooleanField(_("upplyser om ljudupptagning"), default=False)
    mentions_retention = models.BooleanField(_("anger lagringstiden"), default=False)
    includes_controller_contact = models.BooleanField(
        _("anger den personuppgiftsansvariges kontaktuppgifter"), default=True
    )
    includes_dpo_contact = models.BooleanField(_("anger dataskyddsombudets kontaktuppgifter"), default=True)
    layer2_phone = models.CharField(
        _("telefon för fullständig information"),
        max_length=50,
        blank=True,
        help_text=_("Fullständig information ska kunna fås även utan internet."),
    )
    layer2_poster = models.BooleanField(_("större informationstavla på platsen"), default=False)
    photo = models.FileField(_("foto"), upload_to="skyltar/%Y/", blank=True)
    installed_on = models.DateField(_("uppsatt den"), null=True, blank=True)
    last_inspected_on = models.DateField(_("senast inspekterad"), null=True, blank=True)
    removed_on = models.DateField(_("nedtagen den"), null=True, blank=True)

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("skylt")
        verbose_name_plural = _("skyltar")
        ordering = ["site", "camera", "pk"]

    def __str__(self) -> str:
        subject = self.camera.identifier if self.camera_id else gettext("hela platsen")
        return gettext("Skylt vid %(site)s (%(subject)s)") % {"site": self.site, "subject": subject}

    def audit_related_object(self) -> Site:
        return self.site

    @property
    def layer2_available(self) -> bool:
        return bool(self.layer2_phone.strip()) or self.layer2_poster

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.camera_id and self.site_id and self.camera.site_id != self.site_id:
            errors["camera"] = gettext("Kameran sitter på en annan plats än skylten.")
        if self.last_inspected_on and not self.installed_on:
            errors["installed_on"] = gettext("Ange när skylten sattes upp innan en inspektion registreras.")
        elif self.last_inspected_on and self.installed_on and self.last_inspected_on < self.installed_on:
            errors["last_inspected_on"] = gettext("Inspektionen kan inte vara före dagen då skylten sattes upp.")
        if self.removed_on and (not self.installed_on or self.removed_on < self.installed_on):
            errors["removed_on"] = gettext("Nedtagningen kan inte vara före dagen då skylten sattes upp.")
        if errors:
            raise ValidationError(errors)


#
# Before 2025-04-01: permits
#


class LegacyPermit(AuditedModel):
    """A permit from IMY (earlier Datainspektionen or länsstyrelsen) under the old 7 § KBL.

    Before 2025-04-01 an authority filming a place the public has access to needed a permit. Every
    permit lapsed at the end of 2025-03-31 (övergångsbestämmelse 2 till SFS 2025:220); the record
    stays so that the cameras of that time are judged by the rules of their date (legal.md R1.7).
    """

    cameras = models.ManyToManyField(Camera, verbose_name=_("kameror"), related_name="legacy_permits")
    imy_case_number = models.CharField(_("IMY:s diarienummer"), max_length=50)
    decision_date = models.DateField(_("beslutsdatum"))
    conditions = models.TextField(_("villkor"), blank=True)
    hours_rules = models.JSONField(
        _("tillåtna tider"),
        default=list,
        blank=True,
        validators=[validate_weekly_rules],
        help_text=_("Veckoregler om tillståndet begränsade tiderna; tomt om det inte gjorde det."),
    )
    expires_on = models.DateField(_("upphör"), default=PERMITS_LAPSED_ON)

    class Meta:
        verbose_name = _("tillstånd från IMY (före 2025-04-01)")
        verbose_name_plural = _("tillstånd från IMY (före 2025-04-01)")
        ordering = ["decision_date"]

    def __str__(self) -> str:
        return gettext("Tillstånd %(number)s (%(date)s)") % {
            "number": self.imy_case_number,
            "date": self.decision_date.isoformat() if self.decision_date else "–",
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.expires_on and self.expires_on > PERMITS_LAPSED_ON:
            errors["expires_on"] = gettext("Alla tillstånd upphörde senast 2025-03-31 (SFS 2025:220).")
        if self.decision_date and self.expires_on and self.expires_on < self.decision_date:
            errors["expires_on"] = gettext("Tillståndet kan inte upphöra före beslutsdatumet.")
        if errors:
            raise ValidationError(errors)


#
# Art. 30 GDPR: the record of processing
#


class ProcessingRecord(AuditedModel):
    """The register entry "Kamerabevakning – trygghetskameror" of the controller's art. 30 record.

    One per controller board (each nämnd is controller for its own processing, legal.md R4.4). The
    parts that follow from the cameras (data subjects, data, retention) are generated; this model
    holds what a person decides: contacts, recipients, transfers and the security measures.
    """

    name = models.CharField(_("behandling"), max_length=200, default="Kamerabevakning – trygghetskameror")
    controller_board = models.CharField(
        _("personuppgiftsansvarig nämnd"),
        max_length=200,
        unique=True,
        help_text=_("Samma nämnd som i organisationsinställningarna."),
    )
    controller_contact = models.TextField(
        _("kontaktuppgifter till den personuppgiftsansvarige"), help_text=_("Adress, e-post och telefon.")
    )
    joint_controllers = models.TextField(_("gemensamt personuppgiftsansvariga"), blank=True)
    legal_basis = models.TextField(
        _("rättslig grund"),
        default="Art. 6.1 e dataskyddsförordningen (uppgift av allmänt intresse), 2 kap. 2 § dataskyddslagen; "
        "14 § lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete; skollagen 5 kap. 3 §.",
    )
    recipients = models.TextField(
        _("mottagare"),
        default="Polismyndigheten och andra brottsutredande myndigheter enligt 32 kap. 3 a § offentlighets- och "
        "sekretesslagen; personuppgiftsbiträden enligt avtal.",
    )
    third_country_transfers = models.TextField(
        _("överföring till tredjeland"), default="Inga uppgifter överförs till tredjeland."
    )
    security_measures = models.TextField(
        _("tekniska och organisatoriska säkerhetsåtgärder"),
        help_text=_("Behörighet, loggning av uttag, kryptering, gallring."),
    )
    information_phone = models.CharField(
        _("telefon för information om kamerabevakningen"),
        max_length=50,
        blank=True,
        help_text=_("Visas på skyltar och den offentliga sidan, så att information finns även utan internet."),
    )

    class Meta:
        verbose_name = _("registerpost enligt art. 30")
        verbose_name_plural = _("registerposter enligt art. 30")
        ordering = ["controller_board"]

    def __str__(self) -> str:
        return f"{self.name} ({self.controller_board})"


class StoredChecklist(models.Model):
    """A camera's activation checklist as computed on `computed_on`, kept so lists need not recompute it.

    A computed store, not a record people keep (so no change log): `trygg.compliance.stored` recomputes
    it whenever one of the facts the checklist reads is saved, and `trygg recompute_checklists` recomputes
    every camera (nightly, since checks with dates — a sign inspection due, a permit expiring — turn by
    themselves). A checklist as of another date is computed on demand (`trygg.compliance.facts`).
    """

    camera = models.OneToOneField(
        Camera, verbose_name=_("kamera"), on_delete=models.CASCADE, primary_key=True, related_name="stored_checklist"
    )
    computed_on = models.DateField(_("checklistan per datum"))
    computed_at = models.DateTimeField(_("beräknad"))
    state = models.CharField(_("status"), max_length=20, blank=True)
    activation_allowed = models.BooleanField(_("får tas i drift"), default=False)
    assessment_stale = models.BooleanField(_("intresseavvägningen inaktuell"), default=False)
    # Codes of the failing checks: blockers, and everything else that fails (warnings and notes).
    blockers = models.JSONField(_("hinder"), default=list)
    warnings = models.JSONField(_("varningar"), default=list)
    # The first failing blocker or warning the start page shows: code, severity, title, message_template, params.
    finding = models.JSONField(_("första hinder eller varning"), null=True, blank=True)
    finding_severity = models.CharField(_("allvarlighet"), max_length=10, blank=True)
    # The camera's line in the 10 § register on `computed_on` (None: no line): status and the five items.
    register = models.JSONField(_("rad i förteckningen"), null=True, blank=True)
    # The yearly review's due date (trygg.evaluation; None: never in operation or decommissioned), so the
    # start page lists the reviews to do without loading every camera's life cycle.
    review_due_on = models.DateField(_("omprövning senast"), null=True, blank=True)
    # The camera's identifier and the finding's place on the start page (0 a blocker on a camera in
    # operation, 1 another blocker, 2 a warning; None: no finding, or decommissioned), so the start
    # page reads its first findings and reviews from an index at any number of cameras.
    identifier = models.CharField(_("beteckning"), max_length=50, blank=True)
    finding_order = models.PositiveSmallIntegerField(_("ordning bland fynden"), null=True, blank=True)
    # The camera's site's administration when computed (every site save recomputes its cameras), so an
    # administration contact's findings, reviews and counts are read from an index of their own rows
    # instead of through every one of their cameras (issue 15).
    administration = models.ForeignKey(
        "core.Administration",
        verbose_name=_("förvaltning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the indexes below lead with it
    )

    class Meta:
        verbose_name = _("sparad checklista")
        verbose_name_plural = _("sparade checklistor")
        indexes = [
            models.Index(fields=["finding_order", "identifier"], name="stored_findings_idx"),
            models.Index(fields=["review_due_on", "identifier", "state"], name="stored_reviews_idx"),
            models.Index(fields=["computed_on"], name="stored_computed_on_idx"),
            # The newest is part of the exports' data stamp (trygg.core.export_cache).
            models.Index(fields=["computed_at"], name="stored_computed_at_idx"),
            models.Index(fields=["administration", "finding_order", "identifier"], name="stored_adm_findings_idx"),
            models.Index(
                fields=["administration", "review_due_on", "identifier", "state"], name="stored_adm_reviews_idx"
            ),
            models.Index(fields=["administration", "computed_on"], name="stored_adm_computed_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.camera_id} {self.computed_on}"
