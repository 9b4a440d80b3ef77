"""The places that need safety, what they are made of, what has been tried there, and the dialogue.

This is the "need" end of the chain in DESIGN.md: a site with its zones, the measures tried before
cameras (proportionality, 8 § kamerabevakningslagen), and the notes of the dialogue with the
administration that runs the place.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.geojson import validate_polygon
from trygg.core.models import Administration, AuditedModel, PositionMixin
from trygg.geo.validation import LINEAR, POLYGONAL
from trygg.sites.choices import (
    LINE_ZONE_KINDS,
    OBSTACLE_ZONE_KINDS,
    SCHOOL_KINDS,
    AreaKind,
    MeasureEffect,
    MeasureKind,
    SiteKind,
    Vulnerability,
    ZoneKind,
    ZoneRule,
)
from trygg.sites.geometry import check_point, is_line, normalise_on_site, validate_zone_geometry


class Site(AuditedModel, PositionMixin):
    """A plats or objekt: a school, a square, a municipal building where cameras may be needed."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ av plats"), max_length=30, choices=SiteKind.choices)
    administration = models.ForeignKey(
        Administration,
        verbose_name=_("förvaltning"),
        on_delete=models.PROTECT,
        related_name="sites",
        help_text=_("Förvaltningen som driver verksamheten på platsen."),
    )
    address = models.CharField(_("adress"), max_length=300, blank=True)
    outline = models.JSONField(
        _("avgränsning"),
        null=True,
        blank=True,
        validators=[validate_polygon],
        help_text=_("Platsens gräns som GeoJSON-polygon i WGS 84 (valfri)."),
    )
    area_kind = models.CharField(_("områdestyp"), max_length=20, choices=AreaKind.choices, default=AreaKind.URBAN)
    vulnerability = models.CharField(
        _("utsatthet"), max_length=30, choices=Vulnerability.choices, default=Vulnerability.NOT_ASSESSED
    )
    vulnerability_reason = models.TextField(_("skäl för bedömningen av utsatthet"), blank=True)
    position_is_approximate = models.BooleanField(
        _("ungefärligt läge"), default=False, help_text=_("Markera när läget bara är ungefärligt (t.ex. i demodata).")
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    administration_lookup = "administration"

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    def clean(self) -> None:
        if self.vulnerability != Vulnerability.NOT_ASSESSED and not self.vulnerability_reason.strip():
            raise ValidationError(
                {"vulnerability_reason": gettext("Ange skälet när platsen bedöms som utsatt eller potentiellt utsatt.")}
            )
        self._clean_place()

    def _clean_place(self) -> None:
        """The position inside the municipality's area, the outline near the position (km named if not)."""
        in_range = all(
            isinstance(value, float | int) and low <= value <= high
            for value, (low, high) in ((self.longitude, (10.0, 25.0)), (self.latitude, (55.0, 69.5)))
        )
        if not in_range:
            return  # The field validators name a position outside Sweden.
        check_point(self.longitude, self.latitude, field="longitude")
        if self.outline:
            stored = normalise_on_site(self.outline, self, field="outline")
            if stored is not None:
                self.outline = stored


class Building(AuditedModel):
    """A building footprint near a site; cameras cannot see through it (occlusion in coverage)."""

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("namn"), max_length=200, blank=True)
    geometry = models.JSONField(
        _("fotavtryck"),
        validators=[validate_polygon],
        help_text=_("Byggnadens fotavtryck som GeoJSON-polygon i WGS 84."),
    )
    source = models.CharField(
        _("källa"),
        max_length=100,
        blank=True,
        help_text=_("T.ex. kommunens baskarta, OpenStreetMap eller ritad för hand."),
    )
    source_id = models.CharField(
        _("id i källan"),
        max_length=100,
        blank=True,
        help_text=_("Gör att en ny import uppdaterar i stället för att dubblera."),
    )

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("byggnad")
        verbose_name_plural = _("byggnader")
        ordering = ["site", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.site} – {self.name or gettext('byggnad')}"

    def audit_related_object(self) -> Site:
        return self.site

    def clean(self) -> None:
        if self.site_id and self.geometry:
            stored = normalise_on_site(self.geometry, self.site, field="geometry")
            if stored is not None:
                self.geometry = stored


