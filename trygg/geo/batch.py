"""Coverage, occlusion and intrusion for every camera of a municipality in one call.

Same results as calling ``compute_coverage``, ``visible_coverage`` and ``assess_intrusion``
camera by camera (a test holds it to that), but fast enough for 10⁵ cameras:

* all camera positions are transformed, and all convergences computed, in one pyproj call each;
* STRtree spatial indexes give, in one bulk query each, the buildings and zones near every sector;
* building edges are extracted once, and each camera's sweep reads only its neighbours' edges;
* shapely's vectorised functions do the intersections for all cameras or all pairs at once.

The only per-camera Python work left is building the sector and the ray sweep (numpy).

Bad input never stops the batch: a camera whose own data are bad, or whose view meets a
building or zone whose geometry cannot be used (self-intersecting, too few points, coordinates
that are not finite numbers), lands in ``errors`` with a Swedish message; the others are
computed exactly as without the bad item, which is left out of the indexes.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from trygg.geo import GeoInputError, _
from trygg.geo.coverage import (
    DEFAULT_ARC_STEP_DEG,
    POSITION_ERROR,
    CameraPlacement,
    Coverage,
    coverage_in_grid,
)
from trygg.geo.crs import SWEREF99_TM, WGS84, convergence_and_scale, to_geojson, transform_xy, transformer
from trygg.geo.intrusion import (
    IntrusionReport,
    IntrusionTolerance,
    PairIntrusions,
    ZoneInput,
    ZoneRule,
    build_report,
    pair_intrusions,
    shrink_zones,
    zone_applies,
)
from trygg.geo.occlusion import HOST_TOLERANCE_M, ObstacleEdges, clean_polygonal, edges_by_part, star_polygon
from trygg.geo.optics import CameraOptics

_POLYGONAL = (3, 6)


@dataclass(frozen=True)
class CameraInput:
    """One camera of the batch: where, which lens, how far (m) and whether it runs in school hours."""

    id: Hashable
    placement: CameraPlacement
    optics: CameraOptics
    range_m: float
    runs_during_school_hours: bool = True


@dataclass(frozen=True)
class BuildingFootprint:
    """Something that blocks the view: a building outline (OSM ``building=*`` or the municipal base
    map) as a polygon, or a wall or fence as a polygon or a line."""

    id: Hashable
    geometry: BaseGeometry


@dataclass(frozen=True)
class CameraResult:
    """Everything computed for one camera; geometries in EPSG:3006."""

    camera_id: Hashable
    coverage: Coverage
    visible: Polygon | MultiPolygon
    intrusion: IntrusionReport

    @property
    def visible_area_m2(self) -> float:
        return float(self.visible.area)

    def visible_geojson(self, precision: int = 7) -> dict[str, Any]:
        """The visible coverage as a GeoJSON geometry in lon/lat."""
        return to_geojson(self.visible, precision=precision)


@dataclass(frozen=True)
class BatchResult:
    """Results in input order for the cameras that could be computed, and why the others could not.

    ``errors`` holds (camera id, error) per camera not computed; ``rejected`` (item id, error)
    for each building or zone whose geometry could not be used (the cameras it would have
    affected are in ``errors`` with the same message).
    """

    results: tuple[CameraResult, ...]
    errors: tuple[tuple[Hashable, GeoInputError], ...] = ()
    rejected: tuple[tuple[Hashable, GeoInputError], ...] = ()


#: Swedish messages for a building or zone whose geometry cannot be used. ``%(item)s`` is the
#: item's id here; a caller with names puts its own label (e.g. "Zonen Skolgården") there.
NOT_FINITE_ITEM = _(
    "%(item)s har koordinater som inte är ändliga tal (kanske meter där grader väntades) och kan inte "
    "användas; täckningen räknades inte."
)
SELF_INTERSECTING_ITEM = _(
    "%(item)s korsar sig själv vid %(where)s och kan inte användas; rita om ytan. Täckningen räknades inte."
)
TOO_FEW_POINTS_ITEM = _("%(item)s har för få hörn för att vara en yta och kan inte användas; täckningen räknades inte.")
INVALID_ITEM = _(
    "%(item)s är ingen giltig yta (fel vid %(where)s) och kan inte användas; rita om ytan. Täckningen räknades inte."
)
#: A GEOS failure that checking the input did not foresee: the camera is skipped, never the batch.
GEOMETRY_FAILURE = _(
    "Täckningen kunde inte räknas: ett geometrifel bland platsens byggnader eller zoner. Kontrollera dem."
)


def _where(reason: str) -> str:
    """The location GEOS names in ``is_valid_reason`` ("Self-intersection[700012 6630003]")."""
    if "[" not in reason:
        return "?"
    numbers = reason[reason.index("[") + 1 : reason.rindex("]")].split()
    return ", ".join(f"{float(n):.7f}".rstrip("0").rstrip(".") for n in numbers[:2])


def geometry_problems(geometries: NDArray[np.object_], ids: Sequence[Hashable]) -> dict[int, GeoInputError]:
    """Why each unusable geometry cannot be used, by index: not finite, or not valid (GEOS reason).

    Empty geometries and points are harmless (they hide and contain nothing) and pass.
    """
    problems: dict[int, GeoInputError] = {}
    if len(geometries) == 0:
        return problems
    coords, owner = shapely.get_coordinates(geometries, return_index=True)
    for index in np.unique(owner[~np.isfinite(coords).all(axis=1)]):
        problems[int(index)] = GeoInputError(NOT_FINITE_ITEM, item=ids[index])
    invalid = np.flatnonzero(~shapely.is_valid(geometries))
    for index in invalid:
        if int(index) in problems:
            continue
        reason = str(shapely.is_valid_reason(geometries[index]))
        if "Self-intersection" in reason:
            error = GeoInputError(SELF_INTERSECTING_ITEM, item=ids[index], where=_where(reason))
        elif "Too few points" in reason:
            error = GeoInputError(TOO_FEW_POINTS_ITEM, item=ids[index])
        else:
            error = GeoInputError(INVALID_ITEM, item=ids[index], where=_where(reason))
        problems[int(index)] = error
    return problems


def _grid_positions(
    placements: Sequence[CameraPlacement],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """EPSG:3006 easting, northing, convergence and scale factor of every placement."""
    count = len(placements)
    if count == 0:
        return np.empty(0), np.empty(0), np.empty(0), np.empty(0)
    east, north = np.empty(count), np.empty(count)
    lon, lat = np.empty(count), np.empty(count)
    crs_of = np.asarray([p.crs for p in placements], dtype=object)
    xs = np.fromiter((p.x for p in placements), dtype=float, count=count)
    ys = np.fromiter((p.y for p in placements), dtype=float, count=count)
    for crs in set(crs_of.tolist()):
        rows = crs_of == crs
        east[rows], north[rows] = transform_xy(xs[rows], ys[rows], crs, SWEREF99_TM)
        lon[rows], lat[rows] = transform_xy(xs[rows], ys[rows], crs, WGS84)
    convergence, scale = convergence_and_scale(lon, lat)
    return east, north, convergence.reshape(count), scale.reshape(count)


def _to_grid(geometries: NDArray[np.object_], crs: str) -> NDArray[np.object_]:
    if crs == SWEREF99_TM or len(geometries) == 0:
        return geometries
    tr = transformer(crs, SWEREF99_TM)
    # One transform call for every vertex of every geometry.
    return np.asarray(shapely.transform(geometries, lambda x, y: tr.transform(x, y), interleaved=False), dtype=object)


def _edge_index(buildings: NDArray[np.object_]) -> tuple[ObstacleEdges, NDArray[np.int64], NDArray[np.int64]]:
    """All obstacle edges once, grouped by obstacle: ``edges[offsets[b]:offsets[b] + counts[b]]``.

    The same edges as ``ObstacleEdges.from_geometries`` gives a single camera (``edges_by_part``).
    """
    edges, edge_owner = edges_by_part(buildings)
    # Each obstacle's edges must be one contiguous slice: order them by their obstacle.
    order = np.argsort(edge_owner, kind="stable")
    edges, edge_owner = edges.take(order), edge_owner[order]
    counts = np.bincount(edge_owner, minlength=len(buildings))
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    return edges, offsets, counts


def _gather(
    edges: ObstacleEdges, offsets: NDArray[np.int64], counts: NDArray[np.int64], owners: NDArray[np.int64]
) -> ObstacleEdges:
    """The edges of the buildings ``owners`` (contiguous slices gathered without a Python loop)."""
    sizes = counts[owners]
    total = int(sizes.sum())
    starts = np.repeat(offsets[owners] - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
    return edges.take(starts + np.arange(total))


def _occlusion(
    coverages: list[Coverage],
    buildings: NDArray[np.object_],
    host_tolerance_m: float,
    step_deg: float,
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Visible geometry of every coverage and whether any building hides part of it.

    Every building meeting a camera's wedge is an obstacle; the star sweep makes the wall the
    camera is mounted on one-sided.
    """
    count = len(coverages)
    sectors = np.asarray([c.geometry for c in coverages], dtype=object)
    visible = sectors.copy()
    occluded = np.zeros(count, dtype=bool)
    if len(buildings) == 0 or count == 0:
        return visible, occluded
    tree = shapely.STRtree(buildings)
    wedges = np.asarray([c.wedge(step_deg) for c in coverages], dtype=object)
    camera_of, building_of = tree.query(wedges, predicate="intersects")
    if len(camera_of) == 0:
        return visible, occluded
    edges, offsets, counts = _edge_index(buildings)
    # The buildings each camera hangs on: outline within the tolerance (as ``host_region``).
    apexes = shapely.points(np.asarray([c.apex for c in coverages]))
    polygonal = np.isin(shapely.get_type_id(buildings[building_of]), _POLYGONAL)
    host = np.zeros(len(camera_of), dtype=bool)
    host[polygonal] = shapely.dwithin(
        shapely.boundary(buildings[building_of[polygonal]]), apexes[camera_of[polygonal]], host_tolerance_m
    )
    cameras, first = np.unique(camera_of, return_index=True)
    last = np.append(first[1:], len(camera_of))
    stars = np.empty(len(cameras), dtype=object)
    for k, (camera, begin, end) in enumerate(zip(cameras, first, last, strict=True)):
        near = _gather(edges, offsets, counts, building_of[begin:end])
        hosts = building_of[begin:end][host[begin:end]]
        region = buildings[hosts] if len(hosts) else None
        stars[k] = star_polygon(coverages[camera], near, step_deg, host_tolerance_m, region)
    # Stars end on the sector's chords already; only a near clip needs a real intersection.
    clipped = stars.copy()
    near = np.asarray([coverages[c].near_m > 0 for c in cameras], dtype=bool)
    if near.any():
        clipped[near] = shapely.intersection(stars[near], sectors[cameras[near]])
        # Most results are plain valid polygons; only the rest pay for cleaning.
        suspect = near & (~np.isin(shapely.get_type_id(clipped), _POLYGONAL) | ~shapely.is_valid(clipped))
        for k in np.flatnonzero(suspect):
            clipped[k] = clean_polygonal(clipped[k])
    visible[cameras] = clipped
    # A building that meets the wedge may still hide nothing (e.g. touches only its rim).
    occluded[cameras] = shapely.area(sectors[cameras]) - shapely.area(clipped) > 1e-9
    return visible, occluded


