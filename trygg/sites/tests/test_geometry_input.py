"""Geometry input through the forms, the building import and the exports (issue 12, item 1).

Each test is a fault that was found with a small input: before, it was accepted, dropped, raised or
answered in English; now it is reprojected or refused in Swedish naming the field and the problem.
"""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from trygg.cameras.geojson import site_feature_collection
from trygg.cameras.models import Camera
from trygg.core.models import Organisation
from trygg.geo.crs import SWEREF99_TM, WGS84, lonlat_to_grid, transform_xy
from trygg.sites.buildings import import_buildings
from trygg.sites.forms import SiteForm, ZoneForm
from trygg.sites.models import Building, Site, Zone

SWEREF_URN = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}


@pytest.fixture
def school(demo_users):
    return Site.objects.get(name="Kvisthamraskolan")


def grid_square(site: Site, dx: float = 40.0, dy: float = 0.0, size: float = 12.0) -> list[list[float]]:
    """A ring (open, as some tools write it) `size` m wide, `dx`/`dy` m from the site, in SWEREF 99 TM."""
    east, north = (float(v) for v in lonlat_to_grid(site.longitude, site.latitude))
    x, y = east + dx, north + dy
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size]]


def lonlat_square(lon: float, lat: float, size: float = 0.0002) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def collection(*geometries: dict, crs: dict | None = None) -> str:
    data: dict = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f"way/{n}", "properties": {"name": f"Hus {n}"}, "geometry": g}
            for n, g in enumerate(geometries, start=1)
        ],
    }
    if crs:
        data["crs"] = crs
    return json.dumps(data)


# --- the building import --------------------------------------------------------------------------


def test_a_sweref_99_tm_file_with_a_crs_member_is_reprojected(school):
    # Before: "Ytan ligger utanför Sverige" once per feature.
    text = collection(
        {"type": "Polygon", "coordinates": [grid_square(school)]},
        {"type": "Polygon", "coordinates": [grid_square(school, dx=-60)]},
        crs=SWEREF_URN,
    )
    result = import_buildings(school, text, "baskarta")
    assert (result.created, result.updated) == (2, 0)
    stored = Building.objects.get(site=school, source="baskarta", source_id="way/1").geometry
    ring = stored["coordinates"][0]
    assert ring[0] == ring[-1]  # closed, though the file's ring was open
    assert shapely.is_ccw(shapely.linearrings(ring))
    east, north = lonlat_to_grid(*ring[0])
    assert [float(east), float(north)] == pytest.approx(grid_square(school)[0], abs=0.02)


def test_the_crs_chosen_for_a_file_without_one_is_used_and_a_contradiction_refused(school):
    text = collection({"type": "Polygon", "coordinates": [grid_square(school)]})
    with pytest.raises(ValidationError, match="ser ut att vara meter"):
        import_buildings(school, text, "baskarta")
    assert import_buildings(school, text, "baskarta", crs=SWEREF99_TM).created == 1
    declared = collection({"type": "Polygon", "coordinates": [grid_square(school)]}, crs=SWEREF_URN)
    with pytest.raises(ValidationError, match="Filen säger att den är i EPSG:3006 men du valde EPSG:4326"):
        import_buildings(school, declared, "annan", crs=WGS84)


def test_buildings_350_km_away_are_refused_with_the_km_once_not_per_feature(school):
    # Before: an OSM extract of another city (Jönköping) imported as "446 byggnader nya".
    before = Building.objects.count()
    far = [lonlat_square(14.16 + n * 0.001, 57.78) for n in range(5)]
    with pytest.raises(ValidationError) as error:
        import_buildings(school, collection(*far), "OpenStreetMap")
    [message] = error.value.messages
    assert message.startswith("Objekt 1–5 (5 st): Geometrin ligger 34")
    assert re.search(r"ligger \d{3}–\d{3} km från platsen Kvisthamraskolan", message), message
    assert Building.objects.count() == before


def test_nan_and_a_bow_tie_in_a_file_are_refused_in_swedish_and_nothing_is_saved(school):
    before = Building.objects.count()
    lon, lat = school.longitude, school.latitude
    good = lonlat_square(lon + 0.0005, lat)
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat], [lon, lat + 0.001], [lon, lat]]],
    }
    # Python's json reads NaN; before, it became a NaN area further on.
    text = collection(good, bowtie).replace("]]]}}]}", "]]]}}]}")
    text = text[:-2] + ', {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": '
    text += f"[[[NaN, {lat}], [{lon}, {lat}], [{lon}, {lat + 0.001}]]]" + "}}]}"
    with pytest.raises(ValidationError) as error:
        import_buildings(school, text, "test")
    first, second = error.value.messages
    assert first.startswith("Objekt 2: Ytan är ogiltig: kanterna korsar varandra vid longitud 18,")
    assert second == "Objekt 3: Koordinaten nan är inget ändligt tal (NaN eller oändligt) och kan inte användas."
    assert Building.objects.count() == before


def test_the_import_command_takes_the_crs(school, tmp_path):
    path = tmp_path / "hus.geojson"
    path.write_text(collection({"type": "Polygon", "coordinates": [grid_square(school)]}))
    out = StringIO()
    call_command("import_buildings", school.name, str(path), "--source", "baskarta", "--crs", "EPSG:3006", stdout=out)
    assert "1 byggnader nya" in out.getvalue()
    with pytest.raises(CommandError, match="stöds inte"):
        call_command("import_buildings", school.name, str(path), "--crs", "EPSG:25833")


