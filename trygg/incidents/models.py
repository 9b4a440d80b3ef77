"""Incidents at sites: the documented need that a 9 § assessment rests on.

IMY refused most camera applications because crime at the place was not documented, and granted
only the hours in which incidents were documented (reference/legal.md R1.3 and §9). The incident
register is that documentation: damage and incident reports (skadeanmälningar), entered by hand or
imported from the municipality's spreadsheets and systems without retyping.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import AuditedModel
from trygg.incidents.choices import ImportMode, ImportStatus, IncidentKind, SourceKind, TimePrecision
from trygg.incidents.profile import IncidentRow, row_from_parts
from trygg.incidents.ranking import SiteRank
from trygg.sites.models import Site


class IncidentSource(AuditedModel):
    """Where incidents come from besides manual entry: a spreadsheet layout or a named system
    (e.g. the property department's damage-report system). Remembers its column mapping, so the
    next file from the same source needs no new mapping."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ av källa"), max_length=20, choices=SourceKind.choices, default=SourceKind.FILE)
    description = models.TextField(_("beskrivning"), blank=True)
    column_mapping = models.JSONField(
        _("kolumnval"),
        default=dict,
        blank=True,
        help_text=_("Vilken kolumn i filen som ger vilket fält; sparas vid varje import från källan."),
    )

    class Meta:
        verbose_name = _("källa för händelser")
        verbose_name_plural = _("källor för händelser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Incident(AuditedModel):
    """A händelse at a site: vandalism, a break-in, a fire, graffiti, theft, a threat, disorder.

    When it happened is a local wall-clock time (Europe/Stockholm), as reports write it and as
    camera schedules are written: a moment (date and time), a date with unknown time, or a range for
    damage found afterwards ("between Friday 16:00 and Monday 07:00": `until_on`/`until_time`).
    Imported rows carry their source and a stable key, so importing the same file again adds nothing.
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("typ av händelse"), max_length=30, choices=IncidentKind.choices)
    occurred_on = models.DateField(
        _("datum"), help_text=_("Dagen det hände, eller första dagen i ett tidsintervall (ÅÅÅÅ-MM-DD).")
    )
    occurred_time = models.TimeField(
        _("klockslag"), null=True, blank=True, help_text=_("Lämna tomt om klockslaget är okänt.")
    )
    until_on = models.DateField(
        _("till datum"),
        null=True,
        blank=True,
        help_text=_("För skada som upptäckts i efterhand: sista dagen då det kan ha hänt."),
    )
    until_time = models.TimeField(_("till klockslag"), null=True, blank=True)
    place_detail = models.CharField(
        _("var på platsen"),
        max_length=200,
        blank=True,
        help_text=_(
            "Till exempel entré B eller omklädningsrummet; det som stod efter platsens namn i en importerad fil."
        ),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    reported_to_police = models.BooleanField(_("polisanmäld"), default=False)
    police_report_number = models.CharField(
        _("K-nummer"), max_length=40, blank=True, help_text=_("Polisens diarienummer, t.ex. 5000-K123456-24.")
    )
    cost = models.DecimalField(
        _("kostnad (kr)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Kostnad för reparation eller sanering i kronor."),
    )
    source = models.ForeignKey(
        IncidentSource,
        verbose_name=_("källa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text=_("Tom för händelser som registrerats för hand."),
    )
    source_key = models.CharField(_("nyckel i källan"), max_length=64, blank=True, editable=False)
    import_run = models.ForeignKey(
        "ImportRun",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        editable=False,
    )
    reported_by = models.CharField(
        _("rapporterad av"), max_length=200, blank=True, help_text=_("Vem som rapporterade, t.ex. vaktmästaren.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["-occurred_on", "-occurred_time", "-pk"]
        indexes = [
            models.Index(fields=["site", "occurred_on"]),
            models.Index(fields=["occurred_on", "site"]),
            # Re-imports look keys up per source; the unique constraint below is partial, so not always usable.
            models.Index(fields=["source", "source_key"]),
            # First and last incident per source (the evaluations' check for a changed way of recording).
            models.Index(fields=["source", "occurred_on"]),
            # The import flags a K-nummer already in Trygg on another date.
            models.Index(fields=["police_report_number"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~models.Q(source_key=""),
                name="incident_unique_source_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.site}, {self.when_display}"

    def audit_related_object(self) -> Site:
        return self.site

    @property
    def precision(self) -> str:
        if self.until_on:
            return TimePrecision.RANGE
        return TimePrecision.EXACT if self.occurred_time else TimePrecision.DATE

    @property
    def when_display(self) -> str:
        start = f"{self.occurred_on:%Y-%m-%d}" + (f" {self.occurred_time:%H:%M}" if self.occurred_time else "")
        if not self.until_on:
            return start
        end = f"{self.until_on:%Y-%m-%d}" + (f" {self.until_time:%H:%M}" if self.until_time else "")
        return f"{start} – {end}"

    @property
    def source_label(self) -> str:
        return self.source.name if self.source_id else gettext("Registrerad för hand")

    def as_row(self) -> IncidentRow:
        return row_from_parts(
            self.kind, self.occurred_on, self.occurred_time, self.until_on, self.until_time, self.cost
        )

    def clean(self) -> None:
        errors = {}
        if self.until_time and not self.until_on:
            errors["until_on"] = gettext("Ange till vilket datum, när du anger ett till-klockslag.")
        if self.until_on and self.occurred_on:
            start = dt.datetime.combine(self.occurred_on, self.occurred_time or dt.time(0))
            end = dt.datetime.combine(self.until_on, self.until_time or dt.time(23, 59))
            if end <= start:
                errors["until_on"] = gettext("Tiden till måste ligga efter tiden från.")
            elif end - start > dt.timedelta(days=31):
                errors["until_on"] = gettext("Tidsintervallet får vara högst 31 dagar.")
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = gettext("Datumet ligger i framtiden.")
        if errors:
            raise ValidationError(errors)


class HarmWeight(AuditedModel):
    """How much one incident of a kind weighs in the ranking of sites by need (skadevikt).

    A value judgement the municipality makes and may change; kinds without a row use the default
    (`trygg.incidents.ranking.DEFAULT_HARM_WEIGHTS`).
    """

    kind = models.CharField(_("typ av händelse"), max_length=30, choices=IncidentKind.choices, unique=True)
    weight = models.DecimalField(
        _("vikt"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("1 = som ett klotter; 5 = fem gånger så allvarligt."),
    )
    reason = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("skadevikt")
        verbose_name_plural = _("skadevikter")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.weight}"


def import_upload_to(instance: ImportRun, filename: str) -> str:
    return f"incident-imports/{timezone.localdate():%Y/%m}/{filename}"


class ImportRun(models.Model):
    """One file being imported: where it came from, its column mapping, and the progress and result
    of checking and importing it. An operational record (not change-logged field by field); the
    import itself is logged as one named event, `incidents.imported`."""

    source = models.ForeignKey(IncidentSource, verbose_name=_("källa"), on_delete=models.PROTECT, related_name="runs")
    file = models.FileField(_("fil"), upload_to=import_upload_to)
    original_name = models.CharField(_("filnamn"), max_length=255)
    default_site = models.ForeignKey(
        Site, verbose_name=_("plats för hela filen"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("teckenkodning"), max_length=20, blank=True)
    delimiter = models.CharField(_("avgränsare"), max_length=2, blank=True)
    header_row = models.PositiveIntegerField(_("rubrikrad"), default=1)
    headers = models.JSONField(_("kolumner"), default=list)
    mapping = models.JSONField(_("kolumnval"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    mode = models.CharField(_("vad som importeras"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL)
    processed_rows = models.PositiveIntegerField(_("lästa rader"), default=0)
    total_rows = models.PositiveIntegerField(_("rader med data"), default=0)
    empty_rows = models.PositiveIntegerField(_("tomma rader"), default=0)
    valid_rows = models.PositiveIntegerField(_("giltiga rader"), default=0)
    error_rows = models.PositiveIntegerField(_("rader med fel"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("dubbletter i filen"), default=0)
    existing_rows = models.PositiveIntegerField(_("redan importerade"), default=0)
    created_rows = models.PositiveIntegerField(_("nya händelser"), default=0)
    errors = models.JSONField(_("fel (de första)"), default=list)
    notices = models.JSONField(_("noteringar (de första)"), default=list)
    sample = models.JSONField(_("exempel på giltiga rader"), default=list)
    # "text i filen → plats": each distinct place text, the site it names, the detail, or the candidate.
    site_matches = models.JSONField(_("platser i filen"), default=list)
    # The place texts the user confirmed for this run: normalised text → site id.
    site_choices = models.JSONField(_("bekräftade platser"), default=dict)
    other_source_rows = models.PositiveIntegerField(_("finns redan från en annan källa"), default=0)
    failure = models.TextField(_("fel i filen"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uppladdad av"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    checked_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    started_at = models.DateTimeField(_("import påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    # Set by every progress write of a pass: a pass that has not moved for TRYGG_JOB_STALE_MINUTES was
    # stopped from outside (a killed worker or web process) and is undone (`trygg.incidents.recovery`).
    progress_at = models.DateTimeField(_("senaste framsteg"), null=True, blank=True)

    class Meta:
        verbose_name = _("import av händelser")
        verbose_name_plural = _("importer av händelser")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.source}, {self.created_at:%Y-%m-%d %H:%M})"

    def audit_related_object(self) -> IncidentSource:
        return self.source


#
# Stored counts and rankings (issue 15): what the need pages read instead of every incident. Kept in
# step by `trygg.incidents.stored` whenever an incident is added, changed, deleted, imported or an
# import is undone; `trygg recompute_incident_counts` rebuilds them from the incidents.
#


class IncidentMonthCount(models.Model):
    """A site's incidents of one kind in one calendar month: how many, their cost, how many had one.

    Stored, never entered: `trygg.incidents.counts` says what each incident adds.
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("månad"), help_text=_("Månadens första dag."))
    kind = models.CharField(_("typ av händelse"), max_length=30, choices=IncidentKind.choices)
    count = models.IntegerField(_("antal"), default=0)
    cost_ore = models.BigIntegerField(_("kostnad (öre)"), default=0)
    with_cost = models.IntegerField(_("antal med kostnad"), default=0)

    class Meta:
        verbose_name = _("antal händelser per månad")
        verbose_name_plural = _("antal händelser per månad")
        constraints = [
            models.UniqueConstraint(fields=["site", "month", "kind"], name="incident_month_count_unique"),
        ]
        indexes = [models.Index(fields=["month", "site"])]

    def __str__(self) -> str:
        return f"{self.site_id} {self.month:%Y-%m} {self.kind}: {self.count}"