def _intrusions(
    coverages: list[Coverage],
    visible: NDArray[np.object_],
    occluded: NDArray[np.bool_],
    runs: NDArray[np.bool_],
    zones: Sequence[ZoneInput],
    zone_geometries: NDArray[np.object_],
    tolerance: IntrusionTolerance,
) -> list[IntrusionReport]:
    count = len(coverages)
    reports = [IntrusionReport()] * count
    if len(zones) == 0 or count == 0:
        return reports
    rules = [z.rule for z in zones]
    always = np.asarray([zone_applies(r, runs_during_school_hours=False) for r in rules], dtype=bool)
    school = np.asarray([r is ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS for r in rules], dtype=bool)
    relevant = np.flatnonzero(always | school)
    if len(relevant) == 0:
        return reports
    sectors = np.asarray([c.geometry for c in coverages], dtype=object)
    tree = shapely.STRtree(zone_geometries[relevant])
    camera_of, hit = tree.query(sectors, predicate="intersects")
    zone_of = relevant[hit]
    keep = always[zone_of] | (school[zone_of] & runs[camera_of])
    camera_of, zone_of = camera_of[keep], zone_of[keep]
    if len(camera_of) == 0:
        return reports
    shrunk = np.empty(len(zone_geometries), dtype=object)
    used = np.unique(zone_of)
    shrunk[used] = shrink_zones(zone_geometries[used], tolerance)
    result = pair_intrusions(
        sectors[camera_of],
        visible[camera_of],
        occluded[camera_of],
        zone_geometries[zone_of],
        shrunk[zone_of],
        tolerance,
    )
    sector_area = shapely.area(sectors)
    visible_area = shapely.area(visible)
    cameras, first = np.unique(camera_of, return_index=True)
    last = np.append(first[1:], len(camera_of))
    for camera, begin, end in zip(cameras, first, last, strict=True):
        rows = slice(begin, end)
        if not result.intrudes_raw[rows].any():
            continue
        part = PairIntrusions(*(getattr(result, name)[rows] for name in PairIntrusions.__dataclass_fields__))
        reports[camera] = build_report(
            [zones[z].id for z in zone_of[rows]],
            [rules[z] for z in zone_of[rows]],
            part,
            float(sector_area[camera]),
            float(visible_area[camera]),
        )
    return reports


