"""A bad camera, building or zone lands in the batch's errors and never stops the batch (issue 12)."""

import math

import pytest
import shapely
from shapely.geometry import LineString, Polygon

from trygg.geo.batch import (
    NOT_FINITE_ITEM,
    SELF_INTERSECTING_ITEM,
    TOO_FEW_POINTS_ITEM,
    BuildingFootprint,
    CameraInput,
    compute_batch,
)
from trygg.geo.coverage import CameraPlacement, PanRange
from trygg.geo.crs import SWEREF99_TM
from trygg.geo.intrusion import ZoneInput, ZoneRule
from trygg.geo.optics import CameraOptics
from trygg.geo.tests.scene import APEX, rect

FAR = (APEX[0] + 500, APEX[1])  # a second camera 500 m east, far from everything near APEX


def camera(name, at=APEX, bearing=0.0, range_m=20.0, **placement):
    return CameraInput(
        name,
        CameraPlacement(*at, crs=SWEREF99_TM, bearing_deg=bearing, **placement),
        CameraOptics(hfov_deg=90),
        range_m,
    )


def bow_tie(origin):
    """A self-intersecting 'bow-tie' quadrilateral, 10 m north of ``origin``: crosses itself at +5, +15."""
    x, y = origin
    return Polygon([(x - 5, y + 10), (x + 5, y + 20), (x + 5, y + 10), (x - 5, y + 20)])


def same_result(a, b):
    assert a.camera_id == b.camera_id
    assert shapely.symmetric_difference(a.visible, b.visible).area < 1e-9
    assert a.intrusion.findings == b.intrusion.findings


def test_a_bow_tie_zone_fails_only_the_camera_that_sees_it():
    # Before: shapely.intersection raised a GEOS TopologyException and the whole batch stopped.
    good_zone = ZoneInput("plot", rect(-10, 10, 10, 18, FAR), ZoneRule.MUST_NOT_MONITOR)
    cameras = [camera("near"), camera("far", at=FAR)]
    clean = compute_batch(cameras, [], [good_zone])
    batch = compute_batch(cameras, [], [ZoneInput("bow", bow_tie(APEX), ZoneRule.MUST_NOT_MONITOR), good_zone])
    ((camera_id, error),) = batch.errors
    assert camera_id == "near"
    assert error.message == SELF_INTERSECTING_ITEM
    assert str(error) == (
        "bow korsar sig själv vid 700000, 6630015 och kan inte användas; rita om ytan. Täckningen räknades inte."
    )
    assert [item for item, _ in batch.rejected] == ["bow"]
    (far,) = batch.results
    same_result(far, clean.results[1])
    assert far.intrusion.intrudes  # the far camera still has its finding


def test_a_bow_tie_building_fails_only_the_camera_that_sees_it():
    cameras = [camera("near"), camera("far", at=FAR)]
    building = BuildingFootprint("hall", rect(-5, 5, 5, 8, FAR))
    clean = compute_batch(cameras, [building], [])
    batch = compute_batch(cameras, [BuildingFootprint("bow", bow_tie(APEX)), building], [])
    assert [(camera_id, error.message) for camera_id, error in batch.errors] == [("near", SELF_INTERSECTING_ITEM)]
    (far,) = batch.results
    same_result(far, clean.results[1])
    assert far.visible_area_m2 < far.coverage.area_m2 - 1  # the good building still hides something


def test_a_bad_item_behind_the_camera_fails_nothing():
    # The bow tie lies south, the camera looks north: its view never meets the item.
    batch = compute_batch(
        [camera("near", bearing=0.0)], [BuildingFootprint("bow", bow_tie((APEX[0], APEX[1] - 40)))], []
    )
    assert batch.errors == ()
    assert [item for item, _ in batch.rejected] == ["bow"]
    assert len(batch.results) == 1


def test_a_zone_with_infinite_coordinates_fails_every_camera_of_the_batch():
    # Metres typed where degrees were expected become infinite after reprojection: the zone could
    # be anywhere, so no camera of the batch can be said to miss it (before: silently dropped).
    zone = ZoneInput("inf", Polygon([(math.inf, 0), (math.inf, 1), (1, 1)]), ZoneRule.MUST_NOT_MONITOR)
    batch = compute_batch([camera("near"), camera("far", at=FAR)], [], [zone])
    assert batch.results == ()
    assert {camera_id for camera_id, _ in batch.errors} == {"near", "far"}
    assert all(error.message == NOT_FINITE_ITEM for _, error in batch.errors)


def test_a_line_with_too_few_points_is_named():
    line = LineString([APEX, APEX])  # both points the same: GEOS says "Too few points"
    fence = BuildingFootprint("fence", shapely.set_coordinates(line, [(APEX[0], APEX[1] + 5)] * 2))
    batch = compute_batch([camera("near")], [fence], [])
    assert [error.message for _, error in batch.errors] == [TOO_FEW_POINTS_ITEM]


@pytest.mark.parametrize(
    ("changes", "start"),
    [
        ({"bearing": math.nan}, "Riktningen måste vara ett ändligt tal"),
        ({"bearing": math.inf}, "Riktningen måste vara ett ändligt tal"),
        ({"range_m": math.nan}, "Räckvidden måste vara ett ändligt tal"),
        ({"range_m": math.inf}, "Räckvidden måste vara ett ändligt tal"),
        ({"height_m": math.nan, "tilt_deg": 30.0}, "Monteringshöjden måste vara ett ändligt tal"),
        ({"height_m": 4.0, "tilt_deg": math.nan}, "Lutningen måste vara ett ändligt tal"),
        ({"bearing": None, "pan": PanRange(math.nan, 90)}, "Panoreringsintervallet måste vara ändliga tal"),
    ],
)
def test_non_finite_camera_values_are_errors_not_nan_areas(changes, start):
    # Before: a NaN bearing or infinite range gave NaN areas (or an infinite polygon) as a result.
    bad = camera("bad", **changes)
    batch = compute_batch([bad, camera("good", at=FAR)], [], [])
    assert [r.camera_id for r in batch.results] == ["good"]
    assert math.isfinite(batch.results[0].visible_area_m2)
    ((camera_id, error),) = batch.errors
    assert camera_id == "bad"
    assert str(error).startswith(start)
