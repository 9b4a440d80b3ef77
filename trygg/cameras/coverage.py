"""What each camera sees: the Django side of `trygg.geo`.

A camera's coverage sector, what is left of it once the site's buildings block the view, and how
much of the site's forbidden zones it sees are computed by the pure package `trygg.geo` and stored
on the camera. They are recomputed whenever the camera or its site's zones or buildings change
(signals below), and for a whole municipality with `trygg compute_coverage`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from shapely.geometry import shape

from trygg.cameras import hooks
from trygg.cameras.models import Camera
from trygg.cameras.schedule import SCHOOL_HOURS
from trygg.geo import GeoInputError
from trygg.geo.batch import BatchResult, BuildingFootprint, CameraInput, compute_batch
from trygg.geo.coverage import CameraPlacement, CameraType, PanRange
from trygg.geo.crs import SWEREF99_TM, WGS84, reproject, to_geojson
from trygg.geo.intrusion import ZoneInput, ZoneRule, zone_overlaps
from trygg.geo.optics import CameraOptics
from trygg.sites.models import Building, Zone

logger = logging.getLogger("trygg.coverage")

# Without a stated range the coverage reaches as far as the camera can detect a person
# (IEC 62676-4 "detect", 25 px/m): the widest reach that still matters for privacy.
DEFAULT_LEVEL = "detect"
MAX_DEFAULT_RANGE_M = 100.0

COMPUTED_FIELDS = [
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
]
# Fields that do not change what a camera sees; saving only these does not recompute.
NOT_GEOMETRY = {"state", "updated_at", "notes", *COMPUTED_FIELDS}
# The inputs of `camera_input`: a camera whose values of these are equal sees the same.
VIEW_FIELDS = (
    "site_id",
    "longitude",
    "latitude",
    "bearing_deg",
    "pan_range",
    "camera_type",
    "mount_height_m",
    "tilt_deg",
    "hfov_deg",
    "focal_length_mm",
    "sensor_width_mm",
    "resolution_width_px",
    "resolution_height_px",
    "range_m",
    "schedule_template",
    "schedule_rules",
)

_CAMERA_TYPES = {
    "fixed": CameraType.FIXED,
    "thermal": CameraType.FIXED,
    "dome": CameraType.DOME,
    "ptz": CameraType.PANNING,
}


def pan_range(text: str) -> PanRange | None:
    """'90-270' as a PanRange; blank means the camera does not turn."""
    if not text:
        return None
    start, end = (float(part) for part in text.replace("–", "-").split("-"))
    return PanRange(start, end)


def optics_of(camera: Camera) -> CameraOptics:
    return CameraOptics(
        hfov_deg=camera.hfov_deg,
        sensor_width_mm=camera.sensor_width_mm,
        focal_length_mm=camera.focal_length_mm,
        horizontal_pixels=camera.resolution_width_px,
        aspect_ratio=camera.resolution_width_px / camera.resolution_height_px
        if camera.resolution_height_px
        else 16 / 9,
    )


def range_of(camera: Camera, optics: CameraOptics) -> float:
    """The stated range, or the distance at which the camera still detects a person."""
    if camera.range_m:
        return camera.range_m
    return min(optics.level_distance_m(DEFAULT_LEVEL), MAX_DEFAULT_RANGE_M)


def camera_input(camera: Camera) -> CameraInput:
    optics = optics_of(camera)
    pan = pan_range(camera.pan_range)
    placement = CameraPlacement(
        x=camera.longitude,
        y=camera.latitude,
        crs=WGS84,
        bearing_deg=None if pan else camera.bearing_deg,
        pan=pan,
        camera_type=_CAMERA_TYPES.get(camera.camera_type, CameraType.FIXED) if pan else CameraType.FIXED,
        height_m=camera.mount_height_m or None,
        tilt_deg=camera.tilt_deg,
    )
    return CameraInput(
        id=camera.pk,
        placement=placement,
        optics=optics,
        range_m=range_of(camera, optics),
        runs_during_school_hours=camera.get_schedule().overlaps(SCHOOL_HOURS),
    )


@dataclass
class SiteGeometry:
    """Each site's obstacles and zones as lon/lat shapes, and the zones' names, kinds and rules.

    Obstacles are the imported buildings and the zones a camera cannot see through (kind building,
    wall or fence; a wall or fence may be a line). Zones are the areas whose rules intrusion is
    measured against; a zone drawn as a line has no area and is an obstacle only.
    """

    buildings: dict[int, list[BuildingFootprint]] = field(default_factory=dict)
    zones: dict[int, list[ZoneInput]] = field(default_factory=dict)
    zone_names: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    # What a message calls each building or zone ("Byggnaden ”Sporthallen”"), by the batch's item id.
    labels: dict[Any, str] = field(default_factory=dict)


#: When a camera's own data cannot be turned into geometry input (a malformed pan range, say).
CAMERA_DATA_ERROR = gettext_noop("Kamerans uppgifter går inte att räkna med: kontrollera riktning, räckvidd och optik.")


def building_label(pk: int, name: str) -> str:
    """How a message names a building: by its name, else by its number."""
    if name:
        return gettext("Byggnaden ”%(name)s”") % {"name": name}
    return gettext("Byggnad nr %(number)s") % {"number": pk}


def zone_label(name: str) -> str:
    return gettext("Zonen ”%(name)s”") % {"name": name}


def error_message(error: GeoInputError, labels: dict[Any, str] | None = None) -> str:
    """The Swedish (or translated) message of a geometry error, the item it names by its label."""
    params = dict(error.params)
    if "item" in params and labels is not None:
        params["item"] = labels.get(params["item"], str(params["item"]))
    template = gettext(error.message)
    return template % params if params else template


def site_geometry(site_ids: Iterable[int]) -> SiteGeometry:
    """Buildings and zones of the sites, in two queries."""
    geometry = SiteGeometry()
    for building in Building.objects.filter(site_id__in=site_ids).only("site_id", "name", "geometry"):
        geometry.buildings.setdefault(building.site_id, []).append(
            BuildingFootprint(("building", building.pk), shape(building.geometry))
        )
        geometry.labels[("building", building.pk)] = building_label(building.pk, building.name)
    for zone in Zone.objects.filter(site_id__in=site_ids).only("site_id", "name", "kind", "rule", "geometry"):
        drawn = shape(zone.geometry)
        geometry.labels[("zone", zone.pk)] = geometry.labels[zone.pk] = zone_label(zone.name)
        if zone.blocks_view:
            # The host exclusion of the occlusion code keeps a camera on this building or wall seeing.
            geometry.buildings.setdefault(zone.site_id, []).append(BuildingFootprint(("zone", zone.pk), drawn))
        if zone.is_line:
            continue
        geometry.zones.setdefault(zone.site_id, []).append(ZoneInput(zone.pk, drawn, ZoneRule(zone.rule)))
        geometry.zone_names[zone.pk] = (zone.name, zone.kind, zone.rule)
    return geometry


def _computed_values(result: Any, zones: list[ZoneInput], names: dict[int, tuple[str, str, str]]) -> dict[str, Any]:
    coverage_geojson = to_geojson(result.coverage.geometry)
    west, south, east, north = shape(coverage_geojson).bounds
    findings = [
        {
            "zone_id": finding.zone_id,
            "zone_name": names.get(finding.zone_id, ("", "", ""))[0],
            "zone_kind": names.get(finding.zone_id, ("", "", ""))[1],
            "rule": str(finding.rule),
            "area_m2": round(finding.area_m2, 1),
            "share": round(finding.share, 4),
            "area_m2_without_occlusion": round(finding.area_m2_without_occlusion, 1),
            "share_without_occlusion": round(finding.share_without_occlusion, 4),
        }
        for finding in result.intrusion.findings
    ]
    forbidden = {f.zone_id for f in result.intrusion.findings if f.intrudes}
    seen = [
        {
            "zone_id": zone_id,
            "zone_name": names[zone_id][0],
            "zone_kind": names[zone_id][1],
            "rule": names[zone_id][2],
            "area_m2": round(area, 1),
            "forbidden": zone_id in forbidden,
        }
        for zone_id, area in sorted(zone_overlaps(result.visible, zones).items(), key=lambda item: -item[1])
    ]
    mask = result.intrusion.mask
    return {
        "coverage": coverage_geojson,
        "visible_coverage": to_geojson(result.visible),
        "coverage_area_m2": round(result.coverage.area_m2, 1),
        "visible_area_m2": round(result.visible_area_m2, 1),
        "intrusions": findings,
        "zones_seen": seen,
        "privacy_mask": None if mask.is_empty else to_geojson(mask),
        "coverage_computed_at": timezone.now(),
        "bbox_west": west,
        "bbox_south": south,
        "bbox_east": east,
        "bbox_north": north,
    }


def _empty_values() -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(COMPUTED_FIELDS)
    values["intrusions"] = []
    values["zones_seen"] = []
    values["coverage_computed_at"] = timezone.now()
    return values


def _input_or_problem(camera: Camera) -> tuple[CameraInput | None, str | None]:
    try:
        return camera_input(camera), None
    except GeoInputError as error:
        return None, error_message(error)
    except (ValueError, TypeError, ZeroDivisionError):
        return None, gettext(CAMERA_DATA_ERROR)


def _usable_zones(site_zones: list[ZoneInput], result: BatchResult) -> list[ZoneInput]:
    """The site's zones in EPSG:3006 for `zone_overlaps`, without those the batch refused."""
    refused = {item for item, _error in result.rejected}
    return [
        ZoneInput(z.id, reproject(z.geometry, WGS84, SWEREF99_TM), z.rule) for z in site_zones if z.id not in refused
    ]


