"""OWSLib, a real OGC API client, against a live Trygg: anonymous and as a signed-in officer."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from owslib.ogcapi.features import Features

from trygg.cameras.models import Camera
from trygg.ogc.collections import public_sites


def read_all(api: Features, collection_id: str, limit: int) -> tuple[list[dict], int]:
    """Every feature of a collection, page by page as a client does (offset), and the number of pages."""
    features: list[dict] = []
    pages = 0
    while True:
        page = api.collection_items(collection_id, limit=limit, offset=len(features))
        pages += 1
        assert page["numberReturned"] == len(page["features"])
        features += page["features"]
        if not any(link["rel"] == "next" for link in page["links"]):
            assert len(features) == page["numberMatched"]
            return features, pages


@pytest.mark.django_db(transaction=True)
def test_owslib_anonymous_reads_only_the_public_sites(live_server, demo_users):
    api = Features(f"{live_server.url}/ogc/")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    assert api.feature_collections() == ["sites"]  # ids of the collections whose itemType is feature
    assert api.api()["components"]["parameters"]["limit"]["schema"]["maximum"] == 1000
    features, pages = read_all(api, "sites", limit=1)
    assert {f["id"] for f in features} == set(public_sites().values_list("pk", flat=True))
    assert pages == len(features) > 1
    with pytest.raises(RuntimeError):  # OWSLib raises on the 404 of a collection the public may not read
        api.collection_items("cameras")


@pytest.mark.django_db(transaction=True)
def test_owslib_as_officer_reads_the_cameras_page_by_page_with_exact_geometry(live_server, demo_users):
    client = Client()
    client.force_login(demo_users["officer"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    api = Features(f"{live_server.url}/ogc/", headers={"Cookie": cookie})
    assert api.feature_collections() == ["cameras", "coverage", "sites", "zones"]
    features, pages = read_all(api, "cameras", limit=3)
    cameras = {c.pk: c for c in Camera.objects.all()}
    assert pages == -(-len(cameras) // 3)
    assert {f["id"] for f in features} == set(cameras)
    for feature in features:
        camera = cameras[feature["id"]]
        assert feature["geometry"]["coordinates"] == [camera.longitude, camera.latitude]
    one = api.collection_item("cameras", str(features[0]["id"]))
    assert one["properties"]["identifier"] == cameras[features[0]["id"]].identifier
    torget = api.collection_items("cameras", bbox=[18.70, 59.757, 18.706, 59.760])
    assert {f["properties"]["site"] for f in torget["features"]} == {"Stora torget"}


@pytest.mark.django_db(transaction=True)
def test_owslib_with_an_officers_api_key_reads_exact_geometry_and_the_download_is_logged(live_server, demo_users):
    """QGIS's "API Header" authentication and OWSLib's `headers=` send the key as `Authorization: Bearer …`."""
    from trygg.api.models import ApiToken
    from trygg.core.models import ObjectChange

    _token, key = ApiToken.issue(demo_users["officer"], "QGIS")
    api = Features(f"{live_server.url}/ogc/", headers={"Authorization": f"Bearer {key}"})
    assert api.feature_collections() == ["cameras", "coverage", "sites", "zones"]
    features, _pages = read_all(api, "cameras", limit=1000)
    cameras = {c.pk: c for c in Camera.objects.all()}
    assert {f["id"] for f in features} == set(cameras)
    for feature in features:
        camera = cameras[feature["id"]]
        assert feature["geometry"]["coordinates"] == [camera.longitude, camera.latitude]
    download = ObjectChange.objects.filter(event="download.ogc_features").latest("pk")
    assert (download.user, download.source) == (demo_users["officer"], "web")


@pytest.mark.django_db(transaction=True)
def test_owslib_with_a_readers_key_reads_what_a_reader_may_and_a_revoked_key_is_refused(live_server, demo_users):
    from trygg.api.models import ApiToken

    token, key = ApiToken.issue(demo_users["reader"], "Nämnden")
    api = Features(f"{live_server.url}/ogc/", headers={"Authorization": f"Bearer {key}"})
    assert api.feature_collections() == ["sites"]
    token.revoke()
    with pytest.raises(RuntimeError):  # OWSLib raises on the 401
        Features(f"{live_server.url}/ogc/", headers={"Authorization": f"Bearer {key}"}).feature_collections()
