"""Coverage sectors: hand-computed areas, convergence, pan ranges, domes and the tilt clip."""

import math

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon

from trygg.geo import GeoInputError
from trygg.geo.coverage import (
    CameraPlacement,
    CameraType,
    PanRange,
    compute_coverage,
    coverage_geojson,
    sector_polygon,
    true_sector,
)
from trygg.geo.crs import lonlat_to_grid
from trygg.geo.optics import CameraOptics
from trygg.geo.tests.scene import APEX, grid_coverage

NORRTALJE = (18.705, 59.758)


def ngon_sector_area(span_deg: float, radius: float, segments: int) -> float:
    """gis.md §1.3: an n-segment sector polygon has area ½·r²·n·sin(θ/n)."""
    return 0.5 * radius**2 * segments * math.sin(math.radians(span_deg) / segments)


def test_sector_area_is_the_ngon_formula():
    # 90° at 2° steps = 45 segments, r = 22: ½·484·45·sin(2°) = 380.0555 m²; exact ½·θ·r² = 380.1327.
    coverage = grid_coverage(bearing=90.0, hfov=90.0, range_m=22.0)
    assert coverage.area_m2 == pytest.approx(ngon_sector_area(90, 22, 45), abs=1e-6)
    assert coverage.area_m2 == pytest.approx(380.0555, abs=1e-4)
    assert coverage.area_m2 < 0.5 * math.pi / 2 * 22**2
    # gis.md: n = 32 is 0.04 % low for 90°.
    assert 1 - ngon_sector_area(90, 22, 32) / (0.5 * math.pi / 2 * 22**2) == pytest.approx(0.0004, abs=0.00005)


def test_sector_points_the_right_way():
    # Grid bearing 90° = east: the centroid lies east of the apex, on its northing (1 mm).
    coverage = grid_coverage(bearing=90.0, hfov=60.0, range_m=30.0)
    centroid = coverage.geometry.centroid
    assert centroid.x > APEX[0] + 10
    assert centroid.y == pytest.approx(APEX[1], abs=1e-3)
    assert coverage.geometry.contains(Point(APEX[0] + 20, APEX[1] + 5))
    assert not coverage.geometry.contains(Point(APEX[0] - 5, APEX[1]))


def test_true_bearing_is_corrected_for_convergence():
    # At Norrtälje γ = +3.2019°, so true bearing 90° is grid bearing 86.798°; the sector's first
    # edge is then 86.798 − 45 = 41.798° (1e-4° tolerance).
    coverage = compute_coverage(CameraPlacement(*NORRTALJE, bearing_deg=90.0), CameraOptics(hfov_deg=90.0), 22.0)
    assert coverage.convergence_deg == pytest.approx(3.2019, abs=1e-4)
    assert coverage.start_grid_deg == pytest.approx(41.7981, abs=1e-4)


def test_grid_sector_equals_geodesic_sector():
    # Independent construction (gis.md §1.4): arc points by Geod.fwd along TRUE bearings, then
    # projected. Ours is built in the grid with the γ correction. They differ only by the scale
    # factor 1.000131 (area ×1.00026 → 0.1 m² of 380) and arc projection error: allow 0.2 m².
    placement = CameraPlacement(*NORRTALJE, bearing_deg=90.0)
    ours = compute_coverage(placement, CameraOptics(hfov_deg=90.0), 22.0).geometry
    bearings = [45.0 + 2.0 * i for i in range(46)]
    lons, lats, _ = Geod(ellps="GRS80").fwd([NORRTALJE[0]] * 46, [NORRTALJE[1]] * 46, bearings, [22.0] * 46)
    xs, ys = lonlat_to_grid([NORRTALJE[0], *lons], [NORRTALJE[1], *lats])
    geodesic = Polygon(list(zip(xs, ys, strict=True)))
    assert ours.symmetric_difference(geodesic).area < 0.2
    # Without the correction the sector is rotated 3.2°: symmetric difference ≈ δ·r² =
    # 0.055884 rad · 484 m² = 27.05 m² (two slivers of ½·δ·r²; n-gon effect < 0.05 m²).
    # gis.md quotes 27.3 m² for its vector B, which we could not reproduce; we test our own.
    apex = lonlat_to_grid(*NORRTALJE)
    uncorrected = sector_polygon((float(apex[0]), float(apex[1])), 45.0, 90.0, 22.0)
    assert uncorrected.symmetric_difference(geodesic).area == pytest.approx(27.05, abs=0.1)


def test_pan_range_widened_by_half_hfov_each_side():
    # "90-270" with HFOV 60°: covered 60° → 300°, span 240°.
    placement = CameraPlacement(0, 0, pan=PanRange(90, 270), camera_type=CameraType.PANNING)
    assert true_sector(placement, CameraOptics(hfov_deg=60.0)) == (60.0, 240.0)
    # Wrap-around "270-90": 240° → 120° through north.
    wrapped = CameraPlacement(0, 0, pan=PanRange(270, 90))
    assert true_sector(wrapped, CameraOptics(hfov_deg=60.0)) == (240.0, 240.0)
    coverage = grid_coverage(bearing=None, hfov=60.0, range_m=20.0, pan=PanRange(270, 90))
    assert coverage.geometry.contains(Point(APEX[0], APEX[1] + 10))  # north: covered
    assert not coverage.geometry.contains(Point(APEX[0], APEX[1] - 10))  # south: not
    # 240° at 2° steps = 120 segments.
    assert coverage.area_m2 == pytest.approx(ngon_sector_area(240, 20, 120), abs=1e-6)
    # A pan range of 360° − HFOV or more closes the circle: 180° + 180° here; 180° + 130° does not.
    assert true_sector(placement, CameraOptics(hfov_deg=180.0)) == (0.0, 360.0)
    assert true_sector(placement, CameraOptics(hfov_deg=130.0)) == (25.0, 310.0)
    # No HFOV: the pan range itself.
    assert true_sector(placement, CameraOptics()) == (90.0, 180.0)