def computed_values(
    cameras: list[Camera], geometry: SiteGeometry | None = None, problems: dict[Any, str] | None = None
) -> dict[Any, dict[str, Any]]:
    """The computed coverage fields of each camera, by pk, without saving anything.

    The cameras may be unsaved or differ from the database (a camera as it was on an earlier
    date, say), as long as each has a distinct `pk` and a `site_id`. Loads the sites' buildings and
    zones in two queries unless `geometry` is given. A camera whose coverage cannot be computed
    (its own data, or a building or zone in its view that cannot be used) gets empty fields, and
    with `problems` the Swedish reason under its pk; the other cameras are not affected.
    """
    geometry = geometry or site_geometry({c.site_id for c in cameras})
    problems = {} if problems is None else problems
    inputs, failed = [], []
    for camera in cameras:
        item, problem = _input_or_problem(camera)
        if item is None:
            logger.warning("Camera %s: %s", camera.identifier, problem)
            problems[camera.pk] = problem or ""
            failed.append(camera)
        else:
            inputs.append(item)
    # Each camera sees only its own site's buildings and zones.
    by_site: dict[int, list[CameraInput]] = {}
    site_of = {c.pk: c.site_id for c in cameras}
    for item in inputs:
        by_site.setdefault(site_of[item.id], []).append(item)
    values: dict[Any, dict[str, Any]] = {c.pk: _empty_values() for c in failed}
    for site_id, site_inputs in by_site.items():
        site_zones = geometry.zones.get(site_id, [])
        result = compute_batch(site_inputs, geometry.buildings.get(site_id, []), site_zones, geometry_crs=WGS84)
        # zone_overlaps needs metric geometry; the batch's results are in EPSG:3006.
        metric_zones = _usable_zones(site_zones, result)
        for item in result.results:
            values[item.camera_id] = _computed_values(item, metric_zones, geometry.zone_names)
        for camera_id, error in result.errors:
            problems[camera_id] = error_message(error, geometry.labels)
            logger.warning("Camera %s: %s", camera_id, problems[camera_id])
            values[camera_id] = _empty_values()
    return {camera.pk: values.get(camera.pk, _empty_values()) for camera in cameras}


