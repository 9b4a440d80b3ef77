"""What a camera can see when buildings block the view: a visibility polygon by angular sweep.

reference/gis.md §1.5. Rays leave the camera at every arc angle of the coverage sector, at the
bearing of every obstacle vertex and a hair (``SHADOW_EPSILON_DEG``) to either side of it,
where obstacle edges cross the outer circle, and where edges of overlapping obstacles cross each
other. Each ray stops at the first obstacle edge it meets, or else at the sector polygon's outer
chord. Between two neighbouring rays the nearest edge cannot change (a change needs a vertex or
a crossing, and each has its ray), so joining the ray ends gives exactly the visible part of the
sector polygon, and nothing outside it. Only a near clip (tilt and height) needs a further
intersection with the coverage.

The building the camera hangs on (the host, containing or within ``HOST_TOLERANCE_M`` of the
camera) is not an obstacle: a wall-mounted camera sits on its outline and would see nothing.
Occlusion is 2-D: building height and mounting height are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from trygg.geo.coverage import DEFAULT_ARC_STEP_DEG, FULL_CIRCLE_DEG, Coverage, arc_angles_deg

#: Distance within which a building counts as the one the camera is mounted on.
HOST_TOLERANCE_M = 0.5

#: Offset of the extra rays beside each obstacle vertex (gis.md §1.5), so shadow edges are exact.
SHADOW_EPSILON_DEG = 1e-6

#: Rays × edges handled in one numpy step; bounds memory for very large obstacle sets.
_CHUNK_ELEMENTS = 2_000_000

_POLYGON = 3
_MULTIPOLYGON = 6


@dataclass(frozen=True)
class ObstacleEdges:
    """Straight obstacle edges as four coordinate arrays (start x/y, end x/y), EPSG:3006."""

    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    bx: NDArray[np.float64]
    by: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.ax)

    @classmethod
    def from_geometries(cls, geometries: Iterable[BaseGeometry]) -> ObstacleEdges:
        """Edges of every ring (outer and holes) and line of the given geometries."""
        parts = shapely.get_parts(np.asarray(list(geometries), dtype=object))
        types = shapely.get_type_id(parts)
        lines = np.concatenate((shapely.get_rings(parts[types == _POLYGON]), parts[(types == 1) | (types == 2)]))
        coords, index = shapely.get_coordinates(lines, return_index=True)
        # Consecutive vertices of the same ring or line form an edge; rings are closed already.
        same = index[:-1] == index[1:]
        return cls(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])


Points = tuple[NDArray[np.float64], NDArray[np.float64]]


@dataclass(frozen=True)
class _Segments:
    """Segments as start point (ax, ay) and direction (ex, ey), relative to the camera."""

    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    ex: NDArray[np.float64]
    ey: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.ax)

    def select(self, rows: NDArray[np.bool_]) -> _Segments:
        return _Segments(self.ax[rows], self.ay[rows], self.ex[rows], self.ey[rows])


def _crossings(first: _Segments, second: _Segments, distinct_pairs: bool) -> Points:
    """Points where a segment of ``first`` properly crosses one of ``second``.

    With ``distinct_pairs`` the two sets are the same and each pair is taken once.
    """
    xs, ys = [np.empty(0)], [np.empty(0)]
    count = len(second)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, count))
    for begin in range(0, len(first), chunk):
        rows = slice(begin, begin + chunk)
        ax, ay, ex, ey = first.ax[rows], first.ay[rows], first.ex[rows], first.ey[rows]
        # Edge i: A_i + s·e_i, edge j: C_j + t·f_j, w = C_j − A_i:
        # s = (w×f_j)/(e_i×f_j), t = (w×e_i)/(e_i×f_j).
        denom = ex[:, None] * second.ey - ey[:, None] * second.ex
        wx, wy = second.ax - ax[:, None], second.ay - ay[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            s = (wx * second.ey - wy * second.ex) / denom
            t = (wx * ey[:, None] - wy * ex[:, None]) / denom
        hit = (np.abs(denom) > 1e-12) & (s > 0) & (s < 1) & (t > 0) & (t < 1)
        if distinct_pairs:
            hit &= np.arange(count) > np.arange(begin, begin + len(ax))[:, None]
        i = np.nonzero(hit)[0]
        xs.append(ax[i] + s[hit] * ex[i])
        ys.append(ay[i] + s[hit] * ey[i])
    return np.concatenate(xs), np.concatenate(ys)


@dataclass(frozen=True)
class _Arc:
    """The outer boundary of the sector polygon as chords, in directions relative to its start."""

    step: float  # angle between arc vertices (degrees)
    segments: int
    angles: NDArray[np.float64]  # vertex directions, relative, 0 … span
    chords: _Segments

    @classmethod
    def of(cls, coverage: Coverage, step_deg: float) -> _Arc:
        full = coverage.span_deg >= FULL_CIRCLE_DEG
        # Exactly the vertices ``sector_polygon`` uses, so the star ends on the sector's chords.
        angles = arc_angles_deg(0.0, FULL_CIRCLE_DEG if full else coverage.span_deg, step_deg)
        radians = np.radians(coverage.start_grid_deg + angles)
        px, py = coverage.far_m * np.sin(radians), coverage.far_m * np.cos(radians)
        chords = _Segments(px[:-1], py[:-1], np.diff(px), np.diff(py))
        return cls(float(angles[1] - angles[0]), len(angles) - 1, angles, chords)

    def distance(self, relative: NDArray[np.float64], far: float) -> NDArray[np.float64]:
        """Distance from the apex to the chord along each direction."""
        segment = np.clip(np.floor(relative / self.step), 0, self.segments - 1)
        offset = np.radians(relative - (segment + 0.5) * self.step)
        return far * math.cos(math.radians(self.step / 2)) / np.cos(offset)


def _ray_angles(coverage: Coverage, edges: _Segments, arc: _Arc) -> NDArray[np.float64]:
    """Ray directions relative to the sector start, sorted, within [0, span]."""
    start, span, far = coverage.start_grid_deg, coverage.span_deg, coverage.far_m
    full = span >= FULL_CIRCLE_DEG
    # Ends too, for open lines; shared ring vertices give identical values and merge in unique().
    vertex = np.degrees(
        np.arctan2(np.concatenate((edges.ax, edges.ax + edges.ex)), np.concatenate((edges.ay, edges.ay + edges.ey)))
    )
    # Where two walls cross, or a wall crosses the outer chords, the boundary changes edge at a
    # point that is no vertex. Only edges reaching past the chords' inner radius can cross them.
    between_x, between_y = _crossings(edges, edges, distinct_pairs=True)
    reach = np.maximum(np.hypot(edges.ax, edges.ay), np.hypot(edges.ax + edges.ex, edges.ay + edges.ey))
    outer = reach >= far * math.cos(math.radians(arc.step / 2)) - 1e-9
    rim_x, rim_y = _crossings(edges.select(outer), arc.chords, distinct_pairs=False)
    crossing_x = np.concatenate((between_x, rim_x))
    crossing_y = np.concatenate((between_y, rim_y))
    within = crossing_x**2 + crossing_y**2 <= far * far
    crossing = np.degrees(np.arctan2(crossing_x[within], crossing_y[within]))
    relative = np.concatenate((vertex - SHADOW_EPSILON_DEG, vertex, vertex + SHADOW_EPSILON_DEG, crossing))
    relative = (relative - start) % FULL_CIRCLE_DEG
    if full:
        return np.unique(np.concatenate((arc.angles[:-1], relative)))
    return np.unique(np.concatenate((arc.angles, relative[relative <= span])))


def star_polygon(
    coverage: Coverage, edges: ObstacleEdges, step_deg: float = DEFAULT_ARC_STEP_DEG
) -> Polygon | MultiPolygon:
    """What the apex sees within the sector's directions, out to the sector's outer chords.

    Lies inside the (unclipped) sector polygon; ``visible_from_edges`` applies the near clip.
    """
    x0, y0 = coverage.apex
    # Work relative to the apex: SWEREF northings are ~6.6e6 m and would eat the precision.
    ax, ay = edges.ax - x0, edges.ay - y0
    ex, ey = edges.bx - edges.ax, edges.by - edges.ay
    arc = _Arc.of(coverage, step_deg)
    relative = _ray_angles(coverage, _Segments(ax, ay, ex, ey), arc)
    radians = np.radians(coverage.start_grid_deg + relative)
    dx, dy = np.sin(radians), np.cos(radians)
    distance = arc.distance(relative, coverage.far_m)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, len(ax)))
    cross_ae = ax * ey - ay * ex
    for begin in range(0, len(relative), chunk):
        rx, ry = dx[begin : begin + chunk, None], dy[begin : begin + chunk, None]
        # Ray apex + t·d meets edge A + u·e where t = (A×e)/(d×e) and u = (A×d)/(d×e).
        denom = rx * ey - ry * ex
        with np.errstate(invalid="ignore", divide="ignore"):
            t = cross_ae / denom
            u = (ax * ry - ay * rx) / denom
        hits = (np.abs(denom) > 1e-12) & (t >= 0) & (u >= -1e-9) & (u <= 1 + 1e-9)
        nearest = np.where(hits, t, np.inf).min(axis=1, initial=np.inf)
        distance[begin : begin + chunk] = np.minimum(distance[begin : begin + chunk], nearest)
    ring = np.column_stack((x0 + distance * dx, y0 + distance * dy))
    if coverage.span_deg < FULL_CIRCLE_DEG:
        ring = np.vstack(([coverage.apex], ring))
    star = Polygon(ring)
    return star if star.is_valid else clean_polygonal(star)


def clean_polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygonal part of a geometry as a valid Polygon or MultiPolygon (empty if none).

    Intersections can return slivers as lines or points beside the areas; those have no area
    and are dropped.
    """
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    type_id = shapely.get_type_id(geometry)
    if type_id in (_POLYGON, _MULTIPOLYGON):
        return geometry  # type: ignore[return-value]
    parts = [p for p in shapely.get_parts(geometry) if shapely.get_type_id(p) in (_POLYGON, _MULTIPOLYGON)]
    polygons = [q for p in parts for q in shapely.get_parts(p)]
    if not polygons:
        return Polygon()
    if len(polygons) == 1:
        return polygons[0]  # type: ignore[no-any-return]
    merged = shapely.union_all(polygons)
    return merged if shapely.get_type_id(merged) in (_POLYGON, _MULTIPOLYGON) else MultiPolygon(polygons)


