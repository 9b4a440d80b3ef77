"""Camera facts to OSM tags (``tags_for_camera``): the wiki's values and a round trip through the parser.

Tag values from the OSM wiki as summarised in reference/gis.md §3.1: ``surveillance`` is public
(public area), outdoor (private outdoor) or indoor; ``camera:type`` fixed, panning or dome;
``camera:direction`` 0–359 clockwise from north or a clockwise range "a-b".
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.geo.coverage import CameraType, PanRange
from trygg.geo.osm import OSM_CAMERA_TYPES, OSM_MOUNTS, placements_from_tags, tags_for_camera

BASE = {
    "bearing_deg": 135.4,
    "camera_type": "fixed",
    "mount": "wall",
    "height_m": 4.5,
    "is_indoor": False,
    "public_access": True,
    "site_kind": "school",
    "operator": "Norrtälje kommun",
}


def test_a_wall_camera_at_a_school_facade():
    assert tags_for_camera(**BASE, ref="KVI-01") == {
        "man_made": "surveillance",
        "surveillance:type": "camera",
        "surveillance": "public",
        "camera:type": "fixed",
        "camera:mount": "wall",
        "camera:direction": "135",  # 135.4 rounded to whole degrees
        "height": "4.5",
        "surveillance:zone": "building",
        "operator": "Norrtälje kommun",
        "ref": "KVI-01",
    }


@pytest.mark.parametrize(
    ("indoor", "public", "expected"), [(True, True, "indoor"), (False, True, "public"), (False, False, "outdoor")]
)
def test_surveillance_value_follows_indoor_and_public_access(indoor, public, expected):
    assert tags_for_camera(**BASE | {"is_indoor": indoor, "public_access": public})["surveillance"] == expected


def test_ptz_with_pan_range_gets_panning_and_a_range_and_parking_zone():
    tags = tags_for_camera(
        **BASE | {"camera_type": "ptz", "mount": "pole", "site_kind": "parking", "height_m": 6.0},
        pan=PanRange(270.0, 90.0),
        tilt_deg=30.0,
    )
    assert tags["camera:type"] == "panning"
    assert tags["camera:direction"] == "270-90"
    assert tags["camera:mount"] == "pole"
    assert tags["surveillance:zone"] == "parking"
    assert tags["height"] == "6"
    assert tags["camera:angle"] == "30"


def test_bearing_359_6_wraps_to_0_and_other_kind_has_no_zone_and_no_empty_operator():
    tags = tags_for_camera(**BASE | {"bearing_deg": 359.6, "site_kind": "other", "operator": " ", "height_m": None})
    assert tags["camera:direction"] == "0"
    assert "surveillance:zone" not in tags
    assert "operator" not in tags
    assert "height" not in tags


def test_unknown_camera_type_raises():
    with pytest.raises(KeyError):
        tags_for_camera(**BASE | {"camera_type": "laser"})


@given(
    bearing=st.floats(0, 359.4),
    camera_type=st.sampled_from(sorted(OSM_CAMERA_TYPES)),
    mount=st.sampled_from(sorted(OSM_MOUNTS)),
    height=st.floats(0.5, 49.0),
    tilt=st.one_of(st.none(), st.floats(0, 90)),
)
def test_round_trip_through_the_importer(bearing, camera_type, mount, height, tilt):
    """What we export, our own OSM importer reads back: bearing to the degree, type, height to 1 cm."""
    tags = tags_for_camera(
        **BASE | {"bearing_deg": bearing, "camera_type": camera_type, "mount": mount, "height_m": height},
        tilt_deg=tilt,
    )
    (placement,) = placements_from_tags(tags, 18.7, 59.76)
    assert placement.bearing_deg == pytest.approx(round(bearing) % 360)
    assert placement.camera_type == CameraType(OSM_CAMERA_TYPES[camera_type])
    assert placement.height_m == pytest.approx(height, abs=0.005)
    assert (placement.tilt_deg is None) == (tilt is None)
    if tilt is not None:
        assert placement.tilt_deg == pytest.approx(tilt, abs=0.005)
