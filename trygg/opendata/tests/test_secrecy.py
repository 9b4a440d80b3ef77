"""The secrecy scan (issue 13, item 5): no open-data response holds the position of a secret placement.

An in-operation camera is marked secret (OSL 18 kap. 8 §) and every response under /oppna-data/ is
fetched anonymously, in every format, and searched for the camera's coordinates written in every way
a file could hold them: WGS 84 degrees at 5, 6 and 7 decimals (rounded and cut, with decimal point and
decimal comma), the full float, and SWEREF 99 TM metres (to the metre and the decimetre). The public
pages and the public OGC collection are scanned too. To show the scan can fail, the same needles must
be found in an officer's camera export (/kameror/kameror.csv) and OGC camera page, and in the
OpenStreetMap export while the camera is not yet secret.
"""

from __future__ import annotations

import math

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from trygg.cameras.models import Camera
from trygg.cameras.services import cameras_in_operation
from trygg.geo.crs import lonlat_to_grid
from trygg.opendata import urls as opendata_urls

pytestmark = pytest.mark.django_db

CAMERA = "TORG-01"  # in operation since 2019 and chosen for OpenStreetMap in the demo


def _cut(value: float, decimals: int) -> str:
    return str(math.trunc(value * 10**decimals) / 10**decimals)


def needles(longitude: float, latitude: float) -> set[str]:
    """Every text the position could appear as: each coordinate alone, as a leak needs only one."""
    found: set[str] = set()
    for value in (longitude, latitude):
        texts = {repr(value)}
        for decimals in (5, 6, 7):
            texts |= {f"{value:.{decimals}f}", str(round(value, decimals)), _cut(value, decimals)}
        found |= texts | {text.replace(".", ",") for text in texts}
    easting, northing = (float(v) for v in lonlat_to_grid(longitude, latitude))
    for value in (easting, northing):
        texts = {str(round(value)), f"{value:.1f}"}
        found |= texts | {text.replace(".", ",") for text in texts}
    return found


def leaks(body: bytes, wanted: set[str]) -> set[str]:
    text = body.decode("utf-8", errors="replace")
    return {needle for needle in wanted if needle in text}


def open_data_urls() -> list[str]:
    """Every route of trygg.opendata (a new one is scanned without touching this test)."""
    return ["/oppna-data/" + str(p.pattern) for p in opendata_urls.urlpatterns if isinstance(p, URLPattern)]


def public_urls() -> list[str]:
    return [
        *open_data_urls(),
        "/",
        "/kamerabevakning/",
        "/ogc/collections/sites/items?limit=1000",
    ]


@pytest.fixture
def secret_camera():
    camera = Camera.objects.get(identifier=CAMERA)
    assert camera.publish_osm
    camera.secret_placement = True
    camera.save()  # as legacy data would hold it: chosen for OSM and secret
    return camera


def test_the_camera_is_in_operation_today_and_the_needles_are_finer_than_the_public_rounding():
    camera = Camera.objects.get(identifier=CAMERA)
    assert cameras_in_operation(timezone.localdate(), Camera.objects.filter(pk=camera.pk)) == 1
    wanted = needles(camera.longitude, camera.latitude)
    assert f"{camera.latitude:.6f}".replace(".", ",") in wanted  # as the officer's CSV writes it
    # The site's public position (two decimals) is no needle, so the scan cannot fail on it.
    assert not {str(round(camera.longitude, 2)), str(round(camera.latitude, 2))} & wanted


def test_no_open_data_response_holds_a_secret_camera_position(client, secret_camera):
    wanted = needles(secret_camera.longitude, secret_camera.latitude)
    scanned = 0
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not leaks(response.content, wanted), (url, leaks(response.content, wanted))
        scanned += 1
    assert scanned >= 10 + 3  # all ten open-data files and pages, and the public pages


def test_the_scan_finds_the_position_where_it_is_allowed(client, client_for, secret_camera):
    wanted = needles(secret_camera.longitude, secret_camera.latitude)
    officer = client_for("officer")
    csv = officer.get(reverse("cameras:csv"))
    assert leaks(csv.content, wanted)
    page = officer.get(f"/ogc/collections/cameras/items/{secret_camera.pk}")
    assert page.status_code == 200 and leaks(page.content, wanted)


def test_the_scan_finds_the_position_in_the_osm_export_before_the_camera_is_secret(client):
    camera = Camera.objects.get(identifier=CAMERA)
    wanted = needles(camera.longitude, camera.latitude)
    for url in ("/oppna-data/openstreetmap.geojson", "/oppna-data/openstreetmap.osm"):
        assert leaks(client.get(url).content, wanted), url