class IncidentWeekCount(models.Model):
    """A site's incidents with a time (or a date only) in one hour of the week, for the heat map.

    `hour` is 0–23, or −1 for the incidents of that weekday with a date and no time.
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="+")
    weekday = models.SmallIntegerField(_("veckodag"), help_text=_("0 = måndag … 6 = söndag."))
    hour = models.SmallIntegerField(_("timme"), help_text=_("0–23, eller −1 för datum utan klockslag."))
    count = models.IntegerField(_("antal"), default=0)

    class Meta:
        verbose_name = _("antal händelser per veckotimme")
        verbose_name_plural = _("antal händelser per veckotimme")
        constraints = [
            models.UniqueConstraint(fields=["site", "weekday", "hour"], name="incident_week_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.weekday}:{self.hour}: {self.count}"


class IncidentRangeCount(models.Model):
    """A site's incidents known only as a time range, counted per distinct start and end.

    Times are seconds of the day, −1 when not given (the range then runs to the end of `until_on`).
    """

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField(_("datum"))
    start_second = models.IntegerField(_("klockslag (sekund på dygnet)"))
    until_on = models.DateField(_("till datum"))
    until_second = models.IntegerField(_("till klockslag (sekund på dygnet)"))
    count = models.IntegerField(_("antal"), default=0)

    class Meta:
        verbose_name = _("antal händelser per tidsintervall")
        verbose_name_plural = _("antal händelser per tidsintervall")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "occurred_on", "start_second", "until_on", "until_second"],
                name="incident_range_count_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.occurred_on} – {self.until_on}: {self.count}"


class IncidentCountsVersion(models.Model):
    """One row whose number goes up with every change to the stored counts or to the set of sites.

    A stored ranking is served only while the number it was computed at is still current.
    """

    version = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("version av händelseräkningen")
        verbose_name_plural = _("version av händelseräkningen")

    def __str__(self) -> str:
        return str(self.version)


class StoredRanking(models.Model):
    """The ranking of every site by need for one choice of settings, as computed at `version`.

    `settings_key` is the settings as canonical JSON (date, years, half-life, harm weights, level).
    The sites' rows are `StoredRank`; `years` every year that has incidents in some site's row.
    """

    settings_key = models.CharField(_("inställningar"), max_length=1000, unique=True)
    version = models.BigIntegerField(_("version"))
    computed_at = models.DateTimeField(_("beräknad"))
    prior_shape = models.FloatField(_("a priori-fördelningens form (α)"))
    prior_rate = models.FloatField(_("a priori-fördelningens kvot (β)"))
    prior_mean = models.FloatField(_("snittet för alla platser"))
    prior_phi = models.FloatField(_("spridningsfaktor (φ)"))
    years = models.JSONField(_("år med händelser"), default=list)

    class Meta:
        verbose_name = _("sparad rangordning")
        verbose_name_plural = _("sparade rangordningar")

    def __str__(self) -> str:
        return f"{self.settings_key} @ {self.version}"


class StoredRank(models.Model):
    """One site's place in a `StoredRanking` (the fields of `trygg.incidents.ranking.SiteRank`)."""

    ranking = models.ForeignKey(
        StoredRanking, verbose_name=_("sparad rangordning"), on_delete=models.CASCADE, related_name="ranks"
    )
    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="+")
    rank = models.IntegerField(_("plats i ordningen"))
    rank_best = models.IntegerField(_("bästa rimliga plats"))
    rank_worst = models.IntegerField(_("sämsta rimliga plats"))
    count = models.IntegerField(_("antal"))
    weighted = models.FloatField(_("viktade händelser"))
    exposure = models.FloatField(_("viktade år"))
    raw_rate = models.FloatField(_("egen takt per år"))
    rate = models.FloatField(_("uppskattad takt per år"))
    low = models.FloatField(_("intervallets nedre gräns"))
    high = models.FloatField(_("intervallets övre gräns"))
    weight_on_own_data = models.FloatField(_("vikt på egna data"))
    # Kronor as the ranking gives them ("1250.50", "0"), kept as text so they read back unchanged.
    cost = models.CharField(_("kostnad (kr)"), max_length=40)
    cost_per_year = models.CharField(_("kostnad per år (kr)"), max_length=40)
    per_year = models.JSONField(_("händelser per år"), default=dict)
    small_numbers = models.BooleanField(_("få händelser"), default=False)

    class Meta:
        verbose_name = _("sparad plats i rangordning")
        verbose_name_plural = _("sparade platser i rangordning")
        constraints = [models.UniqueConstraint(fields=["ranking", "rank"], name="stored_rank_unique")]

    def __str__(self) -> str:
        return f"{self.rank}: {self.site_id}"

    def as_site_rank(self) -> SiteRank:
        """The row as the ranking computed it (`trygg.incidents.ranking.SiteRank`)."""
        return SiteRank(
            site=self.site_id,
            rank=self.rank,
            rank_best=self.rank_best,
            rank_worst=self.rank_worst,
            count=self.count,
            weighted=self.weighted,
            exposure=self.exposure,
            raw_rate=self.raw_rate,
            rate=self.rate,
            low=self.low,
            high=self.high,
            weight_on_own_data=self.weight_on_own_data,
            cost=Decimal(self.cost),
            cost_per_year=Decimal(self.cost_per_year),
            per_year={int(year): n for year, n in sorted(self.per_year.items(), key=lambda item: int(item[0]))},
            small_numbers=self.small_numbers,
        )
