"""The programme: the political assignment and the installation projects that carry it out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Administration, AuditedModel
from trygg.programme.choices import AssignmentOrigin, AssignmentStatus, DelayReason, ProjectStatus
from trygg.sites.models import Site

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


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

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["-plan_year", "title"]

    def __str__(self) -> str:
        return self.title


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
        return bool(self.forecast_date and self.forecast_date > self.target_date)

    def delay_reason_labels(self) -> list[str]:
        return [str(DelayReason(code).label) for code in self.delay_reasons if code in DelayReason.values]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target_min is not None and self.target_max is not None and self.target_min > self.target_max:
            errors["target_max"] = gettext("Högsta antalet kameror kan inte vara lägre än lägsta antalet.")
        if not isinstance(self.delay_reasons, list) or any(c not in DelayReason.values for c in self.delay_reasons):
            errors["delay_reasons"] = gettext("Okänd orsak till försening. Tillåtna koder: %(codes)s.") % {
                "codes": ", ".join(DelayReason.values)
            }
        if self.is_delayed and not (self.delay_reasons or self.delay_description.strip()):
            errors["delay_description"] = gettext("Prognosen ligger efter måldatum: ange orsaken till förseningen.")
        if self.target_date and self.plan_year and self.target_date < dt.date(self.plan_year, 1, 1):
            errors["target_date"] = gettext("Måldatum ligger före året i verksamhetsplanen.")
        if errors:
            raise ValidationError(errors)
