"""Part 2 CRS rules, with values worked by hand from the projections' definitions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.ogc.crs import CRS84, bbox_to_crs84, geometry_to, parse_crs, supported
from trygg.ogc.errors import QueryError

# GRS80 meridian arc from the equator to 60° N: 6 654 072.82 m (the classic value; WGS 84 and GRS80
# differ below a millimetre here). SWEREF 99 TM: central meridian 15° E, k0 = 0.9996, false easting
# 500 000 m; SWEREF 99 18 00 (EPSG:3011): central meridian 18° E, k0 = 1, false easting 150 000 m.
ARC_60 = 6_654_072.82


def test_on_the_central_meridian_easting_is_the_false_easting_and_northing_the_scaled_arc():
    tm = geometry_to({"type": "Point", "coordinates": [15.0, 60.0]}, "EPSG:3006")["coordinates"]
    assert tm[0] == pytest.approx(0.9996 * ARC_60, abs=0.01)  # northing first (EPSG axis order)
    assert tm[1] == pytest.approx(500_000.0, abs=0.001)
    local = geometry_to({"type": "Point", "coordinates": [18.0, 60.0]}, "EPSG:3011")["coordinates"]
    assert tuple(local) == pytest.approx((ARC_60, 150_000.0), abs=0.01)


def test_crs84_is_returned_unchanged():
    point = {"type": "Point", "coordinates": [18.7, 59.76]}
    assert geometry_to(point, "CRS84") is point


def test_polygons_keep_their_shape():
    square = {"type": "Polygon", "coordinates": [[[15, 60], [15.001, 60], [15.001, 60.001], [15, 60.001], [15, 60]]]}
    ring = geometry_to(square, "EPSG:3006")["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert all(n > 6_000_000 and e < 1_000_000 for n, e in ring)  # N, E order throughout


def test_parse_crs_accepts_uris_and_short_codes_offered_only():
    offered = supported("EPSG:3011")
    assert offered == [
        CRS84,
        "http://www.opengis.net/def/crs/EPSG/0/3006",
        "http://www.opengis.net/def/crs/EPSG/0/3011",
    ]
    assert parse_crs(CRS84, offered) == "CRS84"
    assert parse_crs("http://www.opengis.net/def/crs/EPSG/0/3006", offered) == "EPSG:3006"
    assert parse_crs("[EPSG:3011]", offered) == "EPSG:3011"
    with pytest.raises(QueryError) as caught:
        parse_crs("http://www.opengis.net/def/crs/EPSG/0/3857", offered, "bbox-crs")
    assert caught.value.params["name"] == "bbox-crs"


def test_grid_bbox_in_wrong_order_is_refused():
    with pytest.raises(QueryError, match="bbox"):
        bbox_to_crs84((6_652_000, 499_000, 6_651_000, 501_000), "EPSG:3006")


@given(
    lon=st.floats(11.5, 23.5),
    lat=st.floats(55.5, 68.5),
    half=st.floats(10.0, 5000.0),
)
def test_a_grid_box_around_a_point_contains_it_in_crs84(lon, lat, half):
    north, east = geometry_to({"type": "Point", "coordinates": [lon, lat]}, "EPSG:3006")["coordinates"]
    west, south, east_lon, north_lat = bbox_to_crs84(
        (north - half, east - half, north + half, east + half), "EPSG:3006"
    )
    assert west <= lon <= east_lon and south <= lat <= north_lat
