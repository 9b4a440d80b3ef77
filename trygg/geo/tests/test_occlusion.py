"""Visibility polygons on scenes small enough to compute by hand."""

import math

import pytest
from shapely.geometry import LineString, Point, Polygon

from trygg.geo.coverage import CameraType
from trygg.geo.occlusion import ObstacleEdges, visible_coverage
from trygg.geo.tests.scene import APEX, grid_coverage, rect


def exact_sector(span_deg: float, radius: float) -> float:
    return 0.5 * math.radians(span_deg) * radius**2


def is_valid_polygonal(geometry) -> bool:
    return geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid


def test_box_in_front_casts_exact_shadow():
    # Camera looks east (grid 90°), HFOV 90°, r = 22. A 3 × 4 m building at x 5..8, y −2..2.
    # Hidden = everything beyond the front face x = 5 within ±atan(2/5) = ±21.801°:
    # sector part ½·0.761013 rad·22² = 184.165 minus the triangle apex–(5,±2), 10 m² → 174.165.
    # Visible = 380.133 (exact sector) − 174.165 = 205.968; the 2° arc chords make it up to
    # 0.05 m² smaller, so tolerance 0.1 m².
    coverage = grid_coverage(bearing=90.0, hfov=90.0, range_m=22.0)
    visible = visible_coverage(coverage, [rect(5, -2, 8, 2)])
    hidden = exact_sector(2 * math.degrees(math.atan2(2, 5)), 22) - 10
    assert hidden == pytest.approx(174.165, abs=1e-3)
    assert visible.area == pytest.approx(exact_sector(90, 22) - hidden, abs=0.1)
    assert is_valid_polygonal(visible)
    assert not visible.contains(Point(APEX[0] + 15, APEX[1]))  # behind the building
    assert visible.contains(Point(APEX[0] + 4, APEX[1]))  # in front of it
    assert visible.contains(Point(APEX[0] + 15, APEX[1] + 8))  # beside the shadow (8/15 > 2/5)


def test_shadow_edge_is_sharp():
    # The shadow boundary is the ray through the corner (5, 2): points a centimetre either side
    # of it at 15 m are visible and hidden respectively.
    coverage = grid_coverage(bearing=90.0, hfov=90.0, range_m=22.0)
    visible = visible_coverage(coverage, [rect(5, -2, 8, 2)])
    edge_y = 15 * 2 / 5
    assert visible.contains(Point(APEX[0] + 15, APEX[1] + edge_y + 0.01))
    assert not visible.contains(Point(APEX[0] + 15, APEX[1] + edge_y - 0.01))


def test_host_building_is_not_an_obstacle():
    # Camera on the east wall of a building (its outline passes through the apex) looking east,
    # and a camera inside a building 0.3 m from the wall: both see the full sector.
    coverage = grid_coverage(bearing=90.0, hfov=100.0, range_m=20.0)
    on_wall = rect(-10, -5, 0, 5)
    assert visible_coverage(coverage, [on_wall]).equals(coverage.geometry)
    around = rect(-10, -5, 0.3, 5)
    assert visible_coverage(coverage, [around]).equals(coverage.geometry)
    # 0.6 m away is a different building and does block (beyond the host tolerance of 0.5 m).
    in_front = rect(0.6, -5, 3, 5)
    assert visible_coverage(coverage, [in_front]).area < coverage.area_m2 / 2


def test_obstacle_partly_inside_sector_hides_what_is_behind_it():
    # Sector east, HFOV 60° (edges at bearings 60° and 120°). A wall from (8, −2) to (8, 12) pokes
    # out through the northern edge: the part of the sector behind x = 8 north of the ray through
    # (8, −2) is hidden, including near the sector edge where no vertex of the wall lies.
    coverage = grid_coverage(bearing=90.0, hfov=60.0, range_m=25.0)
    wall = rect(8, -2, 9, 12)
    visible = visible_coverage(coverage, [wall])
    behind_near_edge = Point(APEX[0] + 20, APEX[1] + 11)  # bearing 61.2°, inside the sector
    assert coverage.geometry.contains(behind_near_edge)
    assert not visible.contains(behind_near_edge)
    # Hidden = sector part beyond x = 8 between bearing 60° and the ray through (8, −2)
    # (bearing 104.04°): ½·r²·Δθ − triangle(apex, (8, −2), (8, 8·tan 30°)) by hand.
    top = 8 / math.tan(math.radians(60))  # y where the 60° edge meets x = 8: 4.6188
    triangle = 0.5 * 8 * (top + 2)
    hidden = exact_sector(104.0362 - 60, 25) - triangle
    assert visible.area == pytest.approx(exact_sector(60, 25) - hidden, abs=0.15)
    assert is_valid_polygonal(visible)


