"""The geometry input check: each fault of issue 12 with a small input, and properties (hypothesis)."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box, shape

from trygg.geo import GeoInputError
from trygg.geo.crs import SWEREF99_TM, WGS84, lonlat_to_grid, transform_xy
from trygg.geo.validation import (
    LINEAR,
    VALIDITY_REASONS,
    MunicipalityArea,
    SiteAnchor,
    area_around,
    check_finite,
    check_geometry,
    check_place,
    crs_from_member,
    distance_m,
    normalise_crs,
    rfc7946,
)

# Kvisthamraskolan-ish: a 20 m × 10 m building in Norrtälje, in WGS 84 and in SWEREF 99 TM.
SITE = SiteAnchor("Kvisthamraskolan", 18.7054, 59.7586)
NORRTALJE = area_around([(18.60, 59.74), (18.82, 59.80)], margin_m=30_000)


def square(lon: float = 18.7054, lat: float = 59.7586, size: float = 0.0002) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def sweref_square(east: float = 707_799.0, north: float = 6_630_483.0, size: float = 20.0) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[east, north], [east + size, north], [east + size, north + size], [east, north + size]]],
    }


# --- CRS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("urn:ogc:def:crs:EPSG::3006", "EPSG:3006"),
        ("EPSG:3006", "EPSG:3006"),
        ("urn:ogc:def:crs:EPSG::3011", "EPSG:3011"),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", WGS84),
        ("EPSG:4326", WGS84),
    ],
)
def test_the_crs_member_is_read_in_its_usual_spellings(name, expected):
    assert crs_from_member({"type": "name", "properties": {"name": name}}) == expected


def test_an_unknown_or_foreign_crs_is_refused_in_swedish():
    with pytest.raises(GeoInputError, match="Okänt koordinatsystem"):
        normalise_crs("EPSG:nonsense")
    with pytest.raises(GeoInputError, match="stöds inte"):
        normalise_crs("EPSG:25833")  # ETRS89 / UTM 33N: real, but not one Trygg takes
    with pytest.raises(GeoInputError, match="crs-uppgift kunde inte läsas"):
        crs_from_member({"type": "link"})
    assert crs_from_member(None) is None


def test_a_sweref_99_tm_polygon_with_a_crs_member_is_reprojected_not_refused():
    # Before: "Ytan ligger utanför Sverige" for every such feature.
    value = {**sweref_square(), "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}}
    result = check_geometry(value)
    lon, lat = result.geojson["coordinates"][0][0]
    east, north = lonlat_to_grid(lon, lat)
    assert abs(float(east) - 707_799.0) < 0.01 and abs(float(north) - 6_630_483.0) < 0.01
    assert result.geometry.area > 0
    check_place(result.geometry, area=NORRTALJE, site=SITE)


def test_the_chosen_crs_is_used_when_the_file_has_none():
    result = check_geometry(sweref_square(), source_crs=SWEREF99_TM)
    assert 18.7 < result.geometry.centroid.x < 18.71


def test_metres_given_where_degrees_are_expected_are_named_not_made_infinite():
    # Before: the coordinates became infinite and the building was silently dropped.
    with pytest.raises(GeoInputError, match="ser ut att vara meter"):
        check_geometry(sweref_square())


def test_degrees_given_as_sweref_are_named():
    with pytest.raises(GeoInputError, match="ser ut att vara grader"):
        check_geometry(square(), source_crs=SWEREF99_TM)


# --- finite numbers and the shape of the GeoJSON -------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinite_coordinates_are_refused(bad):
    value = square()
    value["coordinates"][0][1] = [bad, 59.7586]
    with pytest.raises(GeoInputError, match="inget ändligt tal"):
        check_geometry(value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, "12", None, True])
def test_a_bearing_or_range_that_is_not_a_finite_number_is_refused(bad):
    with pytest.raises(GeoInputError, match="riktning måste vara ett ändligt tal"):
        check_finite(bad, "riktning")
    assert check_finite(90, "riktning") == 90.0


def test_too_few_points_are_refused_in_swedish():
    with pytest.raises(GeoInputError, match=r"för få punkter.*minst tre olika hörn, men har 2"):
        check_geometry({"type": "Polygon", "coordinates": [[[18.70, 59.75], [18.71, 59.76], [18.70, 59.75]]]})
    with pytest.raises(GeoInputError, match="Linjen är tom"):
        check_geometry({"type": "LineString", "coordinates": [[18.7, 59.7], [18.7, 59.7]]}, allowed=LINEAR)


def test_a_type_that_is_not_allowed_is_named():
    with pytest.raises(GeoInputError, match="Ytan måste vara en GeoJSON-polygon"):
        check_geometry({"type": "Point", "coordinates": [18.7, 59.7]})
    with pytest.raises(GeoInputError, match="typen Polygon, men här går bara LineString, MultiLineString"):
        check_geometry({"type": "Polygon", "coordinates": [[[18.7, 59.7]]]}, allowed=LINEAR)


# --- validity ------------------------------------------------------------------------------------


def test_a_bow_tie_is_refused_in_swedish_with_the_coordinate():
    # Before: GEOS TopologyException, or shapely's English "Self-intersection[18.705 59.755]".
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[18.70, 59.75], [18.71, 59.76], [18.71, 59.75], [18.70, 59.76], [18.70, 59.75]]],
    }
    with pytest.raises(GeoInputError) as error:
        check_geometry(bowtie)
    text = str(error.value)
    assert text == "Ytan är ogiltig: kanterna korsar varandra vid longitud 18,705000, latitud 59,755000."
    assert "Self" not in text


def test_a_bow_tie_in_sweref_names_the_place_in_metres():
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]}
    bowtie["coordinates"] = [[[707_800 + x, 6_630_480 + y] for x, y in bowtie["coordinates"][0]]]
    with pytest.raises(GeoInputError, match=r"vid E 707805,00, N 6630485,00 \(EPSG:3006\)"):
        check_geometry(bowtie, source_crs=SWEREF99_TM)


def test_a_hole_outside_its_shell_is_named():
    value = square(size=0.001)
    value["coordinates"].append([[18.72, 59.77], [18.721, 59.77], [18.721, 59.771], [18.72, 59.77]])
    with pytest.raises(GeoInputError, match="ett hål ligger utanför ytans yttre gräns vid longitud 18,72"):
        check_geometry(value)


def test_every_translated_reason_is_one_geos_gives():
    # The keys must match GEOS' wording, or the translation would never be used.
    found = {
        shapely.is_valid_reason(shape(g)).split("[")[0]
        for g in (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
            {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10]], [[20, 20], [21, 20], [21, 21]]]},
        )
    }
    assert found <= set(VALIDITY_REASONS)


# --- place ---------------------------------------------------------------------------------------


def test_swapped_longitude_and_latitude_are_named():
    # Before: (59.7, 18.7) was accepted and put the camera 3 000 km away.
    with pytest.raises(GeoInputError, match="Longitud och latitud verkar omkastade"):
        check_place(Point(59.7586, 18.7054), area=NORRTALJE)
    with pytest.raises(GeoInputError, match="omkastade"):
        check_place(Point(59.7586, 18.7054))  # against Sweden when no area is known


@pytest.mark.parametrize("point", [(18.7, 200.0), (18.7, 95.0), (200.0, 59.7), (-181.0, 59.7)])
def test_coordinates_off_the_globe_are_named_not_measured(point):
    # Before: a latitude of 200 in a camera import said "Geometrin ligger inf km från platsen".
    with pytest.raises(GeoInputError) as error:
        check_place(Point(*point), area=NORRTALJE, site=SITE)
    assert "finns inte på jorden" in error.value.message and "inf" not in error.value.message


def test_a_building_350_km_from_its_site_is_refused_with_the_distance():
    # Before: an OSM extract of another city imported as "446 byggnader nya".
    # Jönköping's centre is about 350 km from Norrtälje.
    far = shape(square(14.1618, 57.7826))
    expected = distance_m(Point(SITE.longitude, SITE.latitude), far)
    assert 330_000 < expected < 370_000
    with pytest.raises(GeoInputError) as error:
        check_place(far, area=NORRTALJE, site=SITE)
    assert f"ligger {round(expected / 1000)} km från platsen Kvisthamraskolan" in str(error.value)


def test_a_building_just_beyond_one_kilometre_names_the_decimal():
    east, north = lonlat_to_grid(SITE.longitude, SITE.latitude)
    lon, lat = transform_xy(float(east) + 1500, float(north), SWEREF99_TM, WGS84)
    with pytest.raises(GeoInputError, match="ligger 1,5 km från platsen"):
        check_place(Point(float(lon), float(lat)), area=NORRTALJE, site=SITE)


def test_a_building_near_the_site_passes_and_the_outline_counts():
    check_place(shape(square()), area=NORRTALJE, site=SITE)
    # 0.02° east is about 1.1 km from the site's point but inside a drawn outline reaching there.
    far_corner = shape(square(18.7254, 59.7586))
    with pytest.raises(GeoInputError):
        check_place(far_corner, area=NORRTALJE, site=SITE)
    outlined = SiteAnchor(SITE.name, SITE.longitude, SITE.latitude, box(18.7054, 59.7586, 18.7256, 59.7590))
    check_place(far_corner, area=NORRTALJE, site=outlined)


def test_outside_the_municipality_names_the_km():
    # Gothenburg, about 390 km from the box around Norrtälje's sites.
    with pytest.raises(GeoInputError, match=r"ligger \d{3} km utanför kommunens område"):
        check_place(Point(11.97, 57.71), area=NORRTALJE)
    check_place(Point(18.9, 59.9), area=NORRTALJE)  # 12 km beyond the box: inside the 30 km margin


def test_without_sites_the_area_is_sweden():
    assert area_around([]).area.bounds == (10.0, 55.0, 25.0, 69.5)


# --- output --------------------------------------------------------------------------------------


def test_output_rings_are_closed_and_counter_clockwise():
    clockwise_open = {"type": "Polygon", "coordinates": [[[18.70, 59.75], [18.70, 59.76], [18.71, 59.76]]]}
    result = check_geometry(clockwise_open)
    ring = result.geojson["coordinates"][0]
    assert ring[0] == ring[-1]
    assert shapely.is_ccw(shapely.linearrings(ring))
    stored = rfc7946(clockwise_open)
    assert stored["coordinates"][0][0] == stored["coordinates"][0][-1]
    assert shapely.is_ccw(shapely.linearrings(stored["coordinates"][0]))
    assert rfc7946({"type": "Point", "coordinates": [18.7, 59.7]}) == {"type": "Point", "coordinates": [18.7, 59.7]}
    assert rfc7946({"type": "Polygon", "coordinates": "rubbish"}) == {"type": "Polygon", "coordinates": "rubbish"}


# --- properties ----------------------------------------------------------------------------------

lons = st.floats(min_value=11.0, max_value=24.0)
lats = st.floats(min_value=55.5, max_value=68.5)


@st.composite
def convex_polygons(draw) -> dict:
    """A valid polygon in Sweden: the convex hull of 3–8 points a few metres to a few hundred apart."""
    lon, lat = draw(lons), draw(lats)
    offsets = draw(
        st.lists(
            st.tuples(st.floats(-0.005, 0.005), st.floats(-0.003, 0.003)),
            min_size=3,
            max_size=8,
        )
    )
    hull = shapely.convex_hull(shapely.multipoints([(lon + dx, lat + dy) for dx, dy in offsets]))
    from hypothesis import assume

    assume(isinstance(hull, Polygon) and hull.area > 1e-9 and hull.is_valid)
    return {"type": "Polygon", "coordinates": [list(map(list, hull.exterior.coords))]}


@settings(max_examples=150, deadline=None)
@given(convex_polygons())
def test_any_valid_polygon_passes_and_comes_out_the_same_area(value):
    result = check_geometry(value)
    assert result.geometry.is_valid
    assert result.geometry.area == pytest.approx(Polygon(value["coordinates"][0]).area, rel=1e-9)
    ring = result.geojson["coordinates"][0]
    assert ring[0] == ring[-1] and shapely.is_ccw(shapely.linearrings(ring))
    check_place(result.geometry)  # in Sweden


@settings(max_examples=200, deadline=None)
@given(lons, lats)
def test_to_sweref_and_back_returns_the_point_within_a_millimetre(lon, lat):
    east, north = transform_xy(lon, lat, WGS84, SWEREF99_TM)
    back_lon, back_lat = transform_xy(east, north, SWEREF99_TM, WGS84)
    assert distance_m(Point(lon, lat), Point(float(back_lon), float(back_lat))) < 0.001


@settings(max_examples=200, deadline=None)
@given(
    convex_polygons(),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=1),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.sampled_from([WGS84, SWEREF99_TM, "EPSG:3011"]),
)
def test_any_input_with_nan_is_refused_and_nothing_else_is_raised(value, vertex, axis, bad, crs):
    value["coordinates"][0][vertex][axis] = bad
    with pytest.raises(GeoInputError):
        check_geometry(value, source_crs=crs)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", "Foo", None]),
    json_values,
)
def test_any_json_gives_a_geometry_or_a_geo_input_error_never_another_exception(kind, coordinates):
    try:
        result = check_geometry(
            {"type": kind, "coordinates": coordinates}, allowed={"Polygon", "MultiPolygon", *LINEAR, "Point"}
        )
    except GeoInputError as error:
        assert error.message  # a Swedish template, never shapely's English
        assert "Self-intersection" not in str(error) and "Too few points" not in str(error)
    else:
        assert result.geometry.is_valid and not result.geometry.is_empty


@settings(max_examples=100, deadline=None)
@given(lons, lats)
def test_a_point_in_sweden_passes_and_the_same_point_swapped_is_named(lon, lat):
    check_place(Point(lon, lat))
    with pytest.raises(GeoInputError, match="omkastade"):
        check_place(Point(lat, lon))


def test_a_municipality_area_without_margin_is_its_polygon():
    area = MunicipalityArea(box(18.0, 59.0, 19.0, 60.0))
    check_place(Point(18.5, 59.5), area=area)
    with pytest.raises(GeoInputError, match="utanför kommunens område"):
        check_place(Point(19.1, 59.5), area=area)


def _shapely_way(value):
    from shapely.geometry import mapping, shape

    from trygg.geo.validation import _plain

    return _plain(mapping(shapely.orient_polygons(shape(value), exterior_cw=False)))


def test_rfc7946_of_simple_polygons_is_what_shapely_gives():
    """The quick path for simple polygons (the map's export) writes exactly what shapely's orientation does."""
    import random

    rng = random.Random(7)
    for _ in range(300):
        x, y = rng.uniform(11, 24), rng.uniform(55, 69)
        ring = [[x + rng.uniform(-0.01, 0.01) * k, y + rng.uniform(0.001, 0.01) * (k % 2)] for k in range(3)]
        ring = [[x, y], [x + 0.002, y], [x + 0.002, y + 0.001], [x, y + 0.001]] if rng.random() < 0.5 else ring
        ring.append(ring[0])
        hole = [[x + 0.0005, y + 0.0002], [x + 0.001, y + 0.0002], [x + 0.001, y + 0.0006], [x + 0.0005, y + 0.0002]]
        for rings in (
            [ring],
            [ring[::-1]],
            [ring, hole],
            [ring[::-1], hole[::-1]],
            [[[18, 59], [19, 59], [19, 60], [18, 59]]],
        ):
            if len(rings) == 2 and not shapely.Polygon(ring).contains(shapely.Polygon(hole)):
                continue
            value = {"type": "Polygon", "coordinates": rings}
            assert rfc7946(value) == _shapely_way(value)
