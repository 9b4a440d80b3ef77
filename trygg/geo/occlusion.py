"""What a camera can see when buildings block the view: a visibility polygon by angular sweep.

reference/gis.md §1.5. Rays leave the camera at every arc angle of the coverage sector, at the
bearing of every obstacle vertex and a hair (``SHADOW_EPSILON_DEG``) to either side of it,
where obstacle edges cross the outer circle, and where edges of overlapping obstacles cross each
other. Each ray stops at the first obstacle edge it meets, or else at the sector polygon's outer
chord. Between two neighbouring rays the nearest edge cannot change (a change needs a vertex or
a crossing, and each has its ray), so joining the ray ends gives exactly the visible part of the
sector polygon, and nothing outside it. Only a near clip (tilt and height) needs a further
intersection with the coverage.

The wall a camera hangs on would hide everything if it were an ordinary obstacle: the camera
sits on it. A building whose outline lies within ``HOST_TOLERANCE_M`` of the camera is its host:
the camera looks out of it, over its own wall. A ray heading into the host stops at the camera
(unless it leaves the host again through its nearest wall: a position a little inside the
outline); a ray heading out is stopped by the host's other walls as by any. So a camera on a
courtyard wall sees the courtyard, not the block, and one on a facade sees nothing of the
building behind it. A camera more than the tolerance inside a building has no host: the walls
around it block, and it sees the room it is in. A wall or fence drawn as a line within the
tolerance is one-sided: it hides what lies behind it seen from the side the camera faces (where
the middle of its sector points); a dome on such a line sees over it both ways. Occlusion is 2-D:
building height and mounting height are ignored.
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
    """Straight obstacle edges as coordinate arrays (start x/y, end x/y), EPSG:3006.

    ``outside_right`` is True for an edge of a polygon ring, whose right side (walking from start
    to end) is outside the polygon; False for a line, which has no inside.
    """

    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    bx: NDArray[np.float64]
    by: NDArray[np.float64]
    outside_right: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.ax)

    @classmethod
    def from_geometries(cls, geometries: Iterable[BaseGeometry]) -> ObstacleEdges:
        """Edges of every ring (outer and holes) and line of the given geometries."""
        edges, _owner = edges_by_part(np.asarray(list(geometries), dtype=object))
        return edges

    def take(self, index: NDArray[np.int64]) -> ObstacleEdges:
        return ObstacleEdges(self.ax[index], self.ay[index], self.bx[index], self.by[index], self.outside_right[index])


def edges_by_part(geometries: NDArray[np.object_]) -> tuple[ObstacleEdges, NDArray[np.int64]]:
    """Every edge of the rings and lines of ``geometries``, and the index of the geometry it is from.

    Polygons are oriented first (exterior counter-clockwise, holes clockwise) so the inside is
    always on an edge's left; a wall or fence drawn as a line gives its segments.
    """
    parts, owner = shapely.get_parts(geometries, return_index=True)
    types = shapely.get_type_id(parts)
    polygons = types == _POLYGON
    lines = (types == 1) | (types == 2)
    oriented = shapely.orient_polygons(parts[polygons], exterior_cw=False)
    rings, ring_part = shapely.get_rings(oriented, return_index=True)
    chains = np.concatenate((rings, parts[lines]))
    chain_owner = np.concatenate((owner[polygons][ring_part], owner[lines]))
    chain_is_ring = np.concatenate((np.ones(len(rings), dtype=bool), np.zeros(int(lines.sum()), dtype=bool)))
    coords, chain_of = shapely.get_coordinates(chains, return_index=True)
    # Consecutive vertices of the same ring or line form an edge; rings are closed already.
    same = chain_of[:-1] == chain_of[1:]
    edge_chain = chain_of[:-1][same]
    edges = ObstacleEdges(
        coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same], chain_is_ring[edge_chain]
    )
    return edges, chain_owner[edge_chain]


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

    def distance_to_origin(self) -> NDArray[np.float64]:
        """Shortest distance from the camera (the origin) to each segment."""
        length2 = self.ex**2 + self.ey**2
        with np.errstate(invalid="ignore", divide="ignore"):
            u = np.clip(-(self.ax * self.ex + self.ay * self.ey) / length2, 0.0, 1.0)
        u = np.where(length2 > 0, u, 0.0)
        return np.hypot(self.ax + u * self.ex, self.ay + u * self.ey)


def _line_fronts(coverage: Coverage, lines: _Segments) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """For wall or fence lines the camera is mounted on: the unit normal of the side it faces.

    The side the middle of its sector points to (for a sector running along the line, the side
    the camera stands on). A dome faces no side (zero normal): it sees over the line both ways,
    so that where exactly on its post it is drawn changes nothing.
    """
    if coverage.span_deg >= FULL_CIRCLE_DEG:
        return np.zeros(len(lines)), np.zeros(len(lines))
    length = np.hypot(lines.ex, lines.ey)
    with np.errstate(invalid="ignore", divide="ignore"):
        right_x, right_y = np.where(length > 0, lines.ey / length, 0.0), np.where(length > 0, -lines.ex / length, 0.0)
    # Signed distance of the camera from the line, positive on its right side.
    camera_side = -(lines.ax * right_x + lines.ay * right_y)
    side = np.where(np.abs(camera_side) > 1e-9, np.sign(camera_side), 0.0)
    mid = math.radians(coverage.mid_grid_deg)
    facing = right_x * math.sin(mid) + right_y * math.cos(mid)
    side = np.where(np.abs(facing) > 1e-12, np.sign(facing), side)
    return side * right_x, side * right_y


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


def _ray_angles(
    coverage: Coverage, edges: _Segments, arc: _Arc, mount: NDArray[np.bool_], hosted: bool = False
) -> NDArray[np.float64]:
    """Ray directions relative to the sector start, sorted, within [0, span].

    ``hosted``: the camera hangs on a building, so where its own wall crosses another building's
    wall a ray may switch from stopped to seeing: rays beside those crossings too.
    """
    start, span, far = coverage.start_grid_deg, coverage.span_deg, coverage.far_m
    full = span >= FULL_CIRCLE_DEG
    # Ends too, for open lines; shared ring vertices give identical values and merge in unique().
    vertex = np.degrees(
        np.arctan2(np.concatenate((edges.ax, edges.ax + edges.ex)), np.concatenate((edges.ay, edges.ay + edges.ey)))
    )
    if mount.any():
        # A mounting wall hides from where a ray turns to its back (parallel to it) to where the
        # ray's backward line leaves its ends (opposite its vertices).
        wall = np.degrees(np.arctan2(edges.ex[mount], edges.ey[mount]))
        behind = np.concatenate((vertex[np.concatenate((mount, mount))], wall)) + 180.0
        vertex = np.concatenate((vertex, wall, behind))
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
    if hosted:
        inner = np.degrees(np.arctan2(between_x, between_y))
        vertex = np.concatenate((vertex, inner[between_x**2 + between_y**2 <= far * far]))
    relative = np.concatenate((vertex - SHADOW_EPSILON_DEG, vertex, vertex + SHADOW_EPSILON_DEG, crossing))
    relative = (relative - start) % FULL_CIRCLE_DEG
    if full:
        return np.unique(np.concatenate((arc.angles[:-1], relative)))
    return np.unique(np.concatenate((arc.angles, relative[relative <= span])))


@dataclass(frozen=True)
class _Hits:
    """Per ray: distance to the first edge met (inf for none) and, over the edges met there (a
    vertex is met by two), whether any is entered from its right side and whether any is marked."""

    t: NDArray[np.float64]
    entering: NDArray[np.bool_]
    marked: NDArray[np.bool_]


def _first_hits(
    dx: NDArray[np.float64],
    dy: NDArray[np.float64],
    edges: _Segments,
    after: NDArray[np.float64] | float = 0.0,
    front: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    marked: NDArray[np.bool_] | None = None,
) -> _Hits:
    """What each ray (direction dx, dy from the origin) meets first, farther than ``after``.

    With ``front`` (unit normals), the edges are mounting walls drawn as lines: a ray is stopped
    by one only when it heads to the wall's back, and then at the wall even if the camera stands a
    little behind it (a position a few decimetres off).
    """
    count = len(dx)
    result = _Hits(np.full(count, np.inf), np.zeros(count, dtype=bool), np.zeros(count, dtype=bool))
    if len(edges) == 0 or count == 0:
        return result
    ax, ay, ex, ey = edges.ax, edges.ay, edges.ex, edges.ey
    after = np.broadcast_to(np.asarray(after, dtype=float), (count,))
    chunk = max(1, _CHUNK_ELEMENTS // len(ax))
    cross_ae = ax * ey - ay * ex
    # A ray through a vertex hits it (ending neither edge early), but one passing it at the
    # shadow offset (1e-6°, 1.7e-8 m at 1 m) must not: the slack is 1e-10 m along the edge.
    with np.errstate(divide="ignore"):
        slack = _VERTEX_SLACK_M / np.hypot(ex, ey)
    for begin in range(0, count, chunk):
        rows = slice(begin, begin + chunk)
        rx, ry = dx[rows, None], dy[rows, None]
        # Ray apex + t·d meets edge A + u·e where t = (A×e)/(d×e) and u = (A×d)/(d×e).
        denom = rx * ey - ry * ex
        with np.errstate(invalid="ignore", divide="ignore"):
            t = cross_ae / denom
            u = (ax * ry - ay * rx) / denom
        hits = (np.abs(denom) > 1e-12) & (u >= -slack) & (u <= 1 + slack)
        if front is None:
            hits &= t > after[rows, None]
        else:
            hits &= rx * front[0] + ry * front[1] < 0
            t = np.maximum(t, 0.0)
        t = np.where(hits, t, np.inf)
        first = t.min(axis=1, initial=np.inf)
        result.t[rows] = first
        if marked is not None:
            tied = hits & (t <= first[:, None] + 1e-9)
            # The inside of an oriented ring is on an edge's left: d·left > 0 means entering.
            result.entering[rows] = (tied & (ry * ex - rx * ey > 0)).any(axis=1)
            result.marked[rows] = (tied & marked).any(axis=1)
    return result


#: How far past its ends (metres) an edge still stops a ray: covers rounding at shared vertices.
_VERTEX_SLACK_M = 1e-10

#: Crossings nearer the camera than this are its own wall passing through it, not an obstacle.
_STEP_OFF_M = 1e-6


def host_region(
    obstacles: NDArray[np.object_], apex: tuple[float, float], tolerance_m: float
) -> NDArray[np.object_] | None:
    """The buildings (polygons) whose outline lies within ``tolerance_m`` of the camera.

    These are the buildings the camera is mounted on; None when it hangs on none.
    """
    polygons = obstacles[np.isin(shapely.get_type_id(obstacles), (_POLYGON, _MULTIPOLYGON))]
    if len(polygons) == 0:
        return None
    hosts = polygons[shapely.dwithin(shapely.boundary(polygons), shapely.Point(apex), tolerance_m)]
    return hosts if len(hosts) else None


def _inside_any(hosts: NDArray[np.object_], x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether each point lies in one of ``hosts`` (no union needed: overlapping outlines are fine)."""
    inside = np.zeros(len(x), dtype=bool)
    for host in hosts:
        inside |= shapely.contains_xy(host, x, y)
    return inside