def test_the_admin_import_form_offers_the_crs(client_for, school):
    client = client_for("admin")
    url = f"/admin/sites/site/{school.pk}/byggnader/"
    page = client.get(url).content.decode()
    assert "SWEREF 99 TM (E, N i meter)" in page and "EPSG:3011" in page
    upload = StringIO(collection({"type": "Polygon", "coordinates": [grid_square(school)]}))
    upload.name = "hus.geojson"
    response = client.post(url, {"file": upload, "source": "baskarta", "crs": SWEREF99_TM})
    assert response.status_code == 302
    assert Building.objects.filter(site=school, source="baskarta").count() == 1


# --- the forms --------------------------------------------------------------------------------------


def zone_data(**changes):
    data = {"name": "Grannens tomt", "kind": "neighbouring_property", "rule": "must_not_monitor", "notes": ""}
    data.update(changes)
    return data


def test_a_zone_drawn_5_km_from_its_site_is_refused_with_the_km(school):
    far = lonlat_square(school.longitude + 0.09, school.latitude)
    form = ZoneForm(zone_data(geometry=json.dumps(far)), instance=Zone(site=school))
    assert not form.is_valid()
    assert "Geometrin ligger 5 km från platsen Kvisthamraskolan" in form.errors["geometry"][0]


def test_a_zone_with_nan_or_english_reasons_is_refused_in_swedish(school):
    lon, lat = school.longitude, school.latitude
    text = f'{{"type": "Polygon", "coordinates": [[[{lon}, {lat}], [NaN, {lat}], [{lon}, {lat + 0.001}]]]}}'
    form = ZoneForm(zone_data(geometry=text), instance=Zone(site=school))
    assert not form.is_valid()
    assert form.errors["geometry"] == [
        "Koordinaten nan är inget ändligt tal (NaN eller oändligt) och kan inte användas."
    ]
    few = {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat], [lon, lat]]]}
    form = ZoneForm(zone_data(geometry=json.dumps(few)), instance=Zone(site=school))
    assert not form.is_valid()
    assert form.errors["geometry"] == [
        "Ytan har för få punkter: en ring behöver minst tre olika hörn, men har 2."
    ]  # before: shapely's "Too few points in geometry component"


def test_a_zone_drawn_clockwise_and_open_is_stored_closed_and_counter_clockwise(school):
    lon, lat = school.longitude, school.latitude
    clockwise_open = {"type": "Polygon", "coordinates": [[[lon, lat], [lon, lat + 0.0003], [lon + 0.0003, lat]]]}
    form = ZoneForm(zone_data(geometry=json.dumps(clockwise_open)), instance=Zone(site=school))
    assert form.is_valid(), form.errors
    ring = form.save().geometry["coordinates"][0]
    assert len(ring) == 4 and ring[0] == ring[-1]
    assert shapely.is_ccw(shapely.linearrings(ring))


def site_data(site, **changes):
    data = {k: v for k, v in model_to_dict(site).items() if v is not None}
    data["outline"] = json.dumps(site.outline) if site.outline else ""
    data.pop("position_is_approximate", None)
    data.update(changes)
    return data


def test_swapped_longitude_and_latitude_are_named_on_the_site_form(school):
    # Before: "Longituden 59,7 ligger utanför Sverige" and the same for latitude, not what went wrong.
    form = SiteForm(site_data(school, longitude="59.7586", latitude="18.7054"), instance=school)
    assert not form.is_valid()
    assert form.errors["longitude"][0].startswith("Longitud och latitud verkar omkastade")


def test_a_site_outside_the_municipality_area_set_by_the_organisation_is_refused(school):
    organisation = Organisation.current()
    organisation.area = lonlat_square(18.5, 59.6, size=0.4)
    organisation.area_margin_km = 5
    organisation.save()
    form = SiteForm(site_data(school, longitude="16.5", latitude="59.6"), instance=school)  # Västerås
    assert not form.is_valid()
    assert "km utanför kommunens område" in form.errors["longitude"][0]
    form = SiteForm(site_data(school, longitude="18.71", latitude="59.76"), instance=school)
    assert form.is_valid(), form.errors


def test_a_camera_3_km_from_its_site_is_refused_with_the_km(demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    east, north = lonlat_to_grid(camera.site.longitude, camera.site.latitude)
    lon, lat = transform_xy(float(east), float(north) + 3000, SWEREF99_TM, WGS84)
    camera.longitude, camera.latitude = float(lon), float(lat)
    with pytest.raises(ValidationError) as error:
        camera.full_clean()
    assert "Geometrin ligger 3 km från platsen Kvisthamraskolan" in error.value.message_dict["longitude"][0]


@pytest.mark.parametrize("field", ["bearing_deg", "range_m"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_or_infinite_bearing_and_range_are_refused_by_the_model(demo_users, field, bad):
    # Django's min/max validators let NaN through (NaN < 0 is false); before, NaN areas followed.
    camera = Camera.objects.get(identifier="KVI-01")
    setattr(camera, field, bad)
    with pytest.raises(ValidationError) as error:
        camera.full_clean()
    assert "måste vara ett ändligt tal" in error.value.message_dict[field][0]


# --- the exports ------------------------------------------------------------------------------------


def test_exports_close_rings_and_wind_them_counter_clockwise(school):
    lon, lat = school.longitude, school.latitude
    clockwise_open = {"type": "Polygon", "coordinates": [[[lon, lat], [lon, lat + 0.0003], [lon + 0.0003, lat]]]}
    # Stored before this check existed (the field validator never changed the value).
    Zone.objects.filter(site=school).update(geometry=clockwise_open)
    zones = [f for f in site_feature_collection(school)["features"] if f["properties"]["kind"] == "zone"]
    assert zones
    for feature in zones:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1]
        assert shapely.is_ccw(shapely.linearrings(ring))
