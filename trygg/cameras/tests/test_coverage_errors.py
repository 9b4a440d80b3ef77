"""A building or zone that cannot be used fails only the cameras that see it, with a Swedish reason.

Before issue 12 a self-intersecting ("bow-tie") zone raised a GEOS TopologyException out of the
batch: saving the zone, or `trygg compute_coverage`, stopped for every camera of the municipality.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from trygg.cameras.coverage import computed_values, preview, recompute
from trygg.cameras.models import Camera
from trygg.core.models import Administration
from trygg.demo.geometry import lonlat, metres
from trygg.geo.crs import meridian_convergence_deg
from trygg.sites.models import Site, Zone

pytestmark = pytest.mark.django_db

LON, LAT = 18.80, 59.80


def at(east: float, north: float) -> list[float]:
    x, y = metres(LON, LAT)
    return list(lonlat(x + east, y + north))


def polygon(*points: tuple[float, float]) -> dict:
    ring = [at(*p) for p in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def site() -> Site:
    site = Site(
        name="Testskolan", kind="school", administration=Administration.objects.first(), longitude=LON, latitude=LAT
    )
    site.full_clean()
    site.save()
    return site


def add_camera(site: Site, identifier: str, east: float) -> Camera:
    lon, lat = at(east, 0.0)
    camera = Camera(
        identifier=identifier,
        site=site,
        longitude=lon,
        latitude=lat,
        mount="pole",
        mount_height_m=4.0,
        bearing_deg=float(meridian_convergence_deg(lon, lat)),  # grid north
        hfov_deg=40,
        range_m=20,
        camera_type="fixed",
    )
    camera.full_clean()
    camera.save()
    camera.refresh_from_db()
    return camera


def test_a_bow_tie_zone_fails_the_camera_that_sees_it_and_no_other(site):
    near, far = add_camera(site, "TEST-NEAR", 0.0), add_camera(site, "TEST-FAR", 200.0)
    # A zone of the far camera's own, which it sees (10–15 m ahead): its finding must survive.
    Zone(
        site=site,
        name="Grannens tomt",
        kind="neighbour",
        rule="must_not_monitor",
        geometry=polygon((195, 10), (205, 10), (205, 15), (195, 15)),
    ).save()
    far.refresh_from_db()
    before = far.zones_seen
    assert [z["zone_name"] for z in before] == ["Grannens tomt"]
    # Saved without the forms' checks (as data stored before them): the signal recomputes the site.
    Zone(
        site=site,
        name="Fjärilen",
        kind="neighbour",
        rule="must_not_monitor",
        geometry=polygon((-5, 5), (5, 15), (5, 5), (-5, 15)),
    ).save()
    near.refresh_from_db()
    far.refresh_from_db()
    assert near.coverage is None and near.visible_area_m2 is None
    assert far.zones_seen == before and far.intrusions[0]["zone_name"] == "Grannens tomt"
    problems: dict = {}
    computed_values([near, far], problems=problems)
    assert list(problems) == [near.pk]
    assert problems[near.pk].startswith("Zonen ”Fjärilen” korsar sig själv vid ")
    assert problems[near.pk].endswith("och kan inte användas; rita om ytan. Täckningen räknades inte.")


def test_the_command_names_each_camera_it_could_not_compute(site):
    add_camera(site, "TEST-NEAR", 0.0)
    Zone(
        site=site,
        name="Fjärilen",
        kind="wall",
        rule="may_monitor",
        geometry=polygon((-5, 5), (5, 15), (5, 5), (-5, 15)),
    ).save()
    out = StringIO()
    call_command("compute_coverage", site="Testskolan", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1 kameror beräknade")
    assert lines[1].startswith("Kamera TEST-NEAR: täckningen kunde inte räknas. Zonen ”Fjärilen” korsar sig själv")


def test_the_preview_says_why_it_shows_nothing(site):
    camera = add_camera(site, "TEST-NEAR", 0.0)
    camera.bearing_deg = float("nan")
    problems: list[str] = []
    assert preview(camera, problems) is None
    assert problems == ["Riktningen måste vara ett ändligt tal i grader (fick nan)."]


def test_recompute_reports_problems_for_the_whole_municipality_and_goes_on(site):
    camera = add_camera(site, "TEST-NEAR", 0.0)
    Camera.objects.filter(pk=camera.pk).update(range_m=float("inf"))  # as if stored before the checks
    problems: dict = {}
    count = recompute(Camera.objects.order_by("pk"), problems=problems)
    assert count == Camera.objects.count()
    assert problems == {camera.pk: "Räckvidden måste vara ett ändligt tal i meter (fick inf)."}
    # The demo's illustrative intrusion is still computed.
    assert Camera.objects.get(identifier="SPORT-02").intrusions


def test_the_edit_page_preview_names_the_zone_in_swedish(site, client_for):
    near = add_camera(site, "TEST-NEAR", 0.0)
    Zone(
        site=site,
        name="Fjärilen",
        kind="neighbour",
        rule="must_not_monitor",
        geometry=polygon((-5, 5), (5, 15), (5, 5), (-5, 15)),
    ).save()
    html = client_for("officer").get(f"/kameror/{near.pk}/andra/").content.decode()
    assert '<p class="intrusion-warning" role="status">Zonen ”Fjärilen” korsar sig själv vid ' in html
    assert "Self-intersection" not in html  # shapely's English never reaches the user


def test_the_preview_names_a_value_the_save_would_refuse_instead_of_drawing_it(client_for):
    from trygg.cameras.models import Camera
    from trygg.core.testing.forms import browser_post_data

    officer = client_for("officer")
    camera = Camera.objects.get(identifier="KVI-01")
    data = browser_post_data(officer.get(f"/kameror/{camera.pk}/andra/").content.decode())
    data["camera_pk"] = str(camera.pk)
    drawn = officer.post("/kameror/forhandsvisning/", data).content.decode()
    assert 'id="coverage-preview-geojson"' in drawn
    refused = officer.post("/kameror/forhandsvisning/", data | {"bearing_deg": "400"}).content.decode()
    assert 'id="coverage-preview-geojson"' not in refused
    assert "Riktning (grader):" in refused and "359" in refused