def star_polygon(
    coverage: Coverage,
    edges: ObstacleEdges,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
    host_tolerance_m: float = HOST_TOLERANCE_M,
    host: NDArray[np.object_] | None = None,
) -> Polygon | MultiPolygon:
    """What the apex sees within the sector's directions, out to the sector's outer chords.

    ``host`` holds the buildings the camera hangs on (``host_region``): a ray that heads into one
    is stopped at the camera unless it leaves it again through the camera's own wall (the
    nearest, when the position lies a little inside the outline); a ray that heads away is
    stopped by their other walls as by any. Wall or fence lines within ``host_tolerance_m`` are
    one-sided (module docstring). Lies inside the (unclipped) sector polygon;
    ``visible_from_edges`` applies the near clip.
    """
    x0, y0 = coverage.apex
    # Work relative to the apex: SWEREF northings are ~6.6e6 m and would eat the precision.
    segments = _Segments(edges.ax - x0, edges.ay - y0, edges.bx - edges.ax, edges.by - edges.ay)
    distance_to_edge = segments.distance_to_origin()
    near = distance_to_edge <= host_tolerance_m
    line_mount = near & ~edges.outside_right
    arc = _Arc.of(coverage, step_deg)
    relative = _ray_angles(coverage, segments, arc, line_mount, hosted=host is not None)
    radians = np.radians(coverage.start_grid_deg + relative)
    dx, dy = np.sin(radians), np.cos(radians)
    distance = arc.distance(relative, coverage.far_m)
    # Edges through the camera itself (its wall) never stop a ray at its start.
    after = np.full(len(dx), _STEP_OFF_M)
    stopped = np.zeros(len(dx), dtype=bool)
    if host is not None:
        is_wall = edges.outside_right & ~line_mount
        # The camera's own wall is the nearest (two at a corner), not every wall within reach.
        own = near & is_wall & (distance_to_edge <= distance_to_edge[is_wall].min(initial=np.inf) + 1e-9)
        first = _first_hits(dx, dy, segments.select(is_wall), _STEP_OFF_M, marked=own[is_wall])
        # A ray whose first wall is the camera's own, crossed to its outside (entering no other
        # building there), started just inside the outline and looks out: the sign of the
        # crossing is exact where a test of points beside the own wall would drown in rounding.
        through_own_wall = np.isfinite(first.t) & ~first.entering & first.marked
        after = np.where(through_own_wall, first.t + 1e-9, after)
        # Any other ray that runs inside the host up to its first wall heads into the building
        # behind the camera. Up to that wall it is wholly inside or outside: test halfway.
        other = np.flatnonzero(~through_own_wall)
        probe = np.minimum(first.t[other], coverage.far_m) / 2
        stopped[other] = _inside_any(host, x0 + probe * dx[other], y0 + probe * dy[other])
    distance = np.minimum(distance, _first_hits(dx, dy, segments.select(~line_mount), after).t)
    if line_mount.any():
        front = _line_fronts(coverage, segments.select(line_mount))
        distance = np.minimum(distance, _first_hits(dx, dy, segments.select(line_mount), front=front).t)
    distance[stopped] = 0.0
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
    coverage: Coverage,
    edges: ObstacleEdges,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
    host_tolerance_m: float = HOST_TOLERANCE_M,
    host: NDArray[np.object_] | None = None,
) -> Polygon | MultiPolygon:
    """The visible part of ``coverage`` given the edges of every obstacle near it and its hosts."""
    if coverage.geometry.is_empty or len(edges) == 0:
        return coverage.geometry
    star = star_polygon(coverage, edges, step_deg, host_tolerance_m, host)
    if coverage.near_m == 0:
        return star
    return clean_polygonal(shapely.intersection(star, coverage.geometry))


