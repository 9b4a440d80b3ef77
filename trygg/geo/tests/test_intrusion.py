"""Intrusion into zones: rules, tolerance, occlusion and the privacy mask."""

import math

import pytest
from shapely.geometry import Polygon

from trygg.geo.intrusion import (
    IntrusionTolerance,
    ZoneInput,
    ZoneRule,
    assess_intrusion,
    uncovered_by_mask,
    zone_applies,
)
from trygg.geo.occlusion import visible_coverage
from trygg.geo.tests.scene import APEX, grid_coverage, rect


@pytest.fixture
def east_camera():
    # Grid bearing 90°, HFOV 90°, r = 22: sector area 380.0555 m² (45-gon, see test_coverage).
    return grid_coverage(bearing=90.0, hfov=90.0, range_m=22.0)


def test_zone_rules():
    assert zone_applies(ZoneRule.MUST_NOT_MONITOR, runs_during_school_hours=False)
    assert zone_applies(ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS, runs_during_school_hours=True)
    assert not zone_applies(ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS, runs_during_school_hours=False)
    assert not zone_applies(ZoneRule.MAY_MONITOR, runs_during_school_hours=True)
    # The Django Zone model stores these exact strings.
    assert [r.value for r in ZoneRule] == ["may_monitor", "must_not_monitor", "only_outside_school_hours"]


def test_zone_inside_sector_counts_its_whole_area(east_camera):
    # A 2 × 2 m zone at x 10..12, y −1..1 lies inside the sector: 4 m², share 4 / 380.0555.
    zone = ZoneInput("garden", rect(10, -1, 12, 1), ZoneRule.MUST_NOT_MONITOR)
    report = assess_intrusion(east_camera, [zone], runs_during_school_hours=True)
    (finding,) = report.findings
    assert finding.zone_id == "garden"
    assert finding.area_m2 == pytest.approx(4.0, abs=1e-9)
    assert finding.share == pytest.approx(4.0 / 380.0555, rel=1e-5)
    assert finding.area_m2_without_occlusion == pytest.approx(4.0, abs=1e-9)
    assert report.intrudes
    assert report.mask.area == pytest.approx(4.0, abs=1e-9)
    mask = report.mask_geojson()
    assert mask["type"] == "Polygon"
    assert 18 < mask["coordinates"][0][0][0] < 19  # lon first


def test_school_hours_rule_depends_on_schedule(east_camera):
    schoolyard = ZoneInput("yard", rect(10, -1, 12, 1), ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS)
    allowed = ZoneInput("street", rect(10, -5, 14, -2), ZoneRule.MAY_MONITOR)
    assert assess_intrusion(east_camera, [schoolyard, allowed], runs_during_school_hours=True).intrudes
    off_hours = assess_intrusion(east_camera, [schoolyard, allowed], runs_during_school_hours=False)
    assert off_hours.findings == ()
    assert off_hours.mask.is_empty


def test_zone_partly_inside(east_camera):
    # Zone x 10..30, y −1..1: inside the sector up to the arc at r = 22 (and the chord), so
    # about 2·(22 − 10) = 24 m² (the arc bulges < 0.03 m² over 2 m width): tolerance 0.05.
    zone = ZoneInput("plot", rect(10, -1, 30, 1), ZoneRule.MUST_NOT_MONITOR)
    (finding,) = assess_intrusion(east_camera, [zone], True).findings
    assert finding.area_m2 == pytest.approx(24.0, abs=0.05)


def test_zone_behind_building_only_intrudes_without_occlusion(east_camera):
    # The building x 5..8, y −2..2 shadows everything beyond it within ±21.8°; the zone
    # x 12..16, y −1..1 lies in that shadow (1/12 < 2/5).
    building = rect(5, -2, 8, 2)
    zone = ZoneInput("neighbour", rect(12, -1, 16, 1), ZoneRule.MUST_NOT_MONITOR)
    visible = visible_coverage(east_camera, [building])
    report = assess_intrusion(east_camera, [zone], True, visible=visible)
    (finding,) = report.findings
    assert finding.area_m2 == 0.0
    assert not finding.intrudes
    assert finding.area_m2_without_occlusion == pytest.approx(8.0, abs=1e-9)
    assert report.mask.is_empty
    assert report.mask_without_occlusion.area == pytest.approx(8.0, abs=1e-9)


def test_zone_sharing_an_edge_is_not_counted(east_camera):
    # A triangle glued to the sector's northern radial edge (bearing 45°) from outside.
    x, y = APEX
    edge_end = east_camera.geometry.exterior.coords[1]
    zone = ZoneInput("yard", Polygon([(x, y), edge_end, (x, y + 22)]), ZoneRule.MUST_NOT_MONITOR)
    assert zone.geometry.intersection(east_camera.geometry).area < 1e-6
    assert assess_intrusion(east_camera, [zone], True).findings == ()


