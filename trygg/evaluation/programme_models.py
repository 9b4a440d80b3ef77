"""The programme evaluation as last computed, stored so the programme page need not compute it (issue 15).

`StoredProgrammeEffect` is the pooled headline with when it was computed, the day it was computed for
and what the register looked like then (`stamp`); `StoredProgrammeSite` is one row of the per-site
table, in the order `trygg.evaluation.programme.evaluate_programme` gives. Both are written and read
by `trygg.evaluation.programme_store` only; one result is kept, the newest.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.sites.models import Site


class StoredProgrammeEffect(models.Model):
    computed_at = models.DateTimeField(_("beräknad"))
    as_of = models.DateField(_("beräknad per"))
    # The first day after the last whole month of the register that the result counts.
    data_until = models.DateField(_("händelser till och med"))
    # The incident counts' version and the last change in the change log when the computation began.
    stamp = models.CharField(_("registrets läge"), max_length=100)
    # Every site that has had cameras in operation (paused or removed since included: its after period ran).
    sites_total = models.PositiveIntegerField(_("platser som har haft kameror i drift"))
    sites_included = models.PositiveIntegerField(_("platser i sammanvägningen"))
    # Left out for their after period: still running, or ended but not yet in the register (`sites_register_behind`).
    sites_waiting = models.PositiveIntegerField(_("platser som väntar på efterperioden"))
    sites_register_behind = models.PositiveIntegerField(
        _("platser vars efterperiod har slutat men inte finns i händelseregistret ännu"), default=0
    )
    # JSON (NaN kept as NaN, which a JSON column would refuse): pooled, percent, avoided, cost, texts.
    headline = models.TextField(_("sammanvägt resultat"))

    class Meta:
        verbose_name = _("sparad effekt för programmet")
        verbose_name_plural = _("sparade effekter för programmet")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def data_last_day(self) -> dt.date:
        """The last day of the register's last whole month that the result counts."""
        return self.data_until - dt.timedelta(days=1)

    @property
    def sites_running(self) -> int:
        """Sites whose after period is still running."""
        return self.sites_waiting - self.sites_register_behind

    @property
    def sites_other(self) -> int:
        """Sites left out for another reason than a running after period (no incidents before, no control)."""
        return self.sites_total - self.sites_included - self.sites_waiting


class StoredProgrammeSite(models.Model):
    effect = models.ForeignKey(StoredProgrammeEffect, on_delete=models.CASCADE, related_name="site_rows")
    position = models.PositiveIntegerField(_("ordning"))
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("plats"))
    row = models.TextField(_("platsens resultat"))  # JSON, see `programme_store`

    class Meta:
        verbose_name = _("sparad plats i programmets effekt")
        verbose_name_plural = _("sparade platser i programmets effekt")
        ordering = ["effect", "position"]
        constraints = [models.UniqueConstraint(fields=["effect", "position"], name="stored_programme_site_position")]

    def __str__(self) -> str:
        return f"{self.effect} #{self.position}"