def visible_coverage(
    coverage: Coverage,
    obstacles: Iterable[BaseGeometry],
    host_tolerance_m: float = HOST_TOLERANCE_M,
    step_deg: float = DEFAULT_ARC_STEP_DEG,
) -> Polygon | MultiPolygon:
    """The part of ``coverage`` not hidden by ``obstacles`` (building footprints, walls, fences; EPSG:3006).

    Obstacles away from the sector are ignored; a building whose outline lies within
    ``host_tolerance_m`` of the camera is the one it hangs on: the camera looks out over its own
    wall, not into the building (module docstring). The result is always a valid Polygon or
    MultiPolygon (a near clip can cut it into pieces). Obstacles must be valid geometries with
    finite coordinates (the batch checks this and reports the cameras they would affect).
    """
    if coverage.geometry.is_empty:
        return coverage.geometry
    candidates = np.asarray(list(obstacles), dtype=object)
    if len(candidates) == 0:
        return coverage.geometry
    candidates = candidates[shapely.intersects(candidates, coverage.wedge(step_deg))]
    if len(candidates) == 0:
        return coverage.geometry
    host = host_region(candidates, coverage.apex, host_tolerance_m)
    edges = ObstacleEdges.from_geometries(candidates)
    return visible_from_edges(coverage, edges, step_deg, host_tolerance_m, host)
