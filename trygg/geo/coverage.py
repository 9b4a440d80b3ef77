"""The coverage sector of one camera, as a polygon in SWEREF 99 TM (reference/gis.md §1.3).

A fixed camera covers a sector of angle HFOV around its bearing; a camera that pans from a to b
covers a→b widened by HFOV/2 on each side; a full turn (or a dome without known HFOV) covers a
disc. Tilt and mounting height clip the sector to the annulus [near, min(far, range)] where the
image meets the ground. The sector is built in EPSG:3006 around the projected camera position
with the bearing turned into a grid bearing (grid = true − meridian convergence γ), and the
ground distances (range, footprint) turned into grid distances (grid = ground · k, the point
scale factor at the camera), so a 30 m range reaches 30 m on the ground.

Areas are measured in the grid; they are ground areas · k², at most 0.4 % off anywhere in
Sweden (k ≤ 1.0017 at the eastern border) and 0.03 % in Norrtälje.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray
from shapely.geometry import Polygon

from trygg.geo import GeoInputError, _
from trygg.geo.crs import SWEREF99_TM, WGS84, convergence_and_scale, to_geojson, transform_xy
from trygg.geo.optics import CameraOptics, footprint_limits_m

#: Largest angle between two arc vertices. gis.md §1.3 asks for at least one point per 2°; the
#: polygon's area is then at most 0.01 % below ½·θ·r².
DEFAULT_ARC_STEP_DEG = 2.0

FULL_CIRCLE_DEG = 360.0

POSITION_ERROR = _("Kamerans position går inte att räkna om till SWEREF 99 TM; kontrollera koordinaterna.")


class CameraType(StrEnum):
    """OSM ``camera:type``: fixed points one way, panning turns, dome is PTZ behind dark glass."""

    FIXED = "fixed"
    DOME = "dome"
    PANNING = "panning"


@dataclass(frozen=True)
class PanRange:
    """A camera that can turn clockwise from ``start_deg`` to ``end_deg`` (true bearings).

    ``PanRange(270, 90)`` wraps through north; ``PanRange(0, 360)`` is a full turn.
    """

    start_deg: float
    end_deg: float

    @property
    def span_deg(self) -> float:
        """Clockwise angle from start to end, 0–360."""
        difference = self.end_deg - self.start_deg
        if difference != 0 and difference % FULL_CIRCLE_DEG == 0:
            return FULL_CIRCLE_DEG
        return difference % FULL_CIRCLE_DEG

    @property
    def is_full_circle(self) -> bool:
        return self.span_deg >= FULL_CIRCLE_DEG


@dataclass(frozen=True)
class CameraPlacement:
    """Where a camera is and which way it looks.

    ``x``, ``y`` are in ``crs``, x first: lon/lat for EPSG:4326 (the default), easting/northing
    for EPSG:3006. ``bearing_deg`` is clockwise from TRUE north. ``pan`` replaces the bearing for
    a camera that turns. ``tilt_deg`` is the downward tilt from horizontal (OSM ``camera:angle``),
    ``height_m`` the mounting height above the ground it looks at.
    """

    x: float
    y: float
    crs: str = WGS84
    bearing_deg: float | None = None
    pan: PanRange | None = None
    camera_type: CameraType = CameraType.FIXED
    height_m: float | None = None
    tilt_deg: float | None = None


@dataclass(frozen=True)
class Coverage:
    """The ground a camera covers, before occlusion. ``geometry`` is in EPSG:3006 metres.

    ``start_grid_deg`` is the grid bearing of the sector's first (counter-clockwise) edge and
    ``span_deg`` its clockwise width (360 for a disc); ``near_m``/``far_m`` the radial limits in
    grid metres (ground metres · ``scale_factor``; ``near_m`` > 0 only when tilt and height clip
    it). Empty when the footprint misses the range.
    """

    geometry: Polygon
    apex: tuple[float, float]
    start_grid_deg: float
    span_deg: float
    near_m: float
    far_m: float
    convergence_deg: float
    scale_factor: float = 1.0

    @property
    def mid_grid_deg(self) -> float:
        """Grid bearing of the middle of the covered directions (the way the camera faces)."""
        return (self.start_grid_deg + self.span_deg / 2) % FULL_CIRCLE_DEG

    @property
    def area_m2(self) -> float:
        return float(self.geometry.area)

    @property
    def is_full_circle(self) -> bool:
        return self.span_deg >= FULL_CIRCLE_DEG

    def wedge(self, step_deg: float = DEFAULT_ARC_STEP_DEG) -> Polygon:
        """The sector from the apex out to ``far_m`` without the near clip.

        Obstacles between the camera and the near edge still block the view, so occlusion
        looks for them in this larger shape.
        """
        if self.near_m == 0 or self.geometry.is_empty:
            return self.geometry
        return sector_polygon(self.apex, self.start_grid_deg, self.span_deg, self.far_m, 0.0, step_deg)

    def to_geojson(self, precision: int = 7) -> dict[str, Any]:
        """The coverage as a GeoJSON geometry in lon/lat."""
        return to_geojson(self.geometry, precision=precision)


def arc_angles_deg(start_deg: float, span_deg: float, step_deg: float = DEFAULT_ARC_STEP_DEG) -> NDArray[np.float64]:
    """Evenly spaced bearings from ``start_deg`` clockwise over ``span_deg``, both ends included."""
    segments = max(1, math.ceil(span_deg / step_deg - 1e-9))
    return start_deg + np.linspace(0.0, span_deg, segments + 1)


def _arc_points(apex: tuple[float, float], angles_deg: NDArray[np.float64], radius: float) -> NDArray[np.float64]:
    radians = np.radians(angles_deg)
    # Bearings are clockwise from north: x = east = sin, y = north = cos.
    return np.column_stack((apex[0] + radius * np.sin(radians), apex[1] + radius * np.cos(radians)))


def sector_polygon(
    apex: tuple[float, float],
    start_deg: float,
    span_deg: float,
    far_m: float,
    near_m: float = 0.0,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
) -> Polygon:
    """A sector (or annulus sector, or disc, or ring) in a metric plane; bearings in that plane."""
    if span_deg <= 0 or far_m <= near_m:
        return Polygon()
    if span_deg >= FULL_CIRCLE_DEG:
        angles = arc_angles_deg(0.0, FULL_CIRCLE_DEG, step_deg)[:-1]
        outer = _arc_points(apex, angles, far_m)
        if near_m > 0:
            return Polygon(outer, [_arc_points(apex, angles[::-1], near_m)])
        return Polygon(outer)
    angles = arc_angles_deg(start_deg, span_deg, step_deg)
    outer = _arc_points(apex, angles, far_m)
    if near_m > 0:
        return Polygon(np.vstack((outer, _arc_points(apex, angles[::-1], near_m))))
    return Polygon(np.vstack(([apex], outer)))


def _require_finite(value: float | None, message: str) -> None:
    """Refuse NaN and ±inf, which would otherwise turn into NaN or infinite polygons and areas."""
    if value is not None and not math.isfinite(value):
        raise GeoInputError(message, value=value)


def true_sector(placement: CameraPlacement, optics: CameraOptics) -> tuple[float, float]:
    """Start bearing (true, clockwise-first edge) and clockwise span of the covered directions.

    Raises ``GeoInputError`` (Swedish message naming the field) for a missing direction or angle
    of view, or a direction, pan range or angle that is not a finite number.
    """
    _require_finite(placement.bearing_deg, _("Riktningen måste vara ett ändligt tal i grader (fick %(value)s)."))
    if placement.pan is not None:
        for end in (placement.pan.start_deg, placement.pan.end_deg):
            _require_finite(end, _("Panoreringsintervallet måste vara ändliga tal i grader (fick %(value)s)."))
    hfov = optics.horizontal_fov_deg()
    if hfov is not None and not 0 < hfov <= FULL_CIRCLE_DEG:
        raise GeoInputError(
            _("Horisontell bildvinkel måste vara mellan 0 och 360 grader (fick %(value)s)."), value=hfov
        )
    if placement.pan is not None:
        if placement.pan.is_full_circle:
            return 0.0, FULL_CIRCLE_DEG
        # Without a known HFOV the pan range itself is all we can claim.
        widening = hfov or 0.0
        span = placement.pan.span_deg + widening
        if span >= FULL_CIRCLE_DEG:
            return 0.0, FULL_CIRCLE_DEG
        if span <= 0:
            raise GeoInputError(_("Panoreringsintervallet är tomt och bildvinkel saknas."))
        return (placement.pan.start_deg - widening / 2) % FULL_CIRCLE_DEG, span
    if placement.bearing_deg is not None and hfov is not None:
        if hfov >= FULL_CIRCLE_DEG:
            return 0.0, FULL_CIRCLE_DEG
        return (placement.bearing_deg - hfov / 2) % FULL_CIRCLE_DEG, hfov
    if placement.camera_type in (CameraType.DOME, CameraType.PANNING):
        # A dome or PTZ camera without direction or angle can look anywhere (gis.md §1.3).
        return 0.0, FULL_CIRCLE_DEG
    if placement.bearing_deg is None:
        raise GeoInputError(_("Riktning saknas för en fast kamera: ange riktning i grader från norr."))
    raise GeoInputError(_("Bildvinkel saknas: ange horisontell bildvinkel, eller sensorbredd och brännvidd."))


def radial_limits_m(placement: CameraPlacement, optics: CameraOptics, range_m: float) -> tuple[float, float]:
    """Near and far ground distance (m): the tilted footprint when height and tilt are known.

    Raises ``GeoInputError`` for a range that is not a finite number above zero, and for a
    height, tilt or vertical angle that is not a finite number.
    """
    _require_finite(range_m, _("Räckvidden måste vara ett ändligt tal i meter (fick %(value)s)."))
    if not range_m > 0:
        raise GeoInputError(_("Räckvidden måste vara större än noll (fick %(value)s m)."), value=range_m)
    _require_finite(placement.height_m, _("Monteringshöjden måste vara ett ändligt tal i meter (fick %(value)s)."))
    _require_finite(placement.tilt_deg, _("Lutningen måste vara ett ändligt tal i grader (fick %(value)s)."))
    vfov = optics.vertical_fov_deg()
    if placement.height_m is None or placement.tilt_deg is None or vfov is None:
        return 0.0, float(range_m)
    _require_finite(vfov, _("Vertikal bildvinkel måste vara ett ändligt tal i grader (fick %(value)s)."))
    near, far = footprint_limits_m(placement.height_m, placement.tilt_deg, vfov)
    return near, min(far, float(range_m))


def coverage_in_grid(
    placement: CameraPlacement,
    optics: CameraOptics,
    range_m: float,
    apex: tuple[float, float],
    convergence_deg: float,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
    scale_factor: float = 1.0,
) -> Coverage:
    """Coverage for a camera whose EPSG:3006 position, convergence and scale are already known.

    ``range_m`` and the footprint are ground metres; ``scale_factor`` (grid metres per ground
    metre, ``crs.point_scale_factor``) turns them into grid metres. ``compute_coverage`` and the
    batch both end here, so one camera is computed the same way alone or among ten thousand.
    Raises ``GeoInputError`` for bad or missing camera data.
    """
    start_true, span = true_sector(placement, optics)
    near, far = radial_limits_m(placement, optics, range_m)
    near, far = near * scale_factor, far * scale_factor
    start_grid = 0.0 if span >= FULL_CIRCLE_DEG else (start_true - convergence_deg) % FULL_CIRCLE_DEG
    geometry = sector_polygon(apex, start_grid, span, far, near, step_deg)
    return Coverage(
        geometry=geometry,
        apex=(float(apex[0]), float(apex[1])),
        start_grid_deg=start_grid,
        span_deg=span,
        near_m=near,
        far_m=far,
        convergence_deg=float(convergence_deg),
        scale_factor=float(scale_factor),
    )


def grid_position(placement: CameraPlacement) -> tuple[tuple[float, float], float, float]:
    """The camera's EPSG:3006 position, and the meridian convergence and point scale factor there."""
    lon, lat = transform_xy(placement.x, placement.y, placement.crs, WGS84)
    east, north = transform_xy(placement.x, placement.y, placement.crs, SWEREF99_TM)
    convergence, scale = convergence_and_scale(float(lon), float(lat))
    if not np.all(np.isfinite([east, north, convergence, scale])):
        raise GeoInputError(POSITION_ERROR)
    return (float(east), float(north)), float(convergence), float(scale)


def compute_coverage(
    placement: CameraPlacement, optics: CameraOptics, range_m: float, step_deg: float = DEFAULT_ARC_STEP_DEG
) -> Coverage:
    """The coverage sector of one camera in EPSG:3006, ``range_m`` metres deep."""
    apex, convergence, scale = grid_position(placement)
    return coverage_in_grid(placement, optics, range_m, apex, convergence, step_deg, scale)


def coverage_geojson(
    placement: CameraPlacement, optics: CameraOptics, range_m: float, precision: int = 7
) -> dict[str, Any]:
    """The coverage sector as a GeoJSON geometry in lon/lat, ready for Leaflet or a JSON field."""
    return compute_coverage(placement, optics, range_m).to_geojson(precision)
