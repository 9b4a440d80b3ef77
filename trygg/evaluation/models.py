"""Effect evaluations: did the cameras (or another measure) at a site change what happened there?

An evaluation fixes, before the numbers are read, what is compared with what (reference/evaluation.md
§5, point 1): the treated sites, the intervention and its date, the before and after periods, the
control sites, a displacement buffer and the incident kinds. The numbers, method, uncertainty,
verdict and warnings are computed from the incident register each time the evaluation is shown
(`trygg.evaluation.services`), so they follow corrections in the register.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours
from trygg.core.models import AuditedModel
from trygg.core.params import EARLIEST_YEAR, LATEST_YEAR
from trygg.sites.models import Measure, Site


class InterventionKind(ColouredChoices):
    CAMERAS = "cameras", _("Kameror i drift")
    MEASURE = "measure", _("Annan åtgärd")


with_colours(InterventionKind, {InterventionKind.CAMERAS: "blue", InterventionKind.MEASURE: "grey"})


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before, if negative) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Evaluation(AuditedModel):
    """An effektutvärdering: the incidents at one or a group of sites before and after an intervention,
    compared with control sites (Farrington & Welsh's RES, Wheeler & Ratcliffe's WDD; without a control
    only a before/after test that cannot attribute the change)."""

    title = models.CharField(_("rubrik"), max_length=200)
    sites = models.ManyToManyField(
        Site,
        verbose_name=_("utvärderade platser"),
        related_name="evaluations",
        help_text=_("Platsen eller platserna där kamerorna eller åtgärden finns."),
    )
    intervention_kind = models.CharField(
        _("insats"), max_length=20, choices=InterventionKind.choices, default=InterventionKind.CAMERAS
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("åtgärd"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text=_("Den åtgärd som utvärderas, när insatsen är en annan åtgärd än kameror."),
    )
    intervention_on = models.DateField(
        _("insatsens datum"),
        help_text=_("Dagen kamerorna togs i drift eller åtgärden började (ÅÅÅÅ-MM-DD)."),
    )
    before_start = models.DateField(_("föreperioden börjar"), help_text=_("Första dagen i en månad (ÅÅÅÅ-MM-01)."))
    before_months = models.PositiveSmallIntegerField(
        _("föreperiodens längd (månader)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    after_start = models.DateField(_("efterperioden börjar"), help_text=_("Första dagen i en månad (ÅÅÅÅ-MM-01)."))
    after_months = models.PositiveSmallIntegerField(
        _("efterperiodens längd (månader)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    control_sites = models.ManyToManyField(
        Site,
        verbose_name=_("kontrollplatser"),
        related_name="evaluations_as_control",
        blank=True,
        help_text=_(
            "Liknande platser utan kameror under perioden. Utan kontroll kan en förändring inte tillskrivas insatsen."
        ),
    )
    buffer_metres = models.PositiveIntegerField(
        _("buffert för förflyttning (meter)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5000)],
        help_text=_(
            "Händelser på andra platser inom så många meter räknas som möjlig förflyttning. Tomt = ingen buffert."
        ),
    )
    kinds = models.JSONField(_("typer av händelser"), default=list, blank=True, help_text=_("Tomt = alla typer."))
    use_harm_weights = models.BooleanField(
        _("vikta med skadevikter"),
        default=False,
        help_text=_("Visa också skillnaden i viktade händelser (registrets skadevikter)."),
    )
    impact_model = models.TextField(
        _("förväntad effekt"),
        blank=True,
        help_text=_("Vad insatsen förväntas påverka och hur, skrivet innan siffrorna lästs."),
    )

    administration_lookup = "sites__administration"

    class Meta:
        verbose_name = _("effektutvärdering")
        verbose_name_plural = _("effektutvärderingar")
        ordering = ["-intervention_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:detail", args=[self.pk])

    @property
    def before_end(self) -> dt.date:
        """First day after the before period."""
        return add_months(self.before_start, self.before_months)

    @property
    def after_end(self) -> dt.date:
        """First day after the after period."""
        return add_months(self.after_start, self.after_months)

    def clean(self) -> None:
        errors = {}
        for name in ("intervention_on", "before_start", "after_start"):
            value = getattr(self, name)
            # Periods are counted in months from these dates: a year far out overflows the calendar.
            if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                errors[name] = gettext("Ange ett datum mellan år %(first)s och %(last)s.") % {
                    "first": EARLIEST_YEAR,
                    "last": LATEST_YEAR,
                }
        if errors:
            raise ValidationError(errors)
        for name in ("before_start", "after_start"):
            value = getattr(self, name)
            if value and value.day != 1:
                errors[name] = gettext("Perioden ska börja den första dagen i en månad.")
        if self.intervention_kind == InterventionKind.MEASURE and not self.measure_id:
            errors["measure"] = gettext("Välj vilken åtgärd som utvärderas.")
        if self.before_start and self.after_start and self.before_months and not errors:
            if self.before_end > self.after_start:
                errors["after_start"] = gettext("Efterperioden måste börja efter att föreperioden slutat.")
            if self.intervention_on and self.before_end > self.intervention_on:
                errors["before_months"] = gettext("Föreperioden måste sluta innan insatsen börjar.")
            if self.intervention_on and self.after_start < self.intervention_on.replace(day=1):
                errors["after_start"] = gettext("Efterperioden kan inte börja före insatsens månad.")
        if errors:
            raise ValidationError(errors)


# The yearly review lives in its own module (one family per module); imported here so Django finds it.
from trygg.evaluation.programme_models import StoredProgrammeEffect, StoredProgrammeSite  # noqa: E402, F401
from trygg.evaluation.review_models import CameraReview, ReviewOutcome  # noqa: E402, F401