def _affected(
    problems: dict[int, GeoInputError], geometries: NDArray[np.object_], reach: NDArray[np.object_]
) -> dict[int, GeoInputError]:
    """The first problem (in item order) each camera's ``reach`` (wedge or sector) meets, by camera.

    A geometry without finite coordinates has no place: it may lie anywhere, so it meets every
    camera. Otherwise a camera is affected when its reach meets the item's bounding box.
    """
    affected: dict[int, GeoInputError] = {}
    if not problems or len(reach) == 0:
        return affected
    for index in sorted(problems):
        envelope = shapely.envelope(geometries[index])
        if problems[index].message == NOT_FINITE_ITEM or envelope is None or envelope.is_empty:
            cameras = np.arange(len(reach))
        else:
            cameras = np.flatnonzero(shapely.intersects(reach, envelope))
        for camera in cameras:
            affected.setdefault(int(camera), problems[index])
    return affected


def _coverages(
    cameras: Sequence[CameraInput], step_deg: float
) -> tuple[list[int], list[Coverage], dict[int, GeoInputError]]:
    """Coverage of every camera whose own data are usable; the others' errors, by input index."""
    east, north, convergence, scale = _grid_positions([c.placement for c in cameras])
    indexes: list[int] = []
    coverages: list[Coverage] = []
    errors: dict[int, GeoInputError] = {}
    for i, camera in enumerate(cameras):
        try:
            if not np.all(np.isfinite([east[i], north[i], convergence[i], scale[i]])):
                raise GeoInputError(POSITION_ERROR)
            coverages.append(
                coverage_in_grid(
                    camera.placement,
                    camera.optics,
                    camera.range_m,
                    (east[i], north[i]),
                    convergence[i],
                    step_deg,
                    scale[i],
                )
            )
            indexes.append(i)
        except GeoInputError as error:
            errors[i] = error
        except (ValueError, TypeError, ArithmeticError, shapely.errors.GEOSException):
            errors[i] = GeoInputError(GEOMETRY_FAILURE)
    return indexes, coverages, errors