@pytest.mark.parametrize("pan", [PanRange(0, 360), PanRange(90, 450)])
def test_full_pan_is_a_disc(pan):
    coverage = grid_coverage(bearing=None, hfov=60.0, range_m=10.0, pan=pan)
    # 180-gon inscribed in r = 10: ½·100·180·sin(2°) = 314.0955 m² (π·r² = 314.159).
    assert coverage.is_full_circle
    assert coverage.area_m2 == pytest.approx(ngon_sector_area(360, 10, 180), abs=1e-6)


def test_dome_without_hfov_is_a_disc_and_fixed_without_data_fails():
    dome = grid_coverage(bearing=None, hfov=None, range_m=10.0, camera_type=CameraType.DOME)
    assert dome.area_m2 == pytest.approx(ngon_sector_area(360, 10, 180), abs=1e-6)
    dome_with_bearing = grid_coverage(bearing=45.0, hfov=None, range_m=10.0, camera_type=CameraType.DOME)
    assert dome_with_bearing.is_full_circle
    with pytest.raises(GeoInputError, match="Riktning saknas"):
        grid_coverage(bearing=None, hfov=90.0, range_m=10.0)
    with pytest.raises(GeoInputError, match="Bildvinkel saknas"):
        grid_coverage(bearing=90.0, hfov=None, range_m=10.0)
    with pytest.raises(GeoInputError, match="Räckvidden"):
        grid_coverage(bearing=90.0, hfov=90.0, range_m=0.0)


def test_tilt_and_height_clip_to_annulus():
    # gis.md §1.3: h = 5, τ = 30°, VFOV 42.761° → annulus [3.994, 32.984] inside a 40 m range.
    # Area of the n-gon annulus sector: ½·n·sin(θ/n)·(far² − near²), 90° → 45 segments (1e-6).
    vfov = math.degrees(2 * math.atan(3.132 / 8))
    coverage = grid_coverage(bearing=0.0, hfov=90.0, range_m=40.0, height_m=5.0, tilt_deg=30.0, vfov=vfov)
    assert coverage.near_m == pytest.approx(3.994, abs=0.001)
    assert coverage.far_m == pytest.approx(32.984, abs=0.001)
    expected = 0.5 * 45 * math.sin(math.radians(2)) * (coverage.far_m**2 - coverage.near_m**2)
    assert coverage.area_m2 == pytest.approx(expected, abs=1e-6)
    assert not coverage.geometry.contains(Point(APEX[0], APEX[1] + 2))  # under the near edge
    assert coverage.geometry.contains(Point(APEX[0], APEX[1] + 10))
    # The wedge used for occlusion still starts at the camera.
    assert coverage.wedge().contains(Point(APEX[0], APEX[1] + 2))
    # A shorter range than the far edge limits it; a range inside the near edge leaves nothing.
    assert grid_coverage(0.0, 90.0, 20.0, height_m=5.0, tilt_deg=30.0, vfov=vfov).far_m == 20.0
    assert grid_coverage(0.0, 90.0, 3.0, height_m=5.0, tilt_deg=30.0, vfov=vfov).geometry.is_empty


def test_dome_with_tilt_is_a_ring():
    coverage = grid_coverage(None, None, 30.0, camera_type=CameraType.DOME, height_m=5.0, tilt_deg=30.0, vfov=40.0)
    assert coverage.is_full_circle
    assert len(coverage.geometry.interiors) == 1
    assert coverage.geometry.is_valid


def test_coverage_geojson_is_lonlat_from_the_camera():
    geojson = coverage_geojson(CameraPlacement(*NORRTALJE, bearing_deg=135.0), CameraOptics(hfov_deg=70.0), 25.0)
    ring = geojson["coordinates"][0]
    assert geojson["type"] == "Polygon"
    assert ring[0] == pytest.approx(NORRTALJE, abs=1e-7)  # the apex comes first
    # Bearing 135° = south-east: every arc point lies south-east of the camera.
    assert all(lon >= NORRTALJE[0] - 1e-7 and lat <= NORRTALJE[1] + 1e-7 for lon, lat in ring)
    assert Polygon(ring).exterior.is_ccw


def test_placement_in_sweref_gives_same_coverage_as_lonlat():
    east, north = lonlat_to_grid(*NORRTALJE)
    optics = CameraOptics(hfov_deg=80.0)
    from_lonlat = compute_coverage(CameraPlacement(*NORRTALJE, bearing_deg=200.0), optics, 30.0)
    from_grid = compute_coverage(
        CameraPlacement(float(east), float(north), crs="EPSG:3006", bearing_deg=200.0), optics, 30.0
    )
    assert shapely.symmetric_difference(from_lonlat.geometry, from_grid.geometry).area < 1e-6
