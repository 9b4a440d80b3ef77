"""Optics against the hand-computed values of reference/gis.md §1.1–1.3."""

import math

import pytest

from trygg.geo import GeoInputError
from trygg.geo.optics import (
    IEC_62676_4_2014,
    IEC_62676_4_2025,
    CameraOptics,
    footprint_limits_m,
    level_distances_m,
    pinhole_fov_deg,
    pixel_density_at,
    pixel_density_distance_m,
    vertical_from_horizontal_fov_deg,
)

# 1/2.8" 1080p sensor of gis.md §1.1: w = 1920 px × 2.9 µm = 5.568 mm.
WIDTH_MM = 5.568
PITCH_MM = 0.0029


@pytest.mark.parametrize(
    ("focal_mm", "expected_deg", "tolerance"),
    [
        # gis.md table, HFOV = 2·atan(5.568 / 2f); tolerance = half the last printed digit.
        (2.8, 89.7, 0.05),
        (4.0, 69.68, 0.005),
        (6.0, 49.8, 0.05),
        (8.0, 38.4, 0.05),
        (12.0, 26.1, 0.05),
    ],
)
def test_pinhole_hfov_matches_gis_table(focal_mm, expected_deg, tolerance):
    assert pinhole_fov_deg(WIDTH_MM, focal_mm) == pytest.approx(expected_deg, abs=tolerance)


def test_datasheet_hfov_wins_over_pinhole_fallback():
    # Short lenses quote ~105° on datasheets (distortion) where the pinhole gives 89.7°.
    assert CameraOptics(hfov_deg=105.0, sensor_width_mm=WIDTH_MM, focal_length_mm=2.8).horizontal_fov_deg() == 105.0
    assert CameraOptics(sensor_width_mm=WIDTH_MM, focal_length_mm=2.8).horizontal_fov_deg() == pytest.approx(
        89.67, abs=0.01
    )
    assert CameraOptics().horizontal_fov_deg() is None


def test_vfov_from_sensor_height_then_aspect_ratio():
    # gis.md §1.3: VFOV = 2·atan(3.132 / (2·4)) = 42.761°.
    assert CameraOptics(sensor_height_mm=3.132, focal_length_mm=4.0).vertical_fov_deg() == pytest.approx(
        42.761, abs=0.001
    )
    # 16:9 from HFOV 90°: tan(VFOV/2) = tan(45°)·9/16 = 0.5625 → VFOV = 2·29.358° = 58.716°.
    assert CameraOptics(hfov_deg=90.0).vertical_fov_deg() == pytest.approx(58.716, abs=0.001)
    assert vertical_from_horizontal_fov_deg(90.0, 4 / 3) == pytest.approx(73.740, abs=0.001)  # 2·atan(0.75)
    assert CameraOptics(vfov_deg=30.0, hfov_deg=90.0).vertical_fov_deg() == 30.0


@pytest.mark.parametrize(
    ("level", "expected_m"),
    [
        # d = f / (ppm · p) = 4 mm / (ppm · 0.0029 mm), by hand; 1 cm tolerance.
        ("monitor", 110.345),
        ("detect", 55.172),
        ("observe", 22.069),
        ("recognise", 11.034),
        ("identify", 5.517),
        ("inspect", 1.379),
    ],
)
def test_dori_distances_for_4mm_1080p(level, expected_m):
    optics = CameraOptics(sensor_width_mm=WIDTH_MM, focal_length_mm=4.0, horizontal_pixels=1920)
    assert optics.level_distance_m(level) == pytest.approx(expected_m, abs=0.01)


def test_both_dori_forms_agree():
    # gis.md §1.2: H_px / (ppm · 2·tan(HFOV/2)) equals f / (ppm · p) because 2·tan(HFOV/2) = w/f.
    hfov = pinhole_fov_deg(WIDTH_MM, 4.0)
    for ppm in IEC_62676_4_2014.values():
        assert pixel_density_distance_m(1920, hfov, ppm) == pytest.approx(4.0 / (ppm * PITCH_MM), rel=1e-12)


def test_level_table_is_configurable():
    hfov = pinhole_fov_deg(WIDTH_MM, 4.0)
    distances = level_distances_m(1920, hfov, IEC_62676_4_2025)
    assert set(distances) == set(IEC_62676_4_2025)
    # 20 px/m: 4 / (20 · 0.0029) = 68.966 m.
    assert distances["overview"] == pytest.approx(68.966, abs=0.01)
    assert level_distances_m(1920, hfov, {"own": 50.0})["own"] == pytest.approx(27.586, abs=0.01)
    optics = CameraOptics(hfov_deg=hfov, horizontal_pixels=1920)
    assert optics.level_distance_m("discern", IEC_62676_4_2025) == pytest.approx(4.0 / (80 * PITCH_MM), rel=1e-9)
    with pytest.raises(GeoInputError):
        optics.level_distance_m("discern")  # not a 2014 level
    with pytest.raises(GeoInputError):
        CameraOptics(hfov_deg=90.0).level_distance_m("detect")  # no resolution


def test_iec_2014_levels_are_the_standard_values():
    assert dict(IEC_62676_4_2014) == {
        "monitor": 12.5,
        "detect": 25.0,
        "observe": 62.5,
        "recognise": 125.0,
        "identify": 250.0,
        "inspect": 1000.0,
    }


def test_footprint_for_h5_tilt30():
    # gis.md §1.3: h = 5 m, τ = 30°, VFOV = 42.761° → near = 5/tan(51.38°) = 3.994 m,
    # far = 5/tan(8.62°) = 32.984 m; 1 mm tolerance.
    vfov = pinhole_fov_deg(3.132, 4.0)
    near, far = footprint_limits_m(5.0, 30.0, vfov)
    assert near == pytest.approx(3.994, abs=0.001)
    assert far == pytest.approx(32.984, abs=0.001)
    # Pixel density at the far edge, slant √(5² + 32.984²) = 33.361 m, HFOV 69.68°: 41.3 px/m.
    slant = math.hypot(5.0, far)
    assert slant == pytest.approx(33.36, abs=0.01)
    assert pixel_density_at(1920, pinhole_fov_deg(WIDTH_MM, 4.0), slant) == pytest.approx(41.3, abs=0.05)


def test_footprint_edge_cases():
    # Upper image edge above the horizon: the footprint runs to the range limit.
    assert footprint_limits_m(5.0, 10.0, 40.0)[1] == math.inf
    # Lower edge past vertical: the camera sees its own foot.
    assert footprint_limits_m(5.0, 80.0, 40.0)[0] == 0.0
    for height, tilt in ((0.0, 30.0), (-8.0, 30.0), (5.0, 95.0), (5.0, -1.0)):
        with pytest.raises(GeoInputError):
            footprint_limits_m(height, tilt, 40.0)


def test_error_message_is_swedish_with_named_placeholder():
    with pytest.raises(GeoInputError) as raised:
        pinhole_fov_deg(0.0, 4.0)
    assert "%(sensor)s" in raised.value.message
    assert "brännvidd" in str(raised.value)
