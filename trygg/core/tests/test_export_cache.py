"""Whole exports are written once per state of the data and served as they are until it changes (issue 15),
never stale, never another user's, always logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.cameras import coverage
from trygg.cameras.models import Camera
from trygg.compliance import stored
from trygg.core import export_cache
from trygg.core.audit import record_event
from trygg.core.models import ObjectChange
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

CSV = "/kameror/kameror.csv"
MAP = "/karta/data.geojson"
REGISTER = "/efterlevnad/forteckning.csv"


def get(client, url: str) -> tuple[bytes, int]:
    """The body of one request and the number of queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content
    return body, len(queries)


def identifiers_in_csv(body: bytes) -> set[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    return {row[0] for row in rows[1:]}


def test_the_stamp_moves_with_every_kind_of_data_change_and_not_with_a_download(demo_users):
    camera = Camera.objects.get(identifier="TORG-01")
    first = export_cache.data_stamp()
    # A download (an event in the change log) changes no data.
    record_event(demo_users["officer"], "download.cameras_csv", {"file": "kameror.csv"})
    assert export_cache.data_stamp() == first
    # A saved record (a change log entry).
    camera.name = "Torget, norra hörnet"
    camera.save()
    after_save = export_cache.data_stamp()
    assert after_save != first
    # Coverage and stored checklists are written in bulk, without entries of their own.
    coverage.recompute([camera])
    after_coverage = export_cache.data_stamp()
    assert after_coverage != after_save
    stored.recompute([camera.pk])
    assert export_cache.data_stamp() != after_coverage


def test_a_second_download_is_served_as_it_was_written_and_logged_again(client_for):
    client = client_for("officer")
    written, written_queries = get(client, CSV)
    before = ObjectChange.objects.filter(event="download.cameras_csv").count()
    served, served_queries = get(client, CSV)
    assert served == written
    assert served_queries < written_queries  # not built again
    # Every download is in the change log, also one served from the cache.
    assert ObjectChange.objects.filter(event="download.cameras_csv").count() == before + 1


@pytest.mark.parametrize("url", [CSV, MAP, REGISTER])
def test_a_change_shows_in_the_next_download(client_for, url):
    client = client_for("officer")
    get(client, url)
    camera = Camera.objects.get(identifier="TORG-01")
    old = camera.identifier
    camera.identifier = "TORG-99"
    camera.save()
    body, _queries = get(client, url)
    text = body.decode("utf-8-sig")
    assert "TORG-99" in text and f'"{old}"' not in text and f"{old};" not in text


def test_the_map_export_follows_a_moved_camera(client_for):
    client = client_for("officer")
    camera = Camera.objects.get(identifier="TORG-01")
    get(client, MAP)
    camera.longitude += 0.001
    camera.save()
    body, _queries = get(client, MAP)
    features = json.loads(body)["features"]
    [point] = [
        f["geometry"]["coordinates"]
        for f in features
        if f["properties"].get("identifier") == "TORG-01" and f["geometry"]["type"] == "Point"
    ]
    assert point[0] == pytest.approx(camera.longitude, abs=1e-6)


def test_each_scope_and_language_gets_its_own_export(client_for):
    officer, contact = client_for("officer"), client_for("administration_contact")
    everything = identifiers_in_csv(get(officer, CSV)[0])
    own = identifiers_in_csv(get(contact, CSV)[0])
    # The contact's export, asked for after the officer's, has only the administration's cameras.
    assert "SPORT-02" in everything and "SPORT-02" not in own and own < everything
    assert identifiers_in_csv(get(officer, CSV)[0]) == everything
    officer.cookies.load({"django_language": "en"})
    english = get(officer, CSV)[0].decode("utf-8-sig")
    assert english.splitlines()[0].split(";")[0] == "Identifier"


def test_filters_and_dates_are_part_of_the_key(client_for):
    client = client_for("officer")
    everything = identifiers_in_csv(get(client, CSV)[0])
    assert identifiers_in_csv(get(client, f"{CSV}?q=TORG")[0]) == {i for i in everything if "TORG" in i}
    older = get(client, f"{REGISTER}?datum=2020-01-01")[0]
    newer = get(client, f"{REGISTER}?datum={timezone.localdate().isoformat()}")[0]
    assert older != newer


def test_a_cache_key_stays_short_and_plain_whatever_the_query(demo_users):
    # A client may send any query; memcached refuses keys over 250 characters or with control characters.
    officer = demo_users["officer"]
    query = {"q": ["x" * 5000, "\x7f\n\U000a7bf7 ?"], "\x11ô": ["{}"]}
    key = export_cache.key_for("register", officer, query, "2026-12-03:1:2:3")
    assert len(key) <= 250 and all(32 < ord(c) < 127 for c in key)
    other = export_cache.key_for("register", officer, {**query, "q": ["x" * 5000]}, "2026-12-03:1:2:3")
    assert other != key


def test_a_new_site_and_camera_appear_in_the_export(client_for):
    client = client_for("officer")
    get(client, CSV)
    template = Camera.objects.get(identifier="TORG-01")
    site = Site.objects.get(pk=template.site_id)
    camera = Camera(
        identifier="NY-01",
        site=site,
        longitude=site.longitude,
        latitude=site.latitude,
        mount="pole",
        mount_height_m=5,
        bearing_deg=10,
        hfov_deg=60,
        camera_type="fixed",
    )
    camera.planned_on = dt.date(2024, 1, 1)
    camera.save()
    assert "NY-01" in identifiers_in_csv(get(client, CSV)[0])
