"""Coverage, occlusion and intrusion for every camera of a municipality in one call.

Same results as calling ``compute_coverage``, ``visible_coverage`` and ``assess_intrusion``
camera by camera (a test holds it to that), but fast enough for 10⁵ cameras:

* all camera positions are transformed, and all convergences computed, in one pyproj call each;
* STRtree spatial indexes give, in one bulk query each, the buildings and zones near every sector;
* building edges are extracted once, and each camera's sweep reads only its neighbours' edges;
* shapely's vectorised functions do the intersections for all cameras or all pairs at once.

The only per-camera Python work left is building the sector and the ray sweep (numpy).
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

from trygg.geo import GeoInputError
from trygg.geo.coverage import (
    DEFAULT_ARC_STEP_DEG,
    POSITION_ERROR,
    CameraPlacement,
    Coverage,
    coverage_in_grid,
)
from trygg.geo.crs import SWEREF99_TM, WGS84, meridian_convergence_deg, to_geojson, transform_xy, transformer
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
from trygg.geo.occlusion import HOST_TOLERANCE_M, ObstacleEdges, clean_polygonal, star_polygon
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
    """Results in input order for the cameras that could be computed, and why the others could not."""

    results: tuple[CameraResult, ...]
    errors: tuple[tuple[Hashable, GeoInputError], ...] = ()


def _grid_positions(
    placements: Sequence[CameraPlacement],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """EPSG:3006 easting, northing and convergence of every placement, one pyproj call per CRS."""
    count = len(placements)
    if count == 0:
        return np.empty(0), np.empty(0), np.empty(0)
    east, north = np.empty(count), np.empty(count)
    lon, lat = np.empty(count), np.empty(count)
    crs_of = np.asarray([p.crs for p in placements], dtype=object)
    xs = np.fromiter((p.x for p in placements), dtype=float, count=count)
    ys = np.fromiter((p.y for p in placements), dtype=float, count=count)
    for crs in set(crs_of.tolist()):
        rows = crs_of == crs
        east[rows], north[rows] = transform_xy(xs[rows], ys[rows], crs, SWEREF99_TM)
        lon[rows], lat[rows] = transform_xy(xs[rows], ys[rows], crs, WGS84)
    convergence = np.asarray(meridian_convergence_deg(lon, lat), dtype=float).reshape(count)
    return east, north, convergence


def _to_grid(geometries: NDArray[np.object_], crs: str) -> NDArray[np.object_]:
    if crs == SWEREF99_TM or len(geometries) == 0:
        return geometries
    tr = transformer(crs, SWEREF99_TM)
    # One transform call for every vertex of every geometry.
    return np.asarray(shapely.transform(geometries, lambda x, y: tr.transform(x, y), interleaved=False), dtype=object)


def _edge_index(buildings: NDArray[np.object_]) -> tuple[ObstacleEdges, NDArray[np.int64], NDArray[np.int64]]:
    """All obstacle edges once, grouped by obstacle: ``edges[offsets[b]:offsets[b] + counts[b]]``.

    Polygons give the edges of every ring; lines (a wall or fence drawn as a line) their segments,
    as ``ObstacleEdges.from_geometries`` does for a single camera.
    """
    parts, owner = shapely.get_parts(buildings, return_index=True)
    types = shapely.get_type_id(parts)
    polygons = types == 3
    lines = (types == 1) | (types == 2)
    rings, ring_part = shapely.get_rings(parts[polygons], return_index=True)
    rings = np.concatenate((rings, parts[lines]))
    ring_owner = np.concatenate((owner[polygons][ring_part], owner[lines]))
    # Each obstacle's edges must be one contiguous slice: order rings and lines by their obstacle.
    order = np.argsort(ring_owner, kind="stable")
    rings, ring_owner = rings[order], ring_owner[order]
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[:-1] == ring_of[1:]
    edge_owner = ring_owner[ring_of[:-1][same]]
    edges = ObstacleEdges(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])
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
    index = starts + np.arange(total)
    return ObstacleEdges(edges.ax[index], edges.ay[index], edges.bx[index], edges.by[index])


def _occlusion(
    coverages: list[Coverage],
    buildings: NDArray[np.object_],
    host_tolerance_m: float,
    step_deg: float,
) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Visible geometry of every coverage and whether any building hides part of it."""
    count = len(coverages)
    sectors = np.asarray([c.geometry for c in coverages], dtype=object)
    visible = sectors.copy()
    occluded = np.zeros(count, dtype=bool)
    if len(buildings) == 0 or count == 0:
        return visible, occluded
    tree = shapely.STRtree(buildings)
    wedges = np.asarray([c.wedge(step_deg) for c in coverages], dtype=object)
    camera_of, building_of = tree.query(wedges, predicate="intersects")
    apexes = shapely.points(np.asarray([c.apex for c in coverages]))
    host = shapely.dwithin(buildings[building_of], apexes[camera_of], host_tolerance_m)
    camera_of, building_of = camera_of[~host], building_of[~host]
    if len(camera_of) == 0:
        return visible, occluded
    edges, offsets, counts = _edge_index(buildings)
    cameras, first = np.unique(camera_of, return_index=True)
    last = np.append(first[1:], len(camera_of))
    stars = np.empty(len(cameras), dtype=object)
    for k, (camera, begin, end) in enumerate(zip(cameras, first, last, strict=True)):
        near = _gather(edges, offsets, counts, building_of[begin:end])
        stars[k] = star_polygon(coverages[camera], near, step_deg)
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
    geometries are in ``geometry_crs`` (EPSG:3006 or EPSG:4326, say). A camera with bad input
    lands in ``errors`` instead of stopping the whole run.
    """
    tolerance = tolerance or IntrusionTolerance()
    east, north, convergence = _grid_positions([c.placement for c in cameras])
    coverages: list[Coverage] = []
    accepted: list[CameraInput] = []
    errors: list[tuple[Hashable, GeoInputError]] = []
    for i, camera in enumerate(cameras):
        try:
            if not (np.isfinite(east[i]) and np.isfinite(north[i]) and np.isfinite(convergence[i])):
                raise GeoInputError(POSITION_ERROR)
            coverages.append(
                coverage_in_grid(
                    camera.placement, camera.optics, camera.range_m, (east[i], north[i]), convergence[i], step_deg
                )
            )
            accepted.append(camera)
        except GeoInputError as error:
            errors.append((camera.id, error))
    building_geometries = _to_grid(np.asarray([b.geometry for b in buildings], dtype=object), geometry_crs)
    zone_geometries = _to_grid(np.asarray([z.geometry for z in zones], dtype=object), geometry_crs)
    visible, occluded = _occlusion(coverages, building_geometries, host_tolerance_m, step_deg)
    runs = np.asarray([c.runs_during_school_hours for c in accepted], dtype=bool)
    reports = _intrusions(coverages, visible, occluded, runs, zones, zone_geometries, tolerance)
    results = tuple(
        CameraResult(camera.id, coverage, visible[i], reports[i])
        for i, (camera, coverage) in enumerate(zip(accepted, coverages, strict=True))
    )
    return BatchResult(results=results, errors=tuple(errors))
