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


def test_sweref99tm_against_lantmateriets_worked_example_and_the_meridian_arc():
    # Lantmäteriet's worked example for its Gauss–Krüger formulas ("Gauss konforma projektion
    # (transversal Mercator)", test projection on GRS 80: central meridian 13.58547°, k0 = 1.00000254,
    # false northing −6 226 307.8640 m, false easting 84 182.8790 m): 66° N 24° E gives
    # x = 1 135 809.4138 m, y = 555 304.0166 m. pyproj's transverse Mercator must reproduce it.
    test_projection = (
        "+proj=tmerc +lat_0=0 +lon_0=13.58547 +k=1.00000254 +x_0=84182.8790 +y_0=-6226307.8640 +ellps=GRS80 +units=m"
    )
    y, x = transformer(WGS84, test_projection).transform(24.0, 66.0)
    assert (x, y) == (pytest.approx(1_135_809.4138, abs=1e-3), pytest.approx(555_304.0166, abs=1e-3))
    # The same point in SWEREF 99 TM (the same formulas, Lantmäteriet's parameters for the national grid).
    east, north = lonlat_to_grid(24.0, 66.0)
    assert (float(north), float(east)) == (pytest.approx(7_349_217.668, abs=1e-2), pytest.approx(907_351.981, abs=1e-2))
    # By hand on the central meridian (15° E, 60° N): E = 500 000 m and N = k0 · meridian arc on GRS 80,
    # arc = A·(φ + β1 sin 2φ + β2 sin 4φ + β3 sin 6φ + β4 sin 8φ) with n = f/(2 − f),
    # A = a/(1 + n)·(1 + n²/4 + n⁴/64): 6 654 072.819 m, so N = 0.9996 · that = 6 651 411.190 m.
    a, f = 6_378_137.0, 1 / 298.257222101
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    phi = math.radians(60.0)
    arc = big_a * (
        phi
        + (-3 * n / 2 + 9 * n**3 / 16) * math.sin(2 * phi)
        + (15 * n**2 / 16 - 15 * n**4 / 32) * math.sin(4 * phi)
        - 35 * n**3 / 48 * math.sin(6 * phi)
        + 315 * n**4 / 512 * math.sin(8 * phi)
    )
    assert arc == pytest.approx(6_654_072.819, abs=1e-3)
    east, north = lonlat_to_grid(15.0, 60.0)
    assert float(east) == pytest.approx(500_000.0, abs=1e-6)
    assert float(north) == pytest.approx(0.9996 * arc, abs=1e-3)
    # And back again.
    lon, lat = grid_to_lonlat(907_351.981, 7_349_217.668)
    assert (float(lon), float(lat)) == (pytest.approx(24.0, abs=1e-7), pytest.approx(66.0, abs=1e-7))


def test_points_outside_sweden_are_recognised():
    from trygg.geo.crs import SWEDEN_EASTING_M, SWEDEN_NORTHING_M, grid_looks_swapped, inside

    east, north = lonlat_to_grid(18.70, 59.76)  # Norrtälje
    assert inside(float(north), SWEDEN_NORTHING_M) and inside(float(east), SWEDEN_EASTING_M)
    assert grid_looks_swapped(float(east), float(north))
    assert not grid_looks_swapped(float(north), float(east))
    east, north = lonlat_to_grid(13.40, 52.52)  # Berlin: south of Sweden
    assert not inside(float(north), SWEDEN_NORTHING_M)