def _results(
    cameras: list[CameraInput],
    coverages: list[Coverage],
    buildings: NDArray[np.object_],
    zones: Sequence[ZoneInput],
    zone_geometries: NDArray[np.object_],
    tolerance: IntrusionTolerance,
    host_tolerance_m: float,
    step_deg: float,
) -> list[CameraResult]:
    visible, occluded = _occlusion(coverages, buildings, host_tolerance_m, step_deg)
    runs = np.asarray([c.runs_during_school_hours for c in cameras], dtype=bool)
    reports = _intrusions(coverages, visible, occluded, runs, zones, zone_geometries, tolerance)
    return [
        CameraResult(camera.id, coverage, visible[i], reports[i])
        for i, (camera, coverage) in enumerate(zip(cameras, coverages, strict=True))
    ]


def compute_batch(
    cameras: Sequence[CameraInput],
    buildings: Sequence[BuildingFootprint],
    zones: Sequence[ZoneInput],
    geometry_crs: str = SWEREF99_TM,
    tolerance: IntrusionTolerance | None = None,
    host_tolerance_m: float = HOST_TOLERANCE_M,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
) -> BatchResult:
    """Coverage, visible coverage and intrusion findings for every camera.

    Camera positions may be in any CRS (each placement names its own); building and zone
    geometries are in ``geometry_crs`` (EPSG:3006 or EPSG:4326, say). Results are in input order.
    Nothing raises for bad input: a camera with bad data, or whose view meets a building or zone
    whose geometry cannot be used, lands in ``errors`` (``GeoInputError`` with a Swedish
    message); the unusable items are listed in ``rejected`` and left out for every other camera.
    """
    tolerance = tolerance or IntrusionTolerance()
    indexes, coverages, errors = _coverages(cameras, step_deg)
    building_geometries = _to_grid(np.asarray([b.geometry for b in buildings], dtype=object), geometry_crs)
    zone_geometries = _to_grid(np.asarray([z.geometry for z in zones], dtype=object), geometry_crs)
    bad_buildings = geometry_problems(building_geometries, [b.id for b in buildings])
    bad_zones = geometry_problems(zone_geometries, [z.id for z in zones])
    rejected = [(buildings[i].id, e) for i, e in sorted(bad_buildings.items())]
    rejected += [(zones[i].id, e) for i, e in sorted(bad_zones.items())]
    if bad_buildings or bad_zones:
        wedges = np.asarray([c.wedge(step_deg) for c in coverages], dtype=object)
        sectors = np.asarray([c.geometry for c in coverages], dtype=object)
        affected = _affected(bad_buildings, building_geometries, wedges)
        for camera, error in _affected(bad_zones, zone_geometries, sectors).items():
            affected.setdefault(camera, error)
        for camera, error in affected.items():
            errors[indexes[camera]] = error
        keep = [k for k in range(len(coverages)) if k not in affected]
        indexes, coverages = [indexes[k] for k in keep], [coverages[k] for k in keep]
        good_buildings = np.asarray([i not in bad_buildings for i in range(len(buildings))], dtype=bool)
        good_zones = [i for i in range(len(zones)) if i not in bad_zones]
        building_geometries = building_geometries[good_buildings]
        zones, zone_geometries = [zones[i] for i in good_zones], zone_geometries[good_zones]
    accepted = [cameras[i] for i in indexes]
    args = (building_geometries, zones, zone_geometries, tolerance, host_tolerance_m, step_deg)
    try:
        computed = _results(accepted, coverages, *args)
    except shapely.errors.GEOSException:
        # Something the checks above did not foresee: find the cameras it hits, one by one.
        computed = []
        for index, camera, coverage in zip(indexes, accepted, coverages, strict=True):
            try:
                computed.extend(_results([camera], [coverage], *args))
            except shapely.errors.GEOSException:
                errors[index] = GeoInputError(GEOMETRY_FAILURE)
    by_id = {id(result.coverage): result for result in computed}
    results = tuple(by_id[id(c)] for c in coverages if id(c) in by_id)
    return BatchResult(
        results=results,
        errors=tuple((cameras[i].id, errors[i]) for i in sorted(errors)),
        rejected=tuple(rejected),
    )