def test_tolerance_ignores_slivers(east_camera):
    # The edge-glued triangle of the test above, pushed 3 cm into the sector (perpendicular to the
    # 45° edge, i.e. towards bearing 135°): an overlap 3 cm wide along 22 m, ≈ 0.66 m². With the
    # default 5 cm shrink the shrunk zone no longer reaches the sector, so it is not counted.
    x, y = APEX
    ex, ey = east_camera.geometry.exterior.coords[1]
    dx, dy = 0.03 * math.sin(math.radians(135)), 0.03 * math.cos(math.radians(135))
    triangle = Polygon([(x + dx, y + dy), (ex + dx, ey + dy), (x + dx, y + 22 + dy)])
    zone = ZoneInput("sliver", triangle, ZoneRule.MUST_NOT_MONITOR)
    assert zone.geometry.intersection(east_camera.geometry).area == pytest.approx(0.66, abs=0.01)
    assert assess_intrusion(east_camera, [zone], True).findings == ()
    # With no tolerance at all the sliver counts.
    strict = IntrusionTolerance(area_m2=0.0, zone_shrink_m=0.0)
    (finding,) = assess_intrusion(east_camera, [zone], True, tolerance=strict).findings
    assert finding.area_m2 == pytest.approx(0.66, abs=0.01)
    # Pushed 30 cm in instead, it is a real intrusion: ≈ 0.3 · 22 = 6.6 m² minus the corner.
    deep = Polygon([(x + 10 * dx, y + 10 * dy), (ex + 10 * dx, ey + 10 * dy), (x + 10 * dx, y + 22 + 10 * dy)])
    (finding,) = assess_intrusion(east_camera, [ZoneInput("deep", deep, ZoneRule.MUST_NOT_MONITOR)], True).findings
    assert 6.0 < finding.area_m2 < 6.6


def test_mask_is_union_of_intruding_parts(east_camera):
    zones = [
        ZoneInput("a", rect(10, -1, 12, 1), ZoneRule.MUST_NOT_MONITOR),
        ZoneInput("b", rect(11, 0, 13, 2), ZoneRule.MUST_NOT_MONITOR),  # overlaps a by 1 m²
        ZoneInput("c", rect(-10, -1, -8, 1), ZoneRule.MUST_NOT_MONITOR),  # behind the camera
    ]
    report = assess_intrusion(east_camera, zones, True)
    assert {f.zone_id for f in report.findings} == {"a", "b"}
    assert report.mask.area == pytest.approx(4 + 4 - 1, abs=1e-9)
    assert report.mask.is_valid


def test_zone_overlaps_reports_every_zone_seen_whatever_its_rule():
    # A 10 m × 10 m visible square; zone A covers its east half (50 m²), zone B only shares its
    # west edge, zone C lies 1 m away. Expected: A = 50 m² (tolerance only trims the zone, not the
    # area reported), B and C absent.
    from shapely.geometry import box

    from trygg.geo.intrusion import ZoneInput, ZoneRule, zone_overlaps

    visible = box(0, 0, 10, 10)
    zones = [
        ZoneInput("A", box(5, 0, 20, 10), ZoneRule.MAY_MONITOR),
        ZoneInput("B", box(-5, 0, 0, 10), ZoneRule.MUST_NOT_MONITOR),
        ZoneInput("C", box(11, 0, 15, 10), ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS),
    ]
    overlaps = zone_overlaps(visible, zones)
    assert set(overlaps) == {"A"}
    assert abs(overlaps["A"] - 50.0) < 1e-9


def test_what_a_mask_leaves_uncovered_per_zone():
    # The camera sees a 10 × 10 m square. Zone A is its east half (50 m² seen), zone B lies north of
    # it (nothing seen). A mask over the east 4 m of the square covers 40 m² of A: 10 m² stay open.
    visible = rect(0, 0, 10, 10)
    zones = [
        ZoneInput("A", rect(5, 0, 20, 10), ZoneRule.MUST_NOT_MONITOR),
        ZoneInput("B", rect(0, 12, 10, 20), ZoneRule.MUST_NOT_MONITOR),
    ]
    assert uncovered_by_mask(visible, zones, rect(6, -1, 11, 11)) == pytest.approx({"A": 10.0, "B": 0.0})
    assert uncovered_by_mask(visible, zones, Polygon()) == pytest.approx({"A": 50.0, "B": 0.0})
    assert uncovered_by_mask(visible, zones, rect(-1, -1, 11, 11)) == pytest.approx({"A": 0.0, "B": 0.0})
