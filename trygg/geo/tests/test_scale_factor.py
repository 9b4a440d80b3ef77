"""Ranges are ground metres: the point scale factor of SWEREF 99 TM is applied (issue 12)."""

import math

import numpy as np
import pytest
from pyproj import Geod

from trygg.geo.batch import CameraInput, compute_batch
from trygg.geo.coverage import CameraPlacement, CameraType, compute_coverage
from trygg.geo.crs import SWEREF99_TM, WGS84, point_scale_factor, transform_xy
from trygg.geo.optics import CameraOptics

NORRTALJE = (18.705, 59.758)  # lon, lat


def test_scale_factor_at_norrtalje_by_hand():
    # Transverse Mercator (Snyder, Map Projections, eq. 8-11), SWEREF 99 TM: k0 = 0.9996, central
    # meridian 15° E, GRS 80 e² = 0.00669438, e'² = e²/(1 − e²) = 0.00673950.
    #   A = Δλ·cos φ = 3.705° · cos 59.758° = 0.0646648 · 0.503672 = 0.0325698 (rad)
    #   C = e'²·cos² φ = 0.0017096,  T = tan² φ = 2.94218
    #   k = k0 · (1 + (1 + C)·A²/2 + (5 − 4T + 42C + 13C² − 28e'²)·A⁴/24)
    #     = 0.9996 · (1 + 0.00053141 + 0.0000000…) = 1.0001307
    lon, lat = NORRTALJE
    e2 = 0.00669438002290
    ep2 = e2 / (1 - e2)
    a = math.radians(lon - 15) * math.cos(math.radians(lat))
    c = ep2 * math.cos(math.radians(lat)) ** 2
    t = math.tan(math.radians(lat)) ** 2
    k = 0.9996 * (1 + (1 + c) * a**2 / 2 + (5 - 4 * t + 42 * c + 13 * c * c - 28 * ep2) * a**4 / 24)
    assert k == pytest.approx(1.0001307, abs=1e-7)
    assert point_scale_factor(lon, lat) == pytest.approx(k, abs=1e-9)
    # On the central meridian the factor is k0 itself.
    assert point_scale_factor(15.0, 62.0) == pytest.approx(0.9996, abs=1e-9)


def test_a_30_m_range_reaches_30_m_on_the_ground():
    # Before, 30 grid metres were 30 / k = 29.9961 m on the ground: 4 mm short at Norrtälje,
    # 5 cm at the eastern border. Now the sector's tip lies 30 m from the camera on the ellipsoid
    # (pyproj.Geod, the geodesic distance), to a tenth of a millimetre.
    lon, lat = NORRTALJE
    camera = CameraPlacement(lon, lat, bearing_deg=0.0, camera_type=CameraType.DOME)
    for coverage in (
        compute_coverage(camera, CameraOptics(), 30.0),
        compute_batch([CameraInput("c", camera, CameraOptics(), 30.0)], [], []).results[0].coverage,
    ):
        assert coverage.far_m == pytest.approx(30.0 * 1.0001307, abs=1e-5)
        ring = np.asarray(coverage.geometry.exterior.coords)
        ring_lon, ring_lat = transform_xy(ring[:, 0], ring[:, 1], SWEREF99_TM, WGS84)
        _, _, ground = Geod(ellps="GRS80").inv(np.full(len(ring), lon), np.full(len(ring), lat), ring_lon, ring_lat)
        assert ground == pytest.approx(np.full(len(ring), 30.0), abs=1e-4)
