"""The whole-register open data files are written once per state of the data (`trygg.core.export_cache`)
with the same bytes as when every request wrote them from model instances."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trygg.cameras.services import cameras_with_state_on
from trygg.compliance.facts import ONGOING_STATES
from trygg.core.csv_export import csv_text
from trygg.ogc.collections import PUBLIC_DECIMALS, public_sites
from trygg.opendata import data
from trygg.sites.choices import SiteKind
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

GEOJSON = "/oppna-data/kamerabevakning.geojson"
CSV = "/oppna-data/kamerabevakning.csv"


def written_the_old_way(request_origin: str) -> tuple[bytes, bytes]:
    """(GeoJSON, CSV) as the views wrote them on every request before they were kept: site instances,
    a reverse and an absolute address per site, each camera's row in Python."""
    today = timezone.localdate()
    sites = list(public_sites())
    per_site: dict[int, list[dict]] = {}
    for camera in (
        cameras_with_state_on(today)
        .filter(state_on_date__in=ONGOING_STATES, site_id__in=[site.pk for site in sites])
        .values("site_id", "purpose", "records_sound", "retention_hours")
    ):
        per_site.setdefault(camera["site_id"], []).append(camera)
    kinds = dict(SiteKind.choices)
    rows = []
    for site in sites:
        cameras = per_site.get(site.pk, [])
        rows.append(
            data.RegisterRow(
                site_id=site.pk,
                name=site.name,
                kind=str(kinds.get(site.kind, site.kind)),
                cameras_in_operation=site.cameras_in_operation,
                purposes=tuple(sorted({c["purpose"].strip() for c in cameras if c["purpose"].strip()})),
                records_sound=any(c["records_sound"] for c in cameras),
                longest_retention_hours=max((c["retention_hours"] for c in cameras), default=None),
                longitude=round(float(site.public_longitude), PUBLIC_DECIMALS),
                latitude=round(float(site.public_latitude), PUBLIC_DECIMALS),
                information_path=reverse("compliance_public:public_site", args=[site.pk]),
            )
        )
    rows.sort(key=lambda row: (row.name, row.site_id))
    features = [
        {
            "type": "Feature",
            "id": row.site_id,
            "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
            "properties": {
                name: value
                for name, value in zip(data.REGISTER_COLUMNS, row.cells(), strict=True)
                if name not in ("longitud", "latitud")
            }
            | {"information": request_origin + row.information_path, "spelar_in_ljud": row.records_sound},
        }
        for row in rows
    ]
    geojson = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)
    table = [list(data.REGISTER_COLUMNS)]
    for row in rows:
        cells = row.cells()
        cells[-1] = request_origin + row.information_path
        table.append(cells)
    return geojson.encode(), csv_text(table).encode()


def get(client, url: str) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
    return response.content, len(queries)


def test_the_files_have_the_bytes_of_the_old_way(client):
    geojson, csv = written_the_old_way("http://testserver")
    assert len(json.loads(geojson)["features"]) > 3
    assert get(client, GEOJSON)[0] == geojson  # written
    assert get(client, CSV)[0] == csv
    assert get(client, GEOJSON)[0] == geojson  # served as kept
    assert get(client, CSV)[0] == csv


@pytest.mark.parametrize("url", [GEOJSON, CSV])
def test_a_second_download_is_not_written_again_whoever_asks_and_whatever_the_query(
    client, client_for, url, monkeypatch
):
    written, written_queries = get(client, url)
    monkeypatch.setattr(data, "public_register", lambda: pytest.fail("written again"))
    served, served_queries = get(client, url)
    assert served == written and served_queries < written_queries
    assert get(client_for("reader"), url)[0] == written  # the same file for a logged-in user
    assert get(client, url + "?x=1")[0] == written  # a made-up parameter makes no other copy


@pytest.mark.parametrize("url", [GEOJSON, CSV])
def test_a_change_shows_in_the_next_download(client, url):
    get(client, url)
    site = Site.objects.get(name="Stora torget")
    site.name = "Stora torget (norra delen)"
    site.save()
    assert "Stora torget (norra delen)" in get(client, url)[0].decode("utf-8-sig")


def test_each_host_gets_its_own_links(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "data.kommun.example"]
    assert b"http://testserver/kamerabevakning/platser/" in get(client, GEOJSON)[0]
    other = client.get(GEOJSON, HTTP_HOST="data.kommun.example").content
    assert b"http://data.kommun.example/kamerabevakning/platser/" in other and b"testserver" not in other