def visible_from_edges(
    coverage: Coverage, edges: ObstacleEdges, step_deg: float = DEFAULT_ARC_STEP_DEG
) -> Polygon | MultiPolygon:
    """The visible part of ``coverage`` given the edges of every (non-host) obstacle near it."""
    if coverage.geometry.is_empty or len(edges) == 0:
        return coverage.geometry
    star = star_polygon(coverage, edges, step_deg)
    if coverage.near_m == 0:
        return star
    return clean_polygonal(shapely.intersection(star, coverage.geometry))


def host_mask(obstacles: NDArray[np.object_], apex: tuple[float, float], tolerance_m: float) -> NDArray[np.bool_]:
    """Which obstacles the camera is mounted on: containing it or within ``tolerance_m``."""
    return np.asarray(shapely.dwithin(obstacles, shapely.Point(apex), tolerance_m), dtype=bool)


def visible_coverage(
    coverage: Coverage,
    obstacles: Iterable[BaseGeometry],
    host_tolerance_m: float = HOST_TOLERANCE_M,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
) -> Polygon | MultiPolygon:
    """The part of ``coverage`` not hidden by ``obstacles`` (building footprints, EPSG:3006).

    Obstacles away from the sector are ignored; the host building is never an obstacle. The
    result is always a valid Polygon or MultiPolygon (a near clip can cut it into pieces).
    """
    if coverage.geometry.is_empty:
        return coverage.geometry
    candidates = np.asarray(list(obstacles), dtype=object)
    if len(candidates) == 0:
        return coverage.geometry
    near = shapely.intersects(candidates, coverage.wedge(step_deg))
    candidates = candidates[near & ~host_mask(candidates, coverage.apex, host_tolerance_m)]
    if len(candidates) == 0:
        return coverage.geometry
    return visible_from_edges(coverage, ObstacleEdges.from_geometries(candidates), step_deg)