def test_obstacle_beyond_range_changes_nothing():
    coverage = grid_coverage(bearing=0.0, hfov=90.0, range_m=15.0)
    assert visible_coverage(coverage, [rect(-5, 30, 5, 40)]).equals(coverage.geometry)
    assert visible_coverage(coverage, []).equals(coverage.geometry)


def test_overlapping_and_multipart_obstacles():
    # Two overlapping buildings behave like their union.
    coverage = grid_coverage(bearing=0.0, hfov=120.0, range_m=30.0)
    first, second = rect(-4, 6, 2, 9), rect(0, 7, 5, 12)
    apart = visible_coverage(coverage, [first, second])
    joined = visible_coverage(coverage, [first.union(second)])
    assert apart.symmetric_difference(joined).area < 1e-6
    assert is_valid_polygonal(apart)


def test_near_clip_still_blocked_by_obstacle_inside_it():
    # h = 5, τ = 30°, VFOV 42.761: footprint starts at 3.994 m. A 0.6 m wide building from 1 to
    # 3 m north of the camera lies entirely under the near edge but still hides what is behind
    # it (±atan(0.3/1) = ±16.7° around north); at bearing atan(8/12) = 33.7° the view is free.
    vfov = math.degrees(2 * math.atan(3.132 / 8))
    coverage = grid_coverage(0.0, 90.0, 30.0, height_m=5.0, tilt_deg=30.0, vfov=vfov)
    visible = visible_coverage(coverage, [rect(-0.3, 1, 0.3, 3)])
    assert not visible.contains(Point(APEX[0], APEX[1] + 20))
    assert visible.contains(Point(APEX[0] + 8, APEX[1] + 12))
    # Hidden: the annulus sector [3.994, 32.984] over 2·16.699° (the shadow starts before the
    # near edge, so no triangle to subtract): ½·0.58292·(32.984² − 3.994²) = 312.44 m²; chords 0.5.
    shadow = math.radians(2 * math.degrees(math.atan2(0.3, 1)))
    assert coverage.area_m2 - visible.area == pytest.approx(
        0.5 * shadow * (coverage.far_m**2 - coverage.near_m**2), abs=0.5
    )
    assert is_valid_polygonal(visible)


def test_dome_sees_around_but_not_through():
    coverage = grid_coverage(None, None, 20.0, camera_type=CameraType.DOME)
    visible = visible_coverage(coverage, [rect(5, -1, 6, 1), rect(-6, -1, -5, 1)])
    assert visible.contains(Point(APEX[0], APEX[1] + 15))
    assert not visible.contains(Point(APEX[0] + 15, APEX[1]))
    assert not visible.contains(Point(APEX[0] - 15, APEX[1]))
    # Each 1 × 2 m building at 5 m hides ±atan(1/5) = ±11.31° beyond x = 5:
    # ½·0.39479·400 − ½·5·2 = 78.958 − 5 = 73.958 m², twice; 2° chords: tolerance 0.3 m².
    hidden = 2 * (exact_sector(2 * math.degrees(math.atan2(1, 5)), 20) - 5)
    assert visible.area == pytest.approx(exact_sector(360, 20) - hidden, abs=0.3)


def test_edges_from_polygons_with_holes_and_lines():
    courtyard = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (3, 7), (7, 7), (7, 3)]])
    edges = ObstacleEdges.from_geometries([courtyard, LineString([(20, 0), (20, 5), (25, 5)])])
    # 4 outer + 4 hole edges + 2 line segments.
    assert len(edges) == 10
