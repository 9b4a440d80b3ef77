"""No lost update through the API (issue 15, item 6): reads carry the version as ETag, a stale If-Match is 412."""

from __future__ import annotations

import json

import pytest

from trygg.cameras.models import Camera
from trygg.core.versions import current_version

pytestmark = pytest.mark.django_db

OFF, A = "officer", "admin"


def patch(client, url, data, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(url, json.dumps(data), content_type="application/json", **headers)


def test_a_change_from_an_old_version_is_refused_and_nothing_is_overwritten(api_client):
    camera = Camera.objects.get(identifier="KVI-01")
    url = f"/api/v1/cameras/{camera.pk}/"
    first, second = api_client(OFF), api_client(A)
    read = first.get(url)
    etag = read["ETag"]
    assert etag == f'"{current_version(camera)}"'
    assert second.get(url)["ETag"] == etag  # both read the same version
    done = patch(first, url, {"bearing_deg": 45.0}, etag)
    assert done.status_code == 200 and done["ETag"] != etag
    refused = patch(second, url, {"bearing_deg": 120.0}, etag)
    assert refused.status_code == 412
    answer = refused.json()
    assert answer["code"] == "stale"
    assert "har ändrats av Hanna Handläggare" in answer["message"]
    assert any("45" in line for line in answer["errors"])  # the other person's value is named
    camera.refresh_from_db()
    assert camera.bearing_deg == 45.0
    # With the new version the same change goes through.
    assert patch(second, url, {"bearing_deg": 120.0}, done["ETag"]).status_code == 200


def test_a_web_form_save_makes_the_apis_version_stale(api_client, client_for):
    from trygg.sites.models import Site

    site = Site.objects.get(name="Kvisthamraskolan")
    url = f"/api/v1/sites/{site.pk}/"
    etag = api_client(OFF).get(url)["ETag"]
    site.notes = "Ändrad i formuläret."
    site.save()
    assert patch(api_client(OFF), url, {"notes": "Från API:t"}, etag).status_code == 412
    site.refresh_from_db()
    assert site.notes == "Ändrad i formuläret."


def test_without_if_match_the_change_is_not_checked_and_a_bad_one_is_refused(api_client):
    camera = Camera.objects.get(identifier="KVI-01")
    url = f"/api/v1/cameras/{camera.pk}/"
    assert patch(api_client(OFF), url, {"bearing_deg": 30.0}).status_code == 200
    bad = patch(api_client(OFF), url, {"bearing_deg": 31.0}, "version-ett")
    assert bad.status_code == 400 and "If-Match" in bad.json()["fields"]