def recompute(cameras: Iterable[Camera], chunk: int = 2000, problems: dict[Any, str] | None = None) -> int:
    """Compute and store coverage and intrusion for `cameras` (grouped by site), return how many.

    With `problems`, the Swedish reason why a camera's coverage could not be computed is put
    there under its pk (see `computed_values`).
    """
    cameras = list(cameras)
    done = 0
    for start in range(0, len(cameras), chunk):
        part = cameras[start : start + chunk]
        values = computed_values(part, problems=problems)
        for camera in part:
            for name, value in values[camera.pk].items():
                setattr(camera, name, value)
        # Computed fields only; they are not audited (they follow from the logged inputs).
        Camera.objects.bulk_update(part, COMPUTED_FIELDS)
        done += len(part)
        for hook in hooks.coverage_recomputed:
            hook([camera.pk for camera in part])
    return done


def recompute_sites(site_ids: Iterable[int]) -> int:
    return recompute(Camera.objects.filter(site_id__in=set(site_ids)).order_by("pk"))


#
# Keeping the stored coverage in step
#

_deferred: ContextVar[set[int] | None] = ContextVar("trygg_coverage_deferred", default=None)


@contextlib.contextmanager
def deferred_recompute() -> Iterator[None]:
    """Inside the block, changes only note which sites need recomputing; it happens once at the end."""
    if _deferred.get() is not None:
        yield
        return
    sites: set[int] = set()
    token = _deferred.set(sites)
    try:
        yield
    finally:
        _deferred.reset(token)
    if sites:
        recompute_sites(sites)


