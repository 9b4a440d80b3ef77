"""Fuzzing geometry input (issue 12, item 6): building files and drawn zones, whatever their content, end in
buildings/zones saved or a Swedish ValidationError — never another exception and never a partial write."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.core.models import ObjectChange
from trygg.sites.buildings import import_buildings
from trygg.sites.models import Building, Site

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Numbers as files carry them: near the site in degrees, in SWEREF 99 metres, swapped, huge, not finite.
NUMBER = st.one_of(
    st.floats(min_value=18.69, max_value=18.71),
    st.floats(min_value=59.75, max_value=59.77),
    st.sampled_from([0.0, 59.7, 18.7, 700_000.0, 6_600_000.0, 1e308, -1e308, float("nan"), float("inf")]),
    st.integers(min_value=-(10**20), max_value=10**20),
)
POSITION = st.lists(NUMBER, min_size=0, max_size=4)
RING = st.lists(POSITION, max_size=8)
GEOMETRY = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "Nonsense", ""]),
        "coordinates": st.one_of(st.lists(RING, max_size=3), st.lists(st.lists(RING, max_size=2), max_size=2), NUMBER),
    }
)
FEATURE = st.fixed_dictionaries(
    {"type": st.just("Feature"), "properties": st.dictionaries(st.sampled_from(["name", "id"]), st.text(max_size=8))},
    optional={"geometry": GEOMETRY | st.none() | st.text(max_size=5)},
)
CRS = st.sampled_from([None, "EPSG:4326", "EPSG:3006", "EPSG:3011"])


def square(lon: float, lat: float, size: float = 0.0002) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "properties": {"name": "Hus"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


@FUZZ
@given(features=st.lists(FEATURE, max_size=4), crs=CRS, good_first=st.booleans())
def test_any_building_file_is_imported_whole_or_refused_whole(features, crs, good_first):
    site = Site.objects.get(name="Kvisthamraskolan")
    if good_first and site.longitude is not None:
        # A valid building before the fuzzed ones: it must not be saved when a later one is refused.
        features = [square(site.longitude + 0.0003, site.latitude + 0.0003), *features]
    text = json.dumps({"type": "FeatureCollection", "features": features})
    buildings, changes = Building.objects.count(), ObjectChange.objects.count()
    try:
        result = import_buildings(site, text, "fuzz", crs=crs)
    except ValidationError as error:
        assert all(message.strip() for message in error.messages)
        assert (Building.objects.count(), ObjectChange.objects.count()) == (buildings, changes)
    else:
        assert Building.objects.count() == buildings + result.created


@FUZZ
@given(content=st.binary(max_size=500) | st.text(max_size=300).map(str.encode))
def test_any_bytes_as_a_building_file_give_a_swedish_message(content):
    site = Site.objects.get(name="Kvisthamraskolan")
    buildings = Building.objects.count()
    try:
        import_buildings(site, content, "fuzz")
    except ValidationError as error:
        text = " ".join(error.messages)
        assert "Expecting" not in text and "Traceback" not in text  # no decoder or library English
    assert Building.objects.count() >= buildings


@FUZZ
@given(geometry=GEOMETRY | st.text(max_size=40))
def test_any_drawn_zone_is_saved_or_refused_on_the_form(client_for, geometry):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    zones = site.zones.count()
    value = geometry if isinstance(geometry, str) else json.dumps(geometry)
    response = client.post(
        f"/platser/{site.pk}/omraden/nytt/", {"name": "Fuzzområde", "kind": "other", "geometry": value}
    )
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert site.zones.count() == zones
    else:
        site.zones.filter(name="Fuzzområde").delete()
