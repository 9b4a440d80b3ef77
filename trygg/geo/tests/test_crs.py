"""CRS helpers against gis.md §1.4 and pyproj's geodesic as an independent check."""

import math

import pytest
from pyproj import Geod
from shapely.geometry import Point, Polygon

from trygg.geo.crs import (
    SWEREF99_18_00,
    SWEREF99_TM,
    WGS84,
    export_geometry,
    from_geojson,
    grid_to_lonlat,
    lonlat_to_grid,
    meridian_convergence_deg,
    reproject,
    to_geojson,
    transformer,
)

NORRTALJE = (18.705, 59.758)


def test_convergence_at_norrtalje():
    # gis.md §1.4 (pyproj 3.7.2): γ = +3.2019° in EPSG:3006 and +0.609° in EPSG:3011.
    assert meridian_convergence_deg(*NORRTALJE) == pytest.approx(3.2019, abs=1e-4)
    assert meridian_convergence_deg(*NORRTALJE, crs=SWEREF99_18_00) == pytest.approx(0.609, abs=1e-3)
    # By hand with the series γ ≈ Δλ·sin φ·(1 + Δλ²·cos²φ/3), Δλ = 3.705° = 0.064665 rad:
    # 3.705·0.863902·(1 + 0.0041816·0.253674/3) = 3.20077·1.000354 = 3.20190°. The terms left
    # out (ellipsoid, higher powers) are below 1e-4° here.
    d_lambda = math.radians(NORRTALJE[0] - 15.0)
    phi = math.radians(NORRTALJE[1])
    series = math.degrees(d_lambda * math.sin(phi) * (1 + d_lambda**2 * math.cos(phi) ** 2 / 3))
    assert series == pytest.approx(3.2019, abs=1e-4)
    assert meridian_convergence_deg(*NORRTALJE) == pytest.approx(series, abs=1e-4)
    # On the central meridian (15° E) the grid is aligned with true north.
    assert meridian_convergence_deg(15.0, 60.0) == pytest.approx(0.0, abs=1e-9)


def test_convergence_sign_grid_bearing_is_true_minus_gamma():
    # Walk 1 km due true north on the ellipsoid and measure the grid azimuth of the step:
    # it must be 0° − γ = −3.2019°, i.e. grid = true − γ (tolerance 0.001°).
    lon2, lat2, _ = Geod(ellps="GRS80").fwd(*NORRTALJE, 0.0, 1000.0)
    (x0, x1), (y0, y1) = lonlat_to_grid([NORRTALJE[0], lon2], [NORRTALJE[1], lat2])
    grid_azimuth = math.degrees(math.atan2(x1 - x0, y1 - y0))
    assert grid_azimuth == pytest.approx(-meridian_convergence_deg(*NORRTALJE), abs=1e-3)


def test_convergence_is_vectorised():
    gamma = meridian_convergence_deg([15.0, 18.705], [60.0, 59.758])
    assert gamma.shape == (2,)
    assert gamma[1] == pytest.approx(3.2019, abs=1e-4)


def test_axis_order_is_always_x_first():
    east, north = lonlat_to_grid(*NORRTALJE)
    # Easting ~700 km (false easting 500 km + ~3.7° east), northing ~6630 km: never swapped.
    assert 690_000 < east < 720_000
    assert 6_620_000 < north < 6_650_000
    lon, lat = grid_to_lonlat(east, north)
    assert (float(lon), float(lat)) == pytest.approx(NORRTALJE, abs=1e-9)
    assert transformer(WGS84, SWEREF99_TM) is transformer(WGS84, SWEREF99_TM)  # cached


def test_export_to_local_crs_keeps_lengths():
    # SWEREF 99 18 00 has k0 = 1 and false easting 150 000 m; at Norrtälje (0.7° east of 18°)
    # a 100 m segment keeps its length within 1 cm in both projections.
    east, north = lonlat_to_grid(*NORRTALJE)
    square = Polygon([(east, north), (east + 100, north), (east + 100, north + 100), (east, north + 100)])
    local = export_geometry(square)
    assert 150_000 < local.bounds[0] < 200_000
    assert local.length == pytest.approx(400.0, abs=0.1)
    back = export_geometry(local, target_crs=SWEREF99_TM, source_crs=SWEREF99_18_00)
    assert back.symmetric_difference(square).area < 1e-4


def test_geojson_is_lonlat_ccw_and_rounded():
    east, north = lonlat_to_grid(*NORRTALJE)
    clockwise = Polygon([(east, north), (east, north + 10), (east + 10, north + 10), (east + 10, north)])
    geojson = to_geojson(clockwise)
    assert geojson["type"] == "Polygon"
    ring = geojson["coordinates"][0]
    assert ring[0] == pytest.approx(NORRTALJE, abs=1e-7)
    assert all(round(c, 7) == c for point in ring for c in point)
    assert Polygon(ring).exterior.is_ccw
    roundtrip = from_geojson(geojson)
    # 7 decimals ≈ 1 cm: the 100 m² square survives within 0.2 m².
    assert roundtrip.area == pytest.approx(100.0, abs=0.2)


def test_reproject_point_identity_for_same_crs():
    point = Point(1, 2)
    assert reproject(point, SWEREF99_TM, SWEREF99_TM) is point
