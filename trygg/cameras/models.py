"""Cameras and the dated rows of their life cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from trygg.cameras import schedule as schedules
from trygg.cameras.choices import CameraType, Exemption, LifecycleState, Mount, PrivacyMasking, ScheduleTemplate
from trygg.core.geojson import validate_finite, validate_polygon
from trygg.core.models import AuditedModel, PositionMixin
from trygg.sites.models import Site

# Cameras whose exact position and direction are published as open data (OpenStreetMap) while their
# surveillance is ongoing: the municipality chose it, and the placement is not secret (OSL 18 kap. 8 §).
POSITION_PUBLISHED = models.Q(publish_osm=True, secret_placement=False)


class Camera(AuditedModel, PositionMixin):
    """A trygghetskamera: where it hangs, where it looks, what it records and when.

    The life-cycle `state` is changed only through `trygg.cameras.services.move`, which also writes
    the dated `CameraTransition` row the indicator counts.
    """

    identifier = models.CharField(
        _("beteckning"), max_length=50, unique=True, help_text=_("Kommunens beteckning, t.ex. KVI-01.")
    )
    site = models.ForeignKey(Site, verbose_name=_("plats"), on_delete=models.PROTECT, related_name="cameras")
    project = models.ForeignKey(
        "programme.Project",
        verbose_name=_("projektering"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cameras",
    )
    state = models.CharField(
        _("status"), max_length=20, choices=LifecycleState.choices, default=LifecycleState.PLANNED, editable=False
    )
    mount = models.CharField(_("montering"), max_length=20, choices=Mount.choices)
    mount_height_m = models.FloatField(
        _("monteringshöjd (m)"), validators=[MinValueValidator(0.0), MaxValueValidator(100.0)]
    )
    bearing_deg = models.FloatField(
        _("riktning (grader)"),
        validators=[validate_finite, MinValueValidator(0.0), MaxValueValidator(359.999)],
        help_text=_("Grader medurs från geografisk nord, som OpenStreetMaps camera:direction (0 = norr, 90 = öster)."),
    )
    pan_range = models.CharField(
        _("vridområde"),
        max_length=20,
        blank=True,
        help_text=_("För dom- och PTZ-kameror: grader som kameran kan vridas, t.ex. 90-270 eller 0-360."),
    )
    tilt_deg = models.FloatField(
        _("lutning nedåt (grader)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(90.0)],
    )
    hfov_deg = models.FloatField(
        _("horisontell bildvinkel (grader)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0), MaxValueValidator(360.0)],
        help_text=_("Enligt databladet. Lämna tomt om brännvidd och sensorbredd anges i stället."),
    )
    focal_length_mm = models.FloatField(
        _("brännvidd (mm)"), null=True, blank=True, validators=[MinValueValidator(0.5), MaxValueValidator(500.0)]
    )
    sensor_width_mm = models.FloatField(
        _("sensorbredd (mm)"), null=True, blank=True, validators=[MinValueValidator(0.5), MaxValueValidator(50.0)]
    )
    resolution_width_px = models.PositiveIntegerField(_("upplösning, bredd (px)"), default=1920)
    resolution_height_px = models.PositiveIntegerField(_("upplösning, höjd (px)"), default=1080)
    range_m = models.FloatField(
        _("räckvidd (m)"),
        null=True,
        blank=True,
        validators=[validate_finite, MinValueValidator(1.0), MaxValueValidator(1000.0)],
        help_text=_("Längsta avstånd som täckningen ritas till. Tomt: avståndet för igenkänning räknas fram."),
    )
    camera_type = models.CharField(_("kameratyp"), max_length=20, choices=CameraType.choices)
    is_indoor = models.BooleanField(_("inomhus"), default=False)
    records_sound = models.BooleanField(_("spelar in ljud"), default=False)
    uses_anpr = models.BooleanField(_("registreringsskyltsläsning (ANPR)"), default=False)
    uses_analytics = models.BooleanField(_("rörelse- eller beteendeanalys"), default=False)
    uses_face_recognition = models.BooleanField(_("ansiktsigenkänning"), default=False)
    is_ptz = models.BooleanField(_("styrbar (PTZ)"), default=False)
    schedule_template = models.CharField(
        _("bevakningstider"), max_length=30, choices=ScheduleTemplate.choices, default=ScheduleTemplate.ALWAYS
    )
    schedule_rules = models.JSONField(
        _("egna bevakningstider"),
        default=list,
        blank=True,
        help_text=_('Veckoregler, t.ex. [{"days": [0,1,2,3,4], "start": "20:00", "end": "06:00"}] (0 = måndag).'),
    )
    schedule_deviation_reason = models.TextField(
        _("skäl för avvikelse från IMY:s tider"),
        blank=True,
        help_text=_("Krävs för skolkameror som bevakar utanför IMY:s tider för skolfasader."),
    )
    retention_hours = models.PositiveIntegerField(
        _("lagringstid (timmar)"),
        default=72,
        validators=[MinValueValidator(1)],
        help_text=_("72 timmar är IMY:s tumregel. Längre tid kräver motivering."),
    )
    retention_justification = models.TextField(_("motivering av lagringstiden"), blank=True)
    purpose = models.TextField(
        _("ändamål"),
        blank=True,
        help_text=_("Varför platsen bevakas, t.ex. att förebygga och utreda skadegörelse på skolbyggnaden."),
    )
    public_access = models.BooleanField(
        _("plats dit allmänheten har tillträde"),
        default=True,
        help_text=_("T.ex. gata, torg, skolgård och skolans fasad; inte klassrum, korridorer eller tak."),
    )
    identifies_persons = models.BooleanField(
        _("kan identifiera personer"),
        default=True,
        help_text=_(
            "Nej endast om utrustningen inte kan identifiera någon, t.ex. ren värmebild. Dataskyddsombudet bekräftar."
        ),
    )
    privacy_masking = models.CharField(
        _("integritetsskydd i bilden"), max_length=20, choices=PrivacyMasking.choices, default=PrivacyMasking.NONE
    )
    covers_toilet_or_changing_room = models.BooleanField(_("täcker toalett eller omklädningsrum"), default=False)
    captures_staff_workplace = models.BooleanField(
        _("bevakar personalens arbetsplats"),
        default=False,
        help_text=_("Kräver MBL-förhandling (21 § kamerabevakningslagen)."),
    )
    serious_incident_basis = models.TextField(
        _("allvarligt skäl för bevakning inomhus under skoltid"),
        blank=True,
        help_text=_("T.ex. upprepade anlagda bränder; bevakningen begränsas till platsen för händelserna."),
    )
    exemption = models.CharField(_("undantag enligt 11–13 §§"), max_length=30, choices=Exemption.choices, blank=True)
    source = models.CharField(
        _("importerad från"), max_length=30, blank=True, editable=False, help_text=_("T.ex. openstreetmap.")
    )
    source_id = models.CharField(
        _("id i källan"), max_length=100, blank=True, editable=False, help_text=_("T.ex. node/123 i OpenStreetMap.")
    )
    exemption_justification = models.TextField(_("motivering av undantaget"), blank=True)
    coverage_description = models.TextField(
        _("vad kameran täcker"), blank=True, help_text=_("Med ord, t.ex. fasad mot norr och 2 m ut, ej skolgården.")
    )
    secret_placement = models.BooleanField(
        _("placeringen kan omfattas av sekretess"),
        default=False,
        help_text=_("OSL 18 kap. 8 §: visa aldrig placeringen offentligt."),
    )
    publish_osm = models.BooleanField(
        _("publicera i OpenStreetMap"),
        default=False,
        help_text=_(
            "Kommunen väljer att kamerans exakta placering och riktning får publiceras som öppna data med "
            "OpenStreetMaps taggar. Aldrig för en kamera vars placering kan omfattas av sekretess."
        ),
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    # Computed by trygg.cameras.coverage from position, bearing, lens, range, schedule, the site's
    # zones and buildings; never edited by hand.
    # The computed geometry fields: lists that show no map defer them (`QuerySet.defer`).
    GEOMETRY_FIELDS = ("coverage", "visible_coverage", "intrusions", "zones_seen", "privacy_mask")
    coverage = models.JSONField(_("täckning (sektor)"), null=True, blank=True, editable=False)
    visible_coverage = models.JSONField(_("synlig täckning"), null=True, blank=True, editable=False)
    coverage_area_m2 = models.FloatField(_("täckningens yta (m²)"), null=True, blank=True, editable=False)
    visible_area_m2 = models.FloatField(_("synlig yta (m²)"), null=True, blank=True, editable=False)
    intrusions = models.JSONField(_("intrång i skyddade områden"), default=list, blank=True, editable=False)
    zones_seen = models.JSONField(_("områden som kameran ser"), default=list, blank=True, editable=False)
    privacy_mask = models.JSONField(_("yta som måste maskeras"), null=True, blank=True, editable=False)
    # Indexed: the newest is part of the exports' data stamp (trygg.core.export_cache).
    coverage_computed_at = models.DateTimeField(
        _("täckningen beräknad"), null=True, blank=True, editable=False, db_index=True
    )
    bbox_west = models.FloatField(null=True, blank=True, editable=False)
    bbox_south = models.FloatField(null=True, blank=True, editable=False)
    bbox_east = models.FloatField(null=True, blank=True, editable=False)
    bbox_north = models.FloatField(null=True, blank=True, editable=False)

    # Computed fields stay out of the change log's diff; they follow from the logged inputs.
    audit_exclude = (
        "created_at",
        "updated_at",
        "coverage",
        "visible_coverage",
        "coverage_area_m2",
        "visible_area_m2",
        "intrusions",
        "zones_seen",
        "privacy_mask",
        "coverage_computed_at",
        "bbox_west",
        "bbox_south",
        "bbox_east",
        "bbox_north",
    )
    administration_lookup = "site__administration"

    class Meta:
        verbose_name = _("kamera")
        verbose_name_plural = _("kameror")
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="camera_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.identifier

    def audit_related_object(self) -> Site:
        return self.site

    @property
    def position_published(self) -> bool:
        """Whether the open data shows where the camera hangs while it is ongoing (see POSITION_PUBLISHED)."""
        return self.publish_osm and not self.secret_placement

    def get_schedule(self) -> schedules.Schedule:
        if self.schedule_template == ScheduleTemplate.CUSTOM:
            return schedules.parse_rules(self.schedule_rules or [])
        return schedules.TEMPLATES[self.schedule_template]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        has_lens = self.focal_length_mm is not None and self.sensor_width_mm is not None
        if self.hfov_deg is None and not has_lens:
            errors["hfov_deg"] = gettext(
                "Ange bildvinkeln, eller både brännvidd och sensorbredd så att vinkeln kan räknas fram."
            )
        if (self.focal_length_mm is None) != (self.sensor_width_mm is None) and self.hfov_deg is None:
            errors["sensor_width_mm"] = gettext("Brännvidd och sensorbredd behövs båda.")
        if self.schedule_template == ScheduleTemplate.CUSTOM:
            try:
                schedule = schedules.parse_rules(self.schedule_rules or [])
            except (KeyError, TypeError, ValueError):
                errors["schedule_rules"] = gettext(
                    "Egna bevakningstider ska vara veckoregler som "
                    '[{"days": [0, 1], "start": "20:00", "end": "06:00"}].'
                )
            else:
                if not schedule.rules:
                    errors["schedule_rules"] = gettext("Egna bevakningstider valdes men inga regler är angivna.")
        if self.pan_range:
            parts = self.pan_range.replace("–", "-").split("-")
            try:
                if len(parts) != 2 or not all(0 <= float(p) <= 360 for p in parts):
                    raise ValueError
            except ValueError:
                errors["pan_range"] = gettext("Vridområdet anges som två gradtal, t.ex. 90-270.")
        if self.publish_osm and self.secret_placement:
            # OSL 18 kap. 8 §: a secret placement is never published, whatever else is chosen.
            errors["publish_osm"] = gettext(
                "En kamera vars placering kan omfattas av sekretess kan inte publiceras i OpenStreetMap. "
                "Ta bort valet ”publicera i OpenStreetMap” eller markeringen om sekretess."
            )
        if self.site_id and self.project_id and self.project.site_id != self.site_id:
            errors["project"] = gettext("Projekteringen gäller en annan plats än kamerans.")
        errors.update(self._place_errors())
        if errors:
            raise ValidationError(errors)
        from trygg.cameras.hooks import change_checks

        stored = Camera.objects.filter(pk=self.pk).first() if self.pk else None
        found: dict[str, list[str]] = {}
        for check in change_checks:
            for field, messages in check(stored, self).items():
                found.setdefault(field, []).extend(messages)
        if found:
            raise ValidationError(found)

    def _place_errors(self) -> dict[str, str]:
        """The position near the site and in the municipality (swapped axes and distances named)."""
        from trygg.sites.geometry import check_point

        in_range = all(
            isinstance(value, float | int) and low <= value <= high
            for value, (low, high) in ((self.longitude, (10.0, 25.0)), (self.latitude, (55.0, 69.5)))
        )
        if not self.site_id or not in_range:
            return {}  # The field validators name a position outside Sweden.
        try:
            check_point(self.longitude, self.latitude, field="longitude", site=self.site)
        except ValidationError as error:
            return {field: " ".join(messages) for field, messages in error.message_dict.items()}
        return {}


class CameraTransition(AuditedModel):
    """One dated move in a camera's life cycle; the rows are the history the indicator counts."""

    camera = models.ForeignKey(Camera, verbose_name=_("kamera"), on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("från"), max_length=20, choices=LifecycleState.choices, blank=True)
    to_state = models.CharField(_("till"), max_length=20, choices=LifecycleState.choices)
    occurred_on = models.DateField(_("datum"))
    sequence = models.PositiveIntegerField(_("ordning"), default=0, help_text=_("Ordning mellan flyttar samma dag."))
    note = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    administration_lookup = "camera__site__administration"

    class Meta:
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")
        ordering = ["camera", "occurred_on", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["camera", "sequence"], name="transition_sequence_unique_per_camera")
        ]
        indexes = [models.Index(fields=["camera", "occurred_on", "sequence"])]

    def __str__(self) -> str:
        return f"{self.camera}: {self.get_to_state_display()} {self.occurred_on:%Y-%m-%d}"

    def audit_related_object(self) -> Camera:
        return self.camera


