"""The programme: the political assignment, its indicator and reporting points, the installation
projects that carry it out, the earmarked budget and the deadlines of the follow-up.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Administration, AuditedModel
from trygg.programme import progress
from trygg.programme.choices import (
    AssignmentOrigin,
    AssignmentStatus,
    CostCategory,
    CostStatus,
    DeadlineKind,
    DelayReason,
    IndicatorMeasure,
    ProjectStatus,
    ReportingPointKind,
    ReportingPointStatus,
)
from trygg.sites.models import Site

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MONEY = {"max_digits": 14, "decimal_places": 2}


class Indicator(AuditedModel):
    """An indikator that follows up an assignment, computed from the data and never typed in.

    "Antal bevakningskameror i drift" counts the cameras whose latest life-cycle row on a date is
    "i drift" (trygg.programme.indicator); yearly targets are kept as `IndicatorTarget` rows.
    """

    code = models.SlugField(
        _("kod"), max_length=60, unique=True, help_text=_("Kort kod för export, t.ex. kameror-i-drift.")
    )
    name = models.CharField(_("namn"), max_length=200)
    measure = models.CharField(
        _("vad som räknas"),
        max_length=40,
        choices=IndicatorMeasure.choices,
        default=IndicatorMeasure.CAMERAS_IN_OPERATION,
    )
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("enhet"), max_length=30, default="st")
    source = models.CharField(_("källa"), max_length=200, blank=True)
    frequency = models.CharField(
        _("uppföljning"), max_length=200, blank=True, help_text=_("T.ex. delår per april och augusti samt helår.")
    )

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(AuditedModel):
    """The målvärde of an indicator for one year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    value = models.PositiveIntegerField(_("målvärde"))
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique_per_year")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.year} {self.value}"

    def audit_related_object(self) -> Indicator:
        return self.indicator


