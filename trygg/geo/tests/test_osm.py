"""OSM surveillance tags to placements, and the Swedish messages for bad values."""

import pytest

from trygg.geo.coverage import CameraType, PanRange
from trygg.geo.osm import (
    OsmTagError,
    parse_angle,
    parse_camera_type,
    parse_direction,
    parse_height,
    placements_from_tags,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("135", 135.0),
        ("0", 0.0),
        ("360", 0.0),
        ("22.5", 22.5),
        ("90°", 90.0),
        (" 45 ", 45.0),
        ("N", 0.0),
        ("NE", 45.0),
        ("ssw", 202.5),  # 16-point compass: SSW is 9 × 22.5°
        ("WNW", 292.5),
        ("NNE", 22.5),
    ],
)
def test_bearings(value, expected):
    assert parse_direction(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90-270", PanRange(90.0, 270.0)),
        ("270-90", PanRange(270.0, 90.0)),  # wraps through north
        ("270 - 90", PanRange(270.0, 90.0)),
        ("E-W", PanRange(90.0, 270.0)),
        ("0-360", PanRange(0.0, 360.0)),
        ("0-359", PanRange(0.0, 360.0)),  # the wiki's "any direction"
    ],
)
def test_ranges(value, expected):
    bearing, pan = parse_direction(value)
    assert bearing is None
    assert pan == expected


def test_range_spans():
    assert PanRange(270, 90).span_deg == 180
    assert PanRange(0, 360).is_full_circle
    assert PanRange(90, 90).span_deg == 0


@pytest.mark.parametrize("value", ["-45", "400", "north", "X", "90-", "12 o'clock", "1e3", "", "N;S"])
def test_bad_directions_name_the_tag(value):
    with pytest.raises(OsmTagError) as raised:
        parse_direction(value, "camera:direction")
    assert raised.value.params == {"tag": "camera:direction", "value": value}
    assert "Ogiltig riktning i camera:direction" in str(raised.value)
    assert "%(tag)s" in raised.value.message  # untranslated template kept for gettext


@pytest.mark.parametrize(("value", "expected"), [("5", 5.0), ("5 m", 5.0), ("5.5", 5.5), ("10m", 10.0), ("3 M", 3.0)])
def test_heights(value, expected):
    assert parse_height(value) == expected


@pytest.mark.parametrize("value", ["-8", "0", "50", "abc", "5,5", "16'", "5 ft"])
def test_bad_heights(value):
    with pytest.raises(OsmTagError, match="Ogiltig höjd i height"):
        parse_height(value)


def test_angles_and_types():
    assert parse_angle("30") == 30.0
    assert parse_angle("0") == 0.0
    assert parse_angle("90") == 90.0
    for bad in ("91", "-5", "steep"):
        with pytest.raises(OsmTagError, match="Ogiltig lutning i camera:angle"):
            parse_angle(bad)
    assert parse_camera_type("Dome") is CameraType.DOME
    assert parse_camera_type("doorbell") is CameraType.FIXED
    with pytest.raises(OsmTagError, match="Okänd kameratyp i camera:type: ”ptz”"):
        parse_camera_type("ptz")


def test_placements_from_full_tag_set():
    tags = {
        "man_made": "surveillance",
        "camera:type": "fixed",
        "camera:direction": "SSW",
        "camera:angle": "30",
        "height": "5 m",
    }
    (placement,) = placements_from_tags(tags, 18.705, 59.758)
    assert (placement.x, placement.y, placement.crs) == (18.705, 59.758, "EPSG:4326")
    assert placement.bearing_deg == 202.5
    assert placement.camera_type is CameraType.FIXED
    assert (placement.tilt_deg, placement.height_m) == (30.0, 5.0)


def test_direction_fallbacks_and_several_cameras():
    (only,) = placements_from_tags({"direction": "90"}, 0, 0)
    assert only.bearing_deg == 90.0
    (last,) = placements_from_tags({"surveillance:direction": "W"}, 0, 0)
    assert last.bearing_deg == 270.0
    two = placements_from_tags({"camera:direction": "90;270-90", "camera:type": "fixed;panning", "height": "4"}, 0, 0)
    assert [p.bearing_deg for p in two] == [90.0, None]
    assert two[1].pan == PanRange(270.0, 90.0)
    assert [p.camera_type for p in two] == [CameraType.FIXED, CameraType.PANNING]
    assert [p.height_m for p in two] == [4.0, 4.0]  # one value applies to all cameras
    with pytest.raises(OsmTagError, match="height har 3 värden men noden har 2 kameror"):
        placements_from_tags({"camera:direction": "90;180", "height": "4;5;6"}, 0, 0)


def test_error_names_the_fallback_tag_actually_used():
    with pytest.raises(OsmTagError, match="Ogiltig riktning i direction"):
        placements_from_tags({"direction": "forward"}, 0, 0)


def test_dome_without_direction_and_revolving():
    (dome,) = placements_from_tags({"camera:type": "dome"}, 0, 0)
    assert dome.bearing_deg is None
    assert dome.pan is None
    assert dome.camera_type is CameraType.DOME
    # Helsinki data (gis.md §4) marks turning cameras with the non-standard revolving=yes.
    (revolving,) = placements_from_tags({"revolving": "yes", "height": "8"}, 0, 0)
    assert revolving.camera_type is CameraType.PANNING
