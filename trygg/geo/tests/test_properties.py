"""Properties that must hold for any camera and any buildings (hypothesis)."""

import math

import shapely
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import Point, Polygon

from trygg.geo.intrusion import ZoneInput, ZoneRule, assess_intrusion
from trygg.geo.occlusion import HOST_TOLERANCE_M, visible_coverage
from trygg.geo.tests.scene import APEX, grid_coverage, rect

# Moderate, so the whole geo suite stays well under 30 s on two cores; no example database, so
# the suite writes no files (a failure prints its example, enough to reproduce it).
SETTINGS = settings(max_examples=60, deadline=None, database=None)
ANY_COUNT = st.integers(0, 6)

bearings = st.floats(0, 360, allow_nan=False, exclude_max=True)
hfovs = st.floats(5, 180, allow_nan=False)
ranges = st.floats(5, 60, allow_nan=False)


@st.composite
def buildings(draw, count=ANY_COUNT):
    """Rotated rectangles scattered within 50 m of the camera."""
    result = []
    for _ in range(draw(count)):
        x = draw(st.floats(-50, 50, allow_nan=False))
        y = draw(st.floats(-50, 50, allow_nan=False))
        width = draw(st.floats(1, 20, allow_nan=False))
        depth = draw(st.floats(1, 20, allow_nan=False))
        angle = draw(st.floats(0, 90, allow_nan=False))
        result.append(affinity.rotate(rect(x, y, x + width, y + depth), angle, origin="centroid"))
    return result


def _near_host_limit(obstacle) -> bool:
    """A building right at the host tolerance may flip between host and obstacle on rounding."""
    return abs(obstacle.distance(Point(APEX)) - HOST_TOLERANCE_M) < 1e-6


def tilt_or_not(draw):
    """Half the examples with a tilt/height clip, half without."""
    if draw(st.booleans()):
        return {"height_m": draw(st.floats(2, 12)), "tilt_deg": draw(st.floats(5, 60)), "vfov": 40.0}
    return {}


@SETTINGS
@given(bearings, hfovs, ranges, buildings(), st.data())
def test_visible_lies_within_sector_and_is_valid(bearing, hfov, range_m, obstacles, data):
    coverage = grid_coverage(bearing, hfov, range_m, **tilt_or_not(data.draw))
    visible = visible_coverage(coverage, obstacles)
    assert visible.geom_type in ("Polygon", "MultiPolygon")
    assert visible.is_valid
    assert visible.difference(coverage.geometry).area < 1e-6
    assert visible.area <= coverage.area_m2 + 1e-6


@SETTINGS
@given(bearings, hfovs, ranges, st.data())
def test_sector_area_bounded_by_exact_sector(bearing, hfov, range_m, data):
    coverage = grid_coverage(bearing, hfov, range_m, **tilt_or_not(data.draw))
    # ½·θ·(far² − near²) is the exact annulus sector; the polygon's chords only cut it, and by
    # at most the n-gon deficit: θ − n·sin(θ/n) ≤ θ·(step)²/6 with step = 2° in radians.
    exact = 0.5 * math.radians(coverage.span_deg) * max(0.0, coverage.far_m**2 - coverage.near_m**2)
    assert coverage.area_m2 <= exact + 1e-9
    assert coverage.area_m2 >= exact * (1 - math.radians(2) ** 2 / 6) - 1e-9


@SETTINGS
@given(bearings, hfovs, ranges, buildings(st.integers(2, 6)))
def test_separate_buildings_hide_what_their_union_hides(bearing, hfov, range_m, obstacles):
    # Overlapping footprints (common in real data) must shade like one merged building; their
    # crossing walls make boundary vertices that belong to neither footprint.
    assume(not any(_near_host_limit(o) for o in obstacles))
    # A host building merged with a neighbour would make the neighbour a host too: leave hosts out.
    obstacles = [o for o in obstacles if o.distance(Point(APEX)) > HOST_TOLERANCE_M]
    assume(obstacles)
    coverage = grid_coverage(bearing, hfov, range_m)
    separate = visible_coverage(coverage, obstacles)
    merged = visible_coverage(coverage, list(shapely.get_parts(shapely.union_all(obstacles))))
    assert shapely.symmetric_difference(separate, merged).area < 1e-6


@SETTINGS
@example(  # found by hypothesis: two overlapping walls, whose crossing is a vertex of neither
    bearing=20.0,
    hfov=5.0,
    range_m=20.0,
    extra=1.0,
    obstacles=[
        Polygon(
            [
                (700000.0098, 6630017.3779),
                (700014.0077, 6630017.6222),
                (700013.9902, 6630018.6221),
                (699999.9923, 6630018.3778),
            ]
        ),
        rect(0, 17.5, 8, 18.5),
    ],
)
@given(bearings, hfovs, ranges, st.floats(0.5, 30), buildings())
def test_area_grows_with_range(bearing, hfov, range_m, extra, obstacles):
    near = grid_coverage(bearing, hfov, range_m)
    far = grid_coverage(bearing, hfov, range_m + extra)
    assert far.area_m2 > near.area_m2
    # Seeing farther never shows less, with or without buildings in the way.
    assert visible_coverage(far, obstacles).area >= visible_coverage(near, obstacles).area - 1e-6