def _schedule(site_ids: set[int]) -> None:
    pending = _deferred.get()
    if pending is not None:
        pending.update(site_ids)
    else:
        recompute_sites(site_ids)


def _camera_saved(
    sender: type[Camera], instance: Camera, raw: bool = False, update_fields: Any = None, **kw: Any
) -> None:
    if raw or (update_fields and set(update_fields) <= NOT_GEOMETRY):
        return
    if _deferred.get() is not None:
        _deferred.get().add(instance.site_id)  # type: ignore[union-attr]
        return
    recompute([instance])


def _site_part_changed(sender: Any, instance: Zone | Building, raw: bool = False, **kw: Any) -> None:
    if not raw:
        _schedule({instance.site_id})


def connect_signals() -> None:
    if not getattr(settings, "TRYGG_COMPUTE_COVERAGE", True):
        return
    post_save.connect(_camera_saved, sender=Camera, dispatch_uid="trygg_coverage_camera")
    for model in (Zone, Building):
        post_save.connect(_site_part_changed, sender=model, dispatch_uid=f"trygg_coverage_{model.__name__}_save")
        post_delete.connect(_site_part_changed, sender=model, dispatch_uid=f"trygg_coverage_{model.__name__}_delete")


def preview(camera: Camera, problems: list[str] | None = None) -> dict[str, Any] | None:
    """Coverage of an unsaved camera (the edit form's live preview), or None if it cannot be computed.

    With `problems`, the Swedish reason is appended there when it cannot.
    """
    problems = [] if problems is None else problems
    item, problem = _input_or_problem(camera)
    if item is None:
        problems.append(problem or "")
        return None
    geometry = site_geometry([camera.site_id]) if camera.site_id else SiteGeometry()
    zones = geometry.zones.get(camera.site_id, [])
    result = compute_batch([item], geometry.buildings.get(camera.site_id, []), zones, geometry_crs=WGS84)
    problems.extend(error_message(error, geometry.labels) for _camera, error in result.errors)
    if result.errors or not result.results:
        return None
    return _computed_values(result.results[0], _usable_zones(zones, result), geometry.zone_names)