class Zone(AuditedModel):
    """An område on a site (building, facade strip, schoolyard …) with a rule for whether it may be filmed."""

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av område"), max_length=30, choices=ZoneKind.choices)
    rule = models.CharField(_("regel för bevakning"), max_length=30, choices=ZoneRule.choices)
    geometry = models.JSONField(
        _("yta"),
        validators=[validate_zone_geometry],
        help_text=_(
            "Områdets yta som GeoJSON-polygon i WGS 84. En mur eller ett staket/plank får ritas som en linje "
            "(LineString)."
        ),
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="zone_name_unique_per_site")]

    def __str__(self) -> str:
        return f"{self.site} – {self.name}"

    def audit_related_object(self) -> Site:
        return self.site

    @property
    def is_line(self) -> bool:
        """Whether the zone is drawn as a line (a wall or fence), not as an area."""
        return is_line(self.geometry)

    @property
    def blocks_view(self) -> bool:
        """Whether cameras cannot see through the zone (a building, wall or fence)."""
        return self.kind in OBSTACLE_ZONE_KINDS

    def clean(self) -> None:
        if self.is_line and self.kind not in LINE_ZONE_KINDS:
            raise ValidationError(
                {
                    "geometry": gettext(
                        "Bara en mur eller ett staket/plank kan ritas som en linje. Rita området som en yta "
                        "med polygonverktyget, eller välj typen mur eller staket/plank."
                    )
                }
            )
        if self.site_id and self.geometry:
            stored = normalise_on_site(self.geometry, self.site, field="geometry", allowed=POLYGONAL | LINEAR)
            if stored is not None:
                self.geometry = stored


class Measure(AuditedModel):
    """An övrig åtgärd tried at a site before cameras, with its assessed effect (8 § kamerabevakningslagen)."""

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("åtgärd"), max_length=30, choices=MeasureKind.choices)
    description = models.TextField(_("beskrivning"), blank=True)
    started_on = models.DateField(_("från"))
    ended_on = models.DateField(_("till"), null=True, blank=True)
    effect = models.CharField(
        _("bedömd effekt"), max_length=20, choices=MeasureEffect.choices, default=MeasureEffect.NOT_ASSESSED
    )
    effect_notes = models.TextField(_("motivering av effekten"), blank=True)

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("övriga åtgärder")
        ordering = ["site", "-started_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.site}, {self.started_on:%Y-%m-%d})"

    def audit_related_object(self) -> Site:
        return self.site

    def clean(self) -> None:
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = gettext("Slutdatum kan inte vara före startdatum.")
        if self.effect != MeasureEffect.NOT_ASSESSED and not self.effect_notes.strip():
            errors["effect_notes"] = gettext("Motivera bedömningen av effekten.")
        if errors:
            raise ValidationError(errors)


class DialogueNote(AuditedModel):
    """A note from the dialogue with the administration about a site or a project: when, with whom, what."""

    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.CASCADE, related_name="dialogue_notes")
    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("projektering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_notes",
    )
    held_on = models.DateField(_("datum"))
    with_whom = models.CharField(_("med vem"), max_length=300)
    summary = models.TextField(_("vad som sades eller överenskoms"))
    concerns_year = models.PositiveSmallIntegerField(
        _("gäller år"), null=True, blank=True, help_text=_("Det år dialogen gäller, t.ex. 2025 (valfritt).")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("antecknad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("dialoganteckning")
        verbose_name_plural = _("dialoganteckningar")
        ordering = ["site", "-held_on"]

    def __str__(self) -> str:
        return f"{self.site}, {self.held_on:%Y-%m-%d}: {self.with_whom}"

    def audit_related_object(self) -> Site:
        return self.site

    def clean(self) -> None:
        if self.project_id and self.site_id and self.project.site_id != self.site_id:
            raise ValidationError({"project": gettext("Projekteringen hör till en annan plats.")})
