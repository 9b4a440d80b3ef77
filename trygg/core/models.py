"""Cross-cutting models: the organisation, its administrations, and the change log.

Nothing here imports a domain app; domain models inherit `AuditedModel` to be change-logged.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from trygg.core.geojson import validate_polygon

#
# Base classes
#


class AuditedModel(models.Model):
    """Every change to a model that inherits this is written to the change log (`ObjectChange`)."""

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    # Fields left out of the change log's diff because they change on every save.
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at")
    # Lookup from this model to its Administration, for the administration_contact role's scope.
    administration_lookup: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def audit_related_object(self) -> models.Model | None:
        """The object whose history should also show this change (a camera's site, say)."""
        return None


class PositionMixin(models.Model):
    """A point in WGS 84 (lon/lat), as GeoJSON and OpenStreetMap store it."""

    longitude = models.FloatField(
        _("longitud"),
        validators=[MinValueValidator(10.0), MaxValueValidator(25.0)],
        help_text=_("Grader öster om Greenwich, WGS 84 (t.ex. 18.70)."),
    )
    latitude = models.FloatField(
        _("latitud"),
        validators=[MinValueValidator(55.0), MaxValueValidator(69.5)],
        help_text=_("Grader norr om ekvatorn, WGS 84 (t.ex. 59.76)."),
    )

    class Meta:
        abstract = True


#
# The organisation
#


class Organisation(AuditedModel):
    """The municipality running Trygg (one per installation) and its controller settings.

    The controller board (personuppgiftsansvarig nämnd) and the data protection officer must be
    named on every sign and in every register (GDPR art. 13, 30, 37; 15 § kamerabevakningslagen).
    """

    municipality_name = models.CharField(_("kommunens namn"), max_length=200)
    municipality_code = models.CharField(
        _("kommunkod"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("Kommunkoden är fyra siffror, t.ex. 0188."))],
        help_text=_(
            "SCB:s fyrsiffriga kommunkod, t.ex. 0188 för Norrtälje. Används som kommun-id i indikatorexporten "
            "(Kolada) och i beskrivningen av öppna data."
        ),
    )
    controller_board = models.CharField(
        _("personuppgiftsansvarig nämnd"),
        max_length=200,
        help_text=_("Den nämnd som är personuppgiftsansvarig för kamerabevakningen, t.ex. Kommunstyrelsen."),
    )
    dpo_name = models.CharField(_("dataskyddsombud"), max_length=200)
    dpo_email = models.EmailField(_("dataskyddsombudets e-post"))
    dpo_phone = models.CharField(_("dataskyddsombudets telefon"), max_length=50, blank=True)
    case_number_pattern = models.CharField(
        _("mönster för diarienummer"),
        max_length=200,
        default=r"^KS \d{4}/\d{3,4}$",
        help_text=_("Reguljärt uttryck som diarienummer ska följa, t.ex. ^KS \\d{4}/\\d{3,4}$ för KS 2024/0123."),
    )
    case_number_example = models.CharField(_("exempel på diarienummer"), max_length=50, default="KS 2024/0123")
    intrusion_tolerance_m2 = models.FloatField(
        _("tolerans för intrång (m²)"),
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(50.0)],
        help_text=_(
            "Så många m² av ett område som inte får bevakas kan en kamera se utan att det räknas som intrång, "
            "för att en hand-ritad gräns aldrig är exakt. Standard 1 m²."
        ),
    )
    decision_delegation = models.CharField(
        _("delegation för beslut om bedömningar"),
        max_length=300,
        blank=True,
        help_text=_(
            "Punkten i delegationsordningen som beslut om bedömningar fattas enligt, t.ex. KS delegationsordning 4.2."
        ),
    )
    camera_budget_per_year = models.DecimalField(
        _("särskilt tilldelade medel per år (kr)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Öronmärkt budget för kamerabevakning per år, t.ex. 1 000 000 kr."),
    )
    area = models.JSONField(
        _("kommunens område"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_(
            "Området där kommunens platser, kameror, byggnader och områden får ligga, som GeoJSON-polygon i "
            "WGS 84. Tomt: rutan runt kommunens platser plus marginalen nedan."
        ),
    )
    area_margin_km = models.FloatField(
        _("marginal runt kommunens område (km)"),
        default=30.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(500.0)],
        help_text=_("Så långt utanför området en koordinat får ligga innan den avvisas. Standard 30 km."),
    )

    class Meta:
        verbose_name = _("organisationsinställningar")
        verbose_name_plural = _("organisationsinställningar")

    def __str__(self) -> str:
        return self.municipality_name

    def clean(self) -> None:
        try:
            pattern = re.compile(self.case_number_pattern)
        except re.error as exc:
            raise ValidationError(
                {
                    "case_number_pattern": gettext("Mönstret är inget giltigt reguljärt uttryck: %(error)s")
                    % {"error": exc}
                }
            ) from exc
        if self.case_number_example and not pattern.fullmatch(self.case_number_example):
            raise ValidationError({"case_number_example": gettext("Exemplet följer inte mönstret för diarienummer.")})

    def validate_case_number(self, value: str) -> None:
        """Raise a Swedish ValidationError if `value` does not follow the configured pattern."""
        if not re.fullmatch(self.case_number_pattern, value or ""):
            raise ValidationError(
                gettext("Diarienumret %(value)s följer inte mönstret, t.ex. %(example)s.")
                % {"value": value, "example": self.case_number_example}
            )

    @classmethod
    def current(cls) -> Organisation:
        """The installation's organisation; a blank one until the administrator fills it in."""
        organisation = cls.objects.order_by("pk").first()
        if organisation is None:
            organisation = cls(municipality_name=gettext("Kommunen"), controller_board="", dpo_name="", dpo_email="")
        return organisation