@SETTINGS
@given(bearings, hfovs, ranges, buildings(st.integers(1, 6)), st.floats(-180, 180, allow_nan=False))
def test_rotating_everything_changes_no_area(bearing, hfov, range_m, obstacles, turn):
    assume(not any(_near_host_limit(o) for o in obstacles))
    before = visible_coverage(grid_coverage(bearing, hfov, range_m), obstacles)
    # Bearings turn clockwise, shapely's rotate counter-clockwise: turn the buildings by −turn.
    turned = [affinity.rotate(o, -turn, origin=APEX) for o in obstacles]
    after = visible_coverage(grid_coverage((bearing + turn) % 360, hfov, range_m), turned)
    assert abs(after.area - before.area) <= 1e-6 * max(1.0, before.area) + 1e-6


@SETTINGS
@given(
    bearings,
    st.floats(30, 120),
    st.floats(5, 15),  # distance to the building's front face
    st.floats(3, 10),  # half-width of the building
    st.floats(1, 5),  # building depth
    st.floats(0.1, 0.9),  # zone half-width as a share of the building half-width
    st.floats(0.5, 5),  # gap between the building's back and the zone
    st.floats(1, 8),  # zone depth
)
def test_zone_behind_building_is_hidden(bearing, hfov, front, half_width, depth, share, gap, zone_depth):
    # Built facing north, then everything turned to ``bearing``. The shadow of the front face widens
    # with distance, so a zone narrower than the building behind it lies wholly in the shadow.
    building = rect(-half_width, front, half_width, front + depth)
    start = front + depth + gap
    zone_half = share * half_width
    zone = rect(-zone_half, start, zone_half, start + zone_depth)
    range_m = start + zone_depth + 5
    # The zone must lie inside the sector: its far corners' angle < HFOV/2.
    if math.degrees(math.atan2(zone_half, start)) >= hfov / 2:
        return
    building, zone = (affinity.rotate(g, -bearing, origin=APEX) for g in (building, zone))
    coverage = grid_coverage(bearing, hfov, range_m)
    visible = visible_coverage(coverage, [building])
    (finding,) = assess_intrusion(coverage, [ZoneInput("z", zone, ZoneRule.MUST_NOT_MONITOR)], True, visible).findings
    assert finding.area_m2_without_occlusion > 0
    assert finding.area_m2 == 0
    assert not finding.intrudes


@SETTINGS
@given(bearings, hfovs, ranges, st.floats(0.05, 0.95), st.floats(1, 30), st.floats(1, 20), buildings())
def test_zone_outside_sector_is_never_intruded(bearing, hfov, range_m, where, size, distance, obstacles):
    coverage = grid_coverage(bearing, hfov, range_m)
    # Centre the zone in the angular gap the camera does not see, or beyond its range.
    gap_bearing = bearing + hfov / 2 + where * (360 - hfov)
    cx, cy = (distance * math.sin(math.radians(gap_bearing)), distance * math.cos(math.radians(gap_bearing)))
    zone = rect(cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2)
    beyond = affinity.translate(rect(-size / 2, 0, size / 2, size), *_polar(bearing, range_m + 0.1))
    zones = [ZoneInput(i, z, ZoneRule.MUST_NOT_MONITOR) for i, z in enumerate((zone, beyond))]
    zones = [z for z in zones if z.geometry.intersection(coverage.geometry).area == 0]
    report = assess_intrusion(coverage, zones, True, visible_coverage(coverage, obstacles))
    assert report.findings == ()
    assert report.mask.is_empty


def _polar(bearing: float, distance: float) -> tuple[float, float]:
    return distance * math.sin(math.radians(bearing)), distance * math.cos(math.radians(bearing))


@SETTINGS
@given(bearings, st.floats(10, 170), ranges, st.floats(5, 60), st.booleans())
def test_zone_sharing_an_edge_is_not_intruded(bearing, hfov, range_m, outward, clockwise_edge):
    # A triangle glued from outside onto one straight edge of the sector (apex → first or last
    # arc vertex), opening ``outward`` degrees away from the sector.
    coverage = grid_coverage(bearing, hfov, range_m)
    coords = list(coverage.geometry.exterior.coords)
    edge_end = coords[-2] if clockwise_edge else coords[1]
    edge_bearing = bearing + hfov / 2 if clockwise_edge else bearing - hfov / 2
    outside = edge_bearing + outward if clockwise_edge else edge_bearing - outward
    dx, dy = _polar(outside, range_m)
    zone = Polygon([APEX, edge_end, (APEX[0] + dx, APEX[1] + dy)])
    report = assess_intrusion(coverage, [ZoneInput("edge", zone, ZoneRule.MUST_NOT_MONITOR)], True)
    assert report.findings == ()
