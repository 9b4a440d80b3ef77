"""The site form: a position typed in WGS 84 or SWEREF 99 TM, with Swedish errors naming the field."""

import json

import pytest
from django.forms.models import model_to_dict

from trygg.sites.forms import SiteForm
from trygg.sites.models import Site

# Lantmäteriet's worked example in SWEREF 99 TM (see trygg/geo/tests/test_crs.py): 66° N 24° E.
LANTMATERIET_POINT = {"north": 7_349_217.668, "east": 907_351.981, "lon": 24.0, "lat": 66.0}


def site_data(site, **changes):
    data = {k: v for k, v in model_to_dict(site).items() if v is not None}
    data["outline"] = json.dumps(site.outline) if site.outline else ""
    data.pop("position_is_approximate", None)
    data.update(changes)
    return data


@pytest.fixture
def school(demo_users):
    return Site.objects.get(name="Kvisthamraskolan")


def test_the_form_shows_the_stored_point_in_sweref_99_tm_too(school):
    form = SiteForm(instance=school)
    assert form.initial["grid_north"] == pytest.approx(6_631_020.19, abs=0.01)
    assert form.initial["grid_east"] == pytest.approx(707_026.13, abs=0.01)
    names = list(form.fields)
    assert names[names.index("latitude") + 1 : names.index("latitude") + 3] == ["grid_north", "grid_east"]


def test_sweref_99_tm_typed_in_is_stored_as_wgs84_and_round_trips(school):
    data = site_data(school, grid_north=str(LANTMATERIET_POINT["north"]), grid_east=str(LANTMATERIET_POINT["east"]))
    form = SiteForm(data, instance=school)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.longitude == pytest.approx(LANTMATERIET_POINT["lon"], abs=1e-7)
    assert saved.latitude == pytest.approx(LANTMATERIET_POINT["lat"], abs=1e-7)
    again = SiteForm(instance=saved)
    assert again.initial["grid_north"] == pytest.approx(LANTMATERIET_POINT["north"], abs=0.02)
    assert again.initial["grid_east"] == pytest.approx(LANTMATERIET_POINT["east"], abs=0.02)


def test_wgs84_typed_in_wins_over_unchanged_grid_fields(school):
    initial = SiteForm(instance=school).initial
    data = site_data(
        school, longitude="18.7", latitude="59.77", grid_north=initial["grid_north"], grid_east=initial["grid_east"]
    )
    form = SiteForm(data, instance=school)
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["longitude"], form.cleaned_data["latitude"]) == (18.7, 59.77)


def test_only_sweref_on_a_new_site(school):
    data = site_data(school, name="Ny plats i Haparanda", longitude="", latitude="")
    data |= {"grid_north": "7325000", "grid_east": "915000"}
    form = SiteForm(data)
    assert form.is_valid(), form.errors
    assert 23.9 < form.cleaned_data["longitude"] < 24.3 and 65.7 < form.cleaned_data["latitude"] < 65.9


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"grid_north": "5820000", "grid_east": "800000"},
            "grid_north",
            "N 5 820 000,00 m ligger utanför Sverige, som har N mellan 6 100 000 och 7 700 000 m i SWEREF 99 TM.",
        ),
        (
            {"grid_north": "6630000", "grid_east": "50000"},
            "grid_east",
            "E 50 000,00 m ligger utanför Sverige, som har E mellan 180 000 och 1 000 000 m i SWEREF 99 TM.",
        ),
        (
            {"grid_north": "707799", "grid_east": "6630483"},
            "grid_north",
            "N och E verkar ha bytt plats: N (norrkoordinaten) är den större, t.ex. 6630483, och E t.ex. 707799.",
        ),
        (
            {"longitude": "5.2", "latitude": "59.7", "grid_north": "", "grid_east": ""},
            "longitude",
            "Longituden 5,200000° ligger utanför Sverige, som har longitud mellan 10 och 25° öst (WGS 84).",
        ),
        (
            {"longitude": "18.7", "latitude": "52.5", "grid_north": "", "grid_east": ""},
            "latitude",
            "Latituden 52,500000° ligger utanför Sverige, som har latitud mellan 55 och 69,5° nord (WGS 84).",
        ),
        (
            {"longitude": "", "latitude": "", "grid_north": "6630483", "grid_east": ""},
            "grid_east",
            "Fyll i både N och E (SWEREF 99 TM), eller töm båda.",
        ),
        (
            {"longitude": "", "latitude": "", "grid_north": "", "grid_east": ""},
            "longitude",
            "Ange läget: klicka på kartan, eller skriv longitud och latitud (WGS 84) eller N och E (SWEREF 99 TM).",
        ),
    ],
)
def test_positions_outside_sweden_are_refused_naming_the_field(school, changes, field, message):
    form = SiteForm(site_data(school, **changes), instance=school)
    assert not form.is_valid()
    assert [error.replace("\xa0", " ") for error in form.errors[field]] == [message]
    school.refresh_from_db()


def test_two_systems_that_disagree_are_refused(school):
    data = site_data(school, longitude="18.71", latitude="59.76", grid_north="6640000", grid_east="707000")
    form = SiteForm(data, instance=school)
    assert not form.is_valid()
    assert form.errors["grid_north"][0].startswith("N och E (SWEREF 99 TM) ligger ")
    assert "Ange läget i ett av systemen och töm det andra." in form.errors["grid_north"][0]


def test_site_page_shows_both_systems(client_for, school):
    html = client_for("officer").get(f"/platser/{school.pk}/").content.decode()
    assert "(WGS 84) · N 6 631 020,19, E 707 026,13 (SWEREF 99 TM)" in html.replace("\xa0", " ")


def test_a_taken_name_is_refused_in_plain_swedish_for_sites_zones_and_cameras(school, client_for):
    from trygg.cameras.models import Camera
    from trygg.core.testing.forms import browser_post_data
    from trygg.sites.models import Zone

    officer = client_for("officer")
    other = Site.objects.exclude(pk=school.pk).first()
    page = officer.get(f"/platser/{other.pk}/andra/").content.decode()
    data = browser_post_data(page) | {"name": school.name}
    html = officer.post(f"/platser/{other.pk}/andra/", data).content.decode()
    assert "Det finns redan en plats med det namnet; välj ett annat namn." in html

    zones = list(Zone.objects.filter(site=school)[:2])
    url = f"/platser/{school.pk}/omraden/{zones[1].pk}/andra/"
    data = browser_post_data(officer.get(url).content.decode()) | {"name": zones[0].name}
    response = officer.post(url, data)
    assert response.status_code == 200  # the form again, not a server error
    assert "Platsen har redan ett område med det namnet; välj ett annat namn." in response.content.decode()

    cameras = list(Camera.objects.order_by("pk")[:2])
    url = f"/kameror/{cameras[1].pk}/andra/"
    data = browser_post_data(officer.get(url).content.decode()) | {"identifier": cameras[0].identifier}
    html = officer.post(url, data).content.decode()
    assert "Det finns redan en kamera med den beteckningen; välj en annan beteckning." in html


def test_the_admin_zone_filter_offers_only_the_contacts_own_sites(client_for):
    contact = client_for("administration_contact")
    html = contact.get("/admin/sites/zone/").content.decode()
    assert "Kvisthamraskolan" in html  # BUF's school
    assert "Stora torget" not in html  # another administration's site, not even as a filter choice