class Administration(AuditedModel):
    """A förvaltning, e.g. barn- och utbildningsförvaltningen, whose premises get cameras.

    Its contacts (the administration_contact role) see and add to its own sites only.
    """

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("förkortning"), max_length=30, blank=True)
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktpersoner"),
        blank=True,
        related_name="administrations",
        help_text=_("Användare med rollen förvaltningskontakt som ser förvaltningens platser."),
    )

    administration_lookup = "pk"

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


#
# Attachments
#


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where an uploaded file is stored under MEDIA_ROOT: by kind of object and a random name.

    The user's file name is kept in `original_name`; on disk a random name avoids clashes and
    guessing (files are served only through a view that checks access, never from MEDIA_URL).
    """
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    label = f"{instance.content_type.app_label}-{instance.content_type.model}" if instance.content_type_id else "x"
    return f"bilagor/{label}/{uuid.uuid4().hex}{suffix}"


class Attachment(AuditedModel):
    """A bilaga: a file kept with a site, camera, assessment, sign or project.

    Signed decisions, photos of signs and of the camera's own image, installer documents. Kept as
    long as the object it belongs to must be kept (for assessments, five years after the cameras
    stopped, 9 § kamerabevakningslagen) and served only to users who may see that object.
    """

    class Kind(models.TextChoices):
        SIGNED_DECISION = "signed_decision", _("Undertecknat beslut")
        SIGN_PHOTO = "sign_photo", _("Foto av skylt")
        CAMERA_IMAGE = "camera_image", _("Bild från kameran")
        INSTALLER_DOCUMENT = "installer_document", _("Dokument från installatören")
        OTHER = "other", _("Övrigt")

    # Named in Swedish because the change log shows every field of a new or deleted attachment.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("hör till typ av objekt"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("hör till objekt (id)"))
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("typ av bilaga"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    media_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uppladdad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied so the list still names the person after the account is removed.
    uploaded_by_name = models.CharField(_("uppladdad av (namn)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["content_type", "object_id", "-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name

    def audit_related_object(self) -> models.Model | None:
        return self.content_object


#
# Change log
#


class ObjectChange(models.Model):
    """One recorded change: who did what to which object, when, with the data before and after.

    Rows are never edited or deleted; they are the record the DPO and auditors read. Each row carries
    the hash of the row before it and its own hash over its fields (`trygg.core.chain`), so an edit or
    a removal made past the application (SQL) is found by `trygg audit verify`.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("skapade")
        UPDATE = "update", _("ändrade")
        DELETE = "delete", _("tog bort")
        EVENT = "event", _("händelse")

    # Set when the entry is written, inside the chain lock, so the times follow the chain.
    time = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied so the log still names the person after the account is removed.
    user_name = models.CharField(_("användarnamn"), max_length=150)
    request_id = models.UUIDField(_("åtgärds-id"), db_index=True)
    source = models.CharField(_("källa"), max_length=50)
    action = models.CharField(_("åtgärd"), max_length=10, choices=Action.choices)
    event = models.CharField(_("händelse"), max_length=60, blank=True)
    changed_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    changed_object_id = models.CharField(max_length=64)
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    related_object_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objekt"), max_length=200)
    message = models.TextField(_("kommentar"), blank=True)
    prechange_data = models.JSONField(_("före"), null=True, blank=True)
    postchange_data = models.JSONField(_("efter"), null=True, blank=True)
    previous_hash = models.CharField(_("föregående posts hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("postens hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("ändring")
        verbose_name_plural = _("ändringslogg")
        ordering = ["-time", "-pk"]
        indexes = [
            models.Index(fields=["changed_object_type", "changed_object_id"]),
            models.Index(fields=["related_object_type", "related_object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(gettext("Ändringsloggen kan inte ändras i efterhand."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(gettext("Ändringsloggen kan inte raderas."))

    @property
    def event_label(self) -> str:
        from trygg.core.audit import EVENTS

        return str(EVENTS.get(self.event, self.event))

    def chain_fields(self) -> dict[str, Any]:
        """The fields the hash chain covers (`trygg.core.chain.HASHED_FIELDS`), as stored."""
        from trygg.core.chain import HASHED_FIELDS

        return {name: getattr(self, name) for name in HASHED_FIELDS}


class ChainHead(models.Model):
    """The one row naming the change log's last entry and its hash.

    Writers lock it (`select_for_update`) so two entries never claim the same predecessor, and it
    tells `trygg audit verify` whether entries were removed from the end of the log.
    """

    last_entry_id = models.BigIntegerField(_("senaste postens id"), null=True, blank=True)
    last_hash = models.CharField(_("senaste postens hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("ändringsloggens kedjehuvud")
        verbose_name_plural = _("ändringsloggens kedjehuvud")

    def __str__(self) -> str:
        return f"{self.last_entry_id} {self.last_hash}"


class AuditVerification(models.Model):
    """One run of `trygg audit verify`: when, by whom, how many entries, and where the chain broke if it did."""

    time = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    checked_by = models.CharField(_("kontrollerad av"), max_length=150)
    entries = models.PositiveBigIntegerField(_("antal poster"))
    ok = models.BooleanField(_("kedjan hel"))
    broken_entry_id = models.BigIntegerField(_("första brutna post (id)"), null=True, blank=True)
    broken_entry_time = models.DateTimeField(_("första brutna postens tidpunkt"), null=True, blank=True)
    # What did not match at the first break (trygg.core.chain: content, link, head) and the two hashes.
    kind = models.CharField(_("typ av brott"), max_length=10, blank=True)
    expected_hash = models.CharField(_("väntad hash"), max_length=64, blank=True)
    found_hash = models.CharField(_("funnen hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("kontroll av ändringsloggen")
        verbose_name_plural = _("kontroller av ändringsloggen")
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.checked_by}"

    def summary(self) -> str:
        """One Swedish sentence: when the log was checked, how many entries, whole or where it broke."""
        when = timezone.localtime(self.time).strftime("%Y-%m-%d %H:%M")
        if self.ok:
            return ngettext(
                "Loggen kontrollerades senast %(date)s: %(n)s post, kedjan hel.",
                "Loggen kontrollerades senast %(date)s: %(n)s poster, kedjan hel.",
                self.entries,
            ) % {"date": when, "n": self.entries}
        return gettext("Loggen kontrollerades senast %(date)s: kedjan är bruten. %(detail)s") % {
            "date": when,
            "detail": self.detail(),
        }

    def detail(self) -> str:
        """What does not match at the first broken link, in Swedish ("" when the chain was whole)."""
        at = timezone.localtime(self.broken_entry_time).strftime("%Y-%m-%d %H:%M:%S") if self.broken_entry_time else "–"
        values = {"id": self.broken_entry_id, "time": at, "expected": self.expected_hash, "found": self.found_hash}
        if self.kind == "content":
            return (
                gettext(
                    "Post %(id)s (%(time)s) har ändrats efter att den skrevs: dess innehåll ger hashen %(expected)s, "
                    "men posten har %(found)s."
                )
                % values
            )
        if self.kind == "link":
            return (
                gettext(
                    "Kedjan bryts före post %(id)s (%(time)s): posten pekar på föregående hash %(found)s, men posten "
                    "före har %(expected)s. En post har tagits bort eller ändrats."
                )
                % values
            )
        if self.kind == "head":
            return (
                gettext(
                    "Loggen slutar inte med post %(id)s som kedjans huvud anger (hash %(expected)s, loggens sista "
                    "hash %(found)s). Poster i slutet har tagits bort."
                )
                % values
            )
        return ""