class PrivacyMask(AuditedModel):
    """A maskering set up in the camera so that its picture hides what it must not show.

    Recorded when the officer has checked the camera's own picture: the masked area on the map
    (GeoJSON in WGS 84, by default the camera's computed `privacy_mask`), the date it was confirmed
    and by whom, and at least one image of the camera's picture with the mask in place (an
    `Attachment` of kind camera_image). The latest record confirmed by a date is the camera's mask
    on that date; the rules engine (KBL-9-ZONE-INTRUSION; 8–9 §§ kamerabevakningslagen, art. 5.1 c
    dataskyddsförordningen) counts it only if it covers what the camera's view reaches into.
    """

    camera = models.ForeignKey(Camera, verbose_name=_("kamera"), on_delete=models.CASCADE, related_name="privacy_masks")
    area = models.JSONField(
        _("maskerad yta"),
        validators=[validate_polygon],
        help_text=_(
            "Ytan som kameran maskerar, som GeoJSON-polygon i WGS 84. Förifylld med den yta kameran ser av "
            "områden som inte får bevakas."
        ),
    )
    area_m2 = models.FloatField(_("maskerad yta (m²)"), default=0.0, editable=False)
    confirmed_on = models.DateField(
        _("kontrollerad i kamerans bild"),
        help_text=_("Datum då maskeringen kontrollerades i kamerans egen bild."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontrollerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied so the record still names the person after the account is removed.
    confirmed_by_name = models.CharField(_("kontrollerad av (namn)"), max_length=150, blank=True)
    note = models.TextField(
        _("kommentar"),
        blank=True,
        help_text=_("T.ex. vilka delar av bilden som maskeras och i vilket program maskeringen är inställd."),
    )

    administration_lookup = "camera__site__administration"

    class Meta:
        verbose_name = _("maskering")
        verbose_name_plural = _("maskeringar")
        ordering = ["camera", "-confirmed_on", "-pk"]

    def __str__(self) -> str:
        return gettext("Maskering för %(camera)s, %(date)s") % {
            "camera": self.camera,
            "date": self.confirmed_on.isoformat() if self.confirmed_on else "–",
        }

    def audit_related_object(self) -> Camera:
        return self.camera

    def clean(self) -> None:
        from django.utils import timezone

        if self.confirmed_on and self.confirmed_on > timezone.localdate():
            raise ValidationError(
                {"confirmed_on": gettext("Fältet ”kontrollerad i kamerans bild” kan inte vara ett datum i framtiden.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        from trygg.geo.crs import SWEREF99_TM, WGS84, reproject

        self.area_m2 = round(reproject(shape(self.area), WGS84, SWEREF99_TM).area, 1) if self.area else 0.0
        super().save(*args, **kwargs)