class Assignment(AuditedModel):
    """An uppdrag in the municipal operational plan (verksamhetsplan), followed up by an indicator."""

    title = models.CharField(_("uppdrag"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    origin = models.CharField(_("ursprung"), max_length=20, choices=AssignmentOrigin.choices)
    plan_year = models.PositiveSmallIntegerField(
        _("år i verksamhetsplanen"), validators=YEAR_VALIDATORS, help_text=_("Första året uppdraget står i planen.")
    )
    responsible_unit = models.CharField(_("ansvarig enhet"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ONGOING
    )
    followed_up_since = models.PositiveSmallIntegerField(
        _("följs upp med indikator sedan"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indikatorer"), blank=True, related_name="assignments"
    )

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["-plan_year", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def display_with_year(self) -> str:
        """The title with its plan year, as chosen in the report form: `Trygghetskameror … (verksamhetsplan 2025)`."""
        return gettext("%(title)s (verksamhetsplan %(year)s)") % {"title": self.title, "year": self.plan_year}

    def clean(self) -> None:
        # Each year's plan carries the assignment once; the next year's is a new row with the same title.
        if self.title and self.plan_year:
            twins = Assignment.objects.filter(title__iexact=self.title.strip(), plan_year=self.plan_year)
            if twins.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "plan_year": gettext(
                            "Uppdraget ”%(title)s” finns redan i verksamhetsplanen %(year)s. Välj ett annat år "
                            "eller ändra det befintliga uppdraget."
                        )
                        % {"title": self.title.strip(), "year": self.plan_year}
                    }
                )


class Project(AuditedModel):
    """A projektering: getting a number of cameras in place at a site by a target date."""

    name = models.CharField(_("namn"), max_length=200)
    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="projects")
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("uppdrag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    plan_year = models.PositiveSmallIntegerField(_("år i verksamhetsplanen"), validators=YEAR_VALIDATORS)
    scope_description = models.TextField(
        _("vad som ska bevakas"), blank=True, help_text=_("T.ex. yttre bevakning av byggnad (ej skolgård).")
    )
    target_min = models.PositiveSmallIntegerField(_("målbild, minst antal kameror"))
    target_max = models.PositiveSmallIntegerField(_("målbild, högst antal kameror"))
    target_date = models.DateField(_("måldatum"))
    forecast_date = models.DateField(_("prognos"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.IN_DIALOGUE
    )
    delay_reasons = models.JSONField(
        _("orsaker till försening"), default=list, blank=True, help_text=_("Koder för orsaker till försening.")
    )
    delay_description = models.TextField(_("beskrivning av förseningen"), blank=True)
    estimated_cost = models.DecimalField(
        _("beräknad kostnad (kr)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Jämförs med årets tilldelade medel; en plan som inte ryms ger en varning."),
    )
    responsible_administration = models.ForeignKey(
        Administration,
        verbose_name=_("ansvarig förvaltning"),
        on_delete=models.PROTECT,
        related_name="projects",
    )

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("projektering")
        verbose_name_plural = _("projekteringar")
        ordering = ["target_date", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_related_object(self) -> Site:
        return self.site

    @property
    def target_range_display(self) -> str:
        if self.target_min == self.target_max:
            return str(self.target_min)
        return f"{self.target_min}–{self.target_max}"

    @property
    def is_delayed(self) -> bool:
        """The forecast lies after the target date, and the project is neither delivered nor cancelled."""
        return progress.is_delayed(self.status, self.target_date, self.forecast_date)

    @property
    def is_delivered(self) -> bool:
        return self.status == ProjectStatus.COMPLETED

    def days_past_target(self, today: dt.date) -> int | None:
        """Days `today` lies after the target date of a project not yet delivered (None if not late)."""
        return progress.days_past_target(self.status, self.target_date, today)

    def delay_reason_labels(self) -> list[str]:
        return [str(DelayReason(code).label) for code in self.delay_reasons if code in DelayReason.values]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_min is not None and self.target_max is not None and self.target_min > self.target_max:
            errors["target_max"] = gettext(
                "Målbild, högst antal kameror (%(max)s) kan inte vara lägre än minst antal kameror (%(min)s)."
            ) % {"max": self.target_max, "min": self.target_min}
        if not isinstance(self.delay_reasons, list) or any(c not in DelayReason.values for c in self.delay_reasons):
            errors["delay_reasons"] = gettext("Okänd orsak till försening. Tillåtna koder: %(codes)s.") % {
                "codes": ", ".join(DelayReason.values)
            }
        elif DelayReason.OTHER in self.delay_reasons and not self.delay_description.strip():
            errors["delay_description"] = gettext(
                "Orsaken ”Annat” är vald: beskriv förseningen i fältet Beskrivning av förseningen."
            )
        if self.is_delayed and not (self.delay_reasons or self.delay_description.strip()):
            errors["delay_description"] = gettext("Prognosen ligger efter måldatum: ange orsaken till förseningen.")
        if self.target_date and self.plan_year and self.target_date < dt.date(self.plan_year, 1, 1):
            errors["target_date"] = gettext("Måldatum ligger före året i verksamhetsplanen (%(year)s).") % {
                "year": self.plan_year
            }
        if self.forecast_date and self.plan_year and self.forecast_date < dt.date(self.plan_year, 1, 1):
            errors["forecast_date"] = gettext(
                "Prognosen ligger före projekteringens start, året i verksamhetsplanen (%(year)s)."
            ) % {"year": self.plan_year}
        if errors:
            raise ValidationError(errors)


def period_end(kind: str, year: int) -> dt.date | None:
    """The day a reporting point reports on: 30 April, 31 August or 31 December."""
    month = {ReportingPointKind.INTERIM_APRIL: 4, ReportingPointKind.INTERIM_AUGUST: 8, ReportingPointKind.ANNUAL: 12}
    if kind not in month:
        return None
    number = month[ReportingPointKind(kind)]
    return dt.date(year, number, calendar.monthrange(year, number)[1])


class ReportingPoint(AuditedModel):
    """A återrapportering of the assignment: per April, per August, the annual report, or a special one."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("uppdrag"), on_delete=models.CASCADE, related_name="reporting_points"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=ReportingPointKind.choices)
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    title = models.CharField(
        _("rubrik"), max_length=200, blank=True, help_text=_("Behövs för en särskild återrapportering.")
    )
    period_end = models.DateField(
        _("avser läget per"), blank=True, help_text=_("Lämna tomt för 30 april, 31 augusti eller 31 december.")
    )
    due_on = models.DateField(_("ska lämnas senast"), help_text=_("Sista dag för inlämning till nämndsekretariatet."))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportingPointStatus.choices, default=ReportingPointStatus.NOT_STARTED
    )
    submitted_on = models.DateField(_("inlämnad den"), null=True, blank=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indikatorer som redovisas"), blank=True, related_name="reporting_points"
    )
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("återrapportering")
        verbose_name_plural = _("återrapporteringar")
        ordering = ["due_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "year"],
                condition=~Q(kind="special"),
                name="reporting_point_unique_per_kind_and_year",
            )
        ]

    def __str__(self) -> str:
        if self.kind == ReportingPointKind.SPECIAL:
            return self.title or gettext("Särskild återrapportering %(year)s") % {"year": self.year}
        return f"{self.get_kind_display()} {self.year}"

    def audit_related_object(self) -> Assignment:
        return self.assignment

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ReportingPointKind.SPECIAL and not self.title.strip():
            errors["title"] = gettext("Ange en rubrik för den särskilda återrapporteringen.")
        if not self.period_end and self.kind and self.year:
            self.period_end = period_end(self.kind, self.year)
            if self.period_end is None:
                errors["period_end"] = gettext("Ange vilket datum den särskilda återrapporteringen avser.")
        if self.status in {ReportingPointStatus.SUBMITTED, ReportingPointStatus.REPORTED} and not self.submitted_on:
            errors["submitted_on"] = gettext("Ange när återrapporteringen lämnades in.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if not self.period_end and self.kind and self.year:
            self.period_end = period_end(self.kind, self.year)
        super().save(*args, **kwargs)


class BudgetAllocation(AuditedModel):
    """The särskilt tilldelade medel for camera surveillance in one year (e.g. 1 000 000 kr).

    The allocation is the source of truth for a year; the organisation's yearly amount is only the
    suggestion when a new year is added.
    """

    year = models.PositiveSmallIntegerField(_("år"), unique=True, validators=YEAR_VALIDATORS)
    amount = models.DecimalField(_("tilldelat belopp (kr)"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    carry_over = models.BooleanField(
        _("oförbrukade medel förs över till nästa år"),
        default=False,
        help_text=_("Endast om beslutet om medlen tillåter det."),
    )
    decided_in = models.CharField(
        _("beslutat i"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. verksamhetsplan 2024 eller ett beslut med diarienummer."),
    )
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelade medel")
        ordering = ["-year"]

    def __str__(self) -> str:
        from trygg.programme.money import format_kr

        return f"{self.year}: {format_kr(self.amount)}"


class CostEntry(AuditedModel):
    """A cost against the earmarked budget: hardware, installation, licences, operation or maintenance."""

    booked_on = models.DateField(
        _("datum"), help_text=_("Beställnings- eller bokföringsdatum; avgör vilket år kostnaden belastar.")
    )
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    status = models.CharField(_("status"), max_length=20, choices=CostStatus.choices, default=CostStatus.SPENT)
    amount = models.DecimalField(_("belopp (kr)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    description = models.CharField(_("beskrivning"), max_length=300)
    supplier = models.CharField(_("leverantör"), max_length=200, blank=True)
    reference = models.CharField(_("verifikation eller order"), max_length=100, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("projektering"), null=True, blank=True, on_delete=models.PROTECT, related_name="costs"
    )
    camera = models.ForeignKey(
        "cameras.Camera",
        verbose_name=_("kamera"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="costs",
    )

    class Meta:
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        ordering = ["-booked_on", "-pk"]
        indexes = [models.Index(fields=["booked_on"])]

    def __str__(self) -> str:
        from trygg.programme.money import format_kr

        return f"{self.booked_on:%Y-%m-%d} {self.description} ({format_kr(self.amount)})"

    @property
    def year(self) -> int:
        return self.booked_on.year

    def audit_related_object(self) -> models.Model | None:
        return self.project or self.camera

    def clean(self) -> None:
        if self.camera_id and self.project_id and self.camera.project_id not in (None, self.project_id):
            raise ValidationError({"camera": gettext("Kameran hör till en annan projektering än kostnaden.")})
        if self.camera_id and self.project_id and self.camera.site_id != self.project.site_id:
            raise ValidationError({"camera": gettext("Kameran sitter på en annan plats än projekteringens.")})


class Deadline(AuditedModel):
    """A date the unit must keep: a board meeting, a submission to the secretariat, a review, an inspection."""

    uid = models.UUIDField(_("kalender-id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("typ"), max_length=30, choices=DeadlineKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    due_on = models.DateField(_("datum"))
    starts_at = models.TimeField(_("klockslag"), null=True, blank=True, help_text=_("Lämna tomt för en heldag."))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    reporting_point = models.ForeignKey(
        ReportingPoint,
        verbose_name=_("återrapportering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadlines",
    )
    site = models.ForeignKey(
        Site, verbose_name=_("plats"), null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    done_on = models.DateField(_("klar den"), null=True, blank=True)

    class Meta:
        verbose_name = _("tidsfrist")
        verbose_name_plural = _("tidsfrister")
        ordering = ["due_on", "starts_at", "title"]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.title}"

    def audit_related_object(self) -> models.Model | None:
        return self.reporting_point or self.site


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(AuditedModel):
    """A user's secret calendar address. Only a hash of the token is kept; deleting the row revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(_("kontrollsumma för länken"), max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True, editable=False)

    audit_exclude = ("created_at", "updated_at", "last_used_at")

    class Meta:
        verbose_name = _("kalenderlänk")
        verbose_name_plural = _("kalenderlänkar")

    def __str__(self) -> str:
        return gettext("Kalenderlänk för %(user)s") % {"user": self.user}

    @classmethod
    def issue(cls, user) -> str:
        """Give `user` a new secret token (replacing any earlier one) and return it; it is shown once."""
        token = secrets.token_urlsafe(32)
        cls.objects.filter(user=user).delete()
        cls.objects.create(user=user, token_hash=hash_token(token))
        return token
