"""OGC API – Features with Django's test client: every parameter, every error, access and secrecy."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.cameras.models import Camera
from trygg.cameras.services import cameras_in_operation
from trygg.ogc.crs import geometry_to
from trygg.sites.models import Site, Zone

pytestmark = pytest.mark.django_db

STAFF = ["admin", "officer", "dpo", "administration_contact"]


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response, json.loads(response.content)


#
# Landing page, OpenAPI, conformance
#


def test_landing_page_links_qgis_and_owslib_need(client):
    response, body = get_json(client, "/ogc/")
    assert response["Content-Type"] == "application/json"
    links = {link["rel"]: link for link in body["links"]}
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["service-desc"]["href"] == "http://testserver/ogc/api"
    assert links["conformance"]["href"] == "http://testserver/ogc/conformance"
    assert links["data"]["href"] == "http://testserver/ogc/collections"
    assert links["self"]["href"] == "http://testserver/ogc/"
    assert all("type" in link for link in body["links"])  # OWSLib indexes link["type"] directly


def test_browser_gets_html_and_owslib_json(client):
    html = client.get("/ogc/", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html["Content-Type"].startswith("text/html")
    assert "<h1>Trygg – kamerabevakning som geodata</h1>" in html.content.decode()
    assert client.get("/ogc/", headers={"accept": "*/*"})["Content-Type"] == "application/json"
    assert client.get("/ogc/?f=html")["Content-Type"].startswith("text/html")


def test_openapi_document_states_the_page_size_limits(client):
    response, body = get_json(client, "/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert body["openapi"].startswith("3.0")
    limit = body["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (100, 1000)
    assert "/collections/{collectionId}/items" in body["paths"]


def test_conformance_lists_core_geojson_oas30_and_crs(client):
    _response, body = get_json(client, "/ogc/conformance")
    assert sorted(c.rsplit("/", 1)[1] for c in body["conformsTo"]) == ["core", "crs", "geojson", "oas30"]


#
# Collections per role
#


@pytest.mark.parametrize("role", [None, "reader"])
def test_public_gets_only_the_sites_with_cameras_in_operation(client_for, role):
    client = client_for(role)
    _response, body = get_json(client, "/ogc/collections")
    assert [c["id"] for c in body["collections"]] == ["sites"]
    for hidden in ("cameras", "coverage", "zones"):
        get_json(client, f"/ogc/collections/{hidden}", 404)
        _response, error = get_json(client, f"/ogc/collections/{hidden}/items", 404)
        assert error["code"] == "NotFound"
    _response, page = get_json(client, "/ogc/collections/sites/items")
    names = {f["properties"]["name"] for f in page["features"]}
    assert "Stora torget" in names
    assert "Kvisthamraskolan" not in names  # only planned cameras there
    torget = next(f for f in page["features"] if f["properties"]["name"] == "Stora torget")
    assert torget["properties"]["url"] == f"/kamerabevakning/platser/{torget['id']}/"
    assert torget["properties"]["cameras_in_operation"] == cameras_in_operation(
        timezone.localdate(), Camera.objects.filter(site__name="Stora torget")
    )


@pytest.mark.parametrize("role", STAFF)
def test_staff_get_four_collections_with_extent(client_for, role):
    _response, body = get_json(client_for(role), "/ogc/collections")
    assert [c["id"] for c in body["collections"]] == ["cameras", "coverage", "sites", "zones"]
    cameras = body["collections"][0]
    items = next(link for link in cameras["links"] if link["rel"] == "items")
    assert items["type"] == "application/geo+json"
    west, south, east, north = cameras["extent"]["spatial"]["bbox"][0]
    visible = (
        Camera.objects.all()
        if role != "administration_contact"
        else Camera.objects.filter(site__administration__short_name="BUF")
    )
    assert west == min(visible.values_list("longitude", flat=True))
    assert south == min(visible.values_list("latitude", flat=True))
    assert east == max(visible.values_list("longitude", flat=True))
    assert north == max(visible.values_list("latitude", flat=True))


def test_contact_sees_only_own_administrations_cameras(client_for):
    _response, page = get_json(client_for("administration_contact"), "/ogc/collections/cameras/items?limit=1000")
    expected = set(Camera.objects.filter(site__administration__short_name="BUF").values_list("pk", flat=True))
    assert {f["id"] for f in page["features"]} == expected
    assert page["numberMatched"] == len(expected) < Camera.objects.count()
    other = Camera.objects.exclude(site__administration__short_name="BUF").first()
    get_json(client_for("administration_contact"), f"/ogc/collections/cameras/items/{other.pk}", 404)


#
# Items: paging, bbox, datetime, single item
#


def test_officer_pages_through_all_cameras(client_for):
    client = client_for("officer")
    url, seen = "/ogc/collections/cameras/items?limit=2", []
    while url:
        response, page = get_json(client, url)
        assert response["Content-Type"] == "application/geo+json"
        assert page["numberReturned"] == len(page["features"]) <= 2
        assert page["numberMatched"] == Camera.objects.count()
        assert page["timeStamp"].endswith("Z")
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert sorted(seen) == sorted(Camera.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_offset_and_prev_link(client_for):
    _response, page = get_json(client_for("officer"), "/ogc/collections/cameras/items?limit=2&offset=2")
    rels = {link["rel"]: link["href"] for link in page["links"]}
    assert rels["prev"].endswith("limit=2&offset=0")
    first = list(Camera.objects.order_by("pk").values_list("pk", flat=True)[2:4])
    assert [f["id"] for f in page["features"]] == first


def test_officer_sees_exact_camera_geometry(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    _response, feature = get_json(client_for("officer"), f"/ogc/collections/cameras/items/{camera.pk}")
    assert feature["geometry"] == {"type": "Point", "coordinates": [camera.longitude, camera.latitude]}
    assert feature["properties"]["identifier"] == "TORG-01"
    assert {link["rel"] for link in feature["links"]} == {"self", "collection"}


def test_bbox_is_filtered_in_the_database(client_for):
    torget = Site.objects.get(name="Stora torget")
    bbox = (torget.longitude - 0.001, torget.latitude - 0.001, torget.longitude + 0.001, torget.latitude + 0.001)
    expected = {
        c.pk for c in Camera.objects.all() if bbox[0] <= c.longitude <= bbox[2] and bbox[1] <= c.latitude <= bbox[3]
    }
    assert expected  # the demo has cameras there
    with CaptureQueriesContext(connection) as queries:
        _response, page = get_json(
            client_for("officer"), "/ogc/collections/cameras/items?bbox=" + ",".join(map(str, bbox))
        )
    assert {f["id"] for f in page["features"]} == expected
    assert page["numberMatched"] == len(expected) < Camera.objects.count()
    page_sql = [q["sql"] for q in queries.captured_queries if "cameras_camera" in q["sql"] and "LIMIT" in q["sql"]]
    assert page_sql and all('"longitude" >=' in sql for sql in page_sql)


def test_bbox_on_coverage_sites_and_zones(client_for):
    client = client_for("officer")
    far_away = "11.0,55.5,11.1,55.6"  # the sea off Skåne: nothing of Norrtälje's there
    for collection in ("coverage", "sites", "zones"):
        _response, page = get_json(client, f"/ogc/collections/{collection}/items?bbox={far_away}")
        assert (page["numberMatched"], page["features"]) == (0, [])
    _response, page = get_json(client, "/ogc/collections/zones/items?bbox=18,59,19,61&limit=1000")
    assert page["numberMatched"] == Zone.objects.count()


def test_datetime_gives_cameras_in_operation_on_the_date(client_for):
    client = client_for("officer")
    for day in (dt.date(2019, 8, 1), dt.date(2019, 10, 1), dt.date(2024, 6, 1)):
        _response, page = get_json(client, f"/ogc/collections/cameras/items?limit=1000&datetime={day.isoformat()}")
        assert page["numberMatched"] == cameras_in_operation(day)
    _response, page = get_json(client, "/ogc/collections/cameras/items?datetime=2019-10-01T12:00:00Z")
    assert "TORG-01" in {f["properties"]["identifier"] for f in page["features"]}
    _response, page = get_json(client, "/ogc/collections/cameras/items?datetime=2019-08-01")
    assert "TORG-01" not in {f["properties"]["identifier"] for f in page["features"]}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=abc", "limit"),
        ("offset=-5", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=19,59,18,60", "bbox"),
        ("datetime=igår", "datetime"),
        ("datetime=2025-01-01/2025-02-01", "datetime"),
        ("f=xml", "f"),
        ("sortby=name", "sortby"),
    ],
)
def test_bad_parameters_give_a_swedish_400(client, query, field):
    response, body = get_json(client, f"/ogc/collections/sites/items?{query}", 400)
    assert response["Content-Type"] == "application/json"
    assert body["code"] in {"InvalidParameterValue", "UnknownParameter"}
    assert f"Parametern ”{field}”" in body["description"]


def test_unknown_collection_and_feature_are_404(client_for):
    client = client_for("officer")
    _response, body = get_json(client, "/ogc/collections/finns-inte/items", 404)
    assert body["description"] == "Samlingen ”finns-inte” finns inte."
    get_json(client, "/ogc/collections/cameras/items/999999", 404)
    get_json(client, "/ogc/collections/cameras/items/abc", 404)


def test_public_item_only_for_public_sites(client):
    kvisthamra = Site.objects.get(name="Kvisthamraskolan")
    torget = Site.objects.get(name="Stora torget")
    get_json(client, f"/ogc/collections/sites/items/{kvisthamra.pk}", 404)
    _response, feature = get_json(client, f"/ogc/collections/sites/items/{torget.pk}")
    assert set(feature["properties"]) == {"name", "kind", "cameras_in_operation", "url"}


#
# Part 2: output in SWEREF 99 TM and the local zone, bbox in a grid CRS
#

TM = "http://www.opengis.net/def/crs/EPSG/0/3006"


def test_collections_offer_sweref99(client_for, settings):
    _response, body = get_json(client_for("officer"), "/ogc/collections/cameras")
    local = "http://www.opengis.net/def/crs/EPSG/0/" + settings.TRYGG_LOCAL_CRS.split(":")[1]
    assert body["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84", TM, local]
    assert body["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_items_in_sweref99_tm_northing_first(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    client = client_for("officer")
    response, page = get_json(client, f"/ogc/collections/cameras/items?crs={TM}&limit=1000")
    assert response["Content-Crs"] == f"<{TM}>"
    north, east = next(f for f in page["features"] if f["id"] == camera.pk)["geometry"]["coordinates"]
    # Norrtälje lies about 3.7° east of SWEREF 99 TM's central meridian and 59.76° N.
    assert 6_620_000 < north < 6_640_000 and 690_000 < east < 720_000
    response, feature = get_json(client, f"/ogc/collections/cameras/items/{camera.pk}?crs={TM}")
    assert response["Content-Crs"] == f"<{TM}>"
    assert feature["geometry"]["coordinates"] == [north, east]
    # A 20 m grid box around the camera, given in SWEREF 99 TM (N, E), finds it.
    box = f"{north - 10},{east - 10},{north + 10},{east + 10}"
    _response, page = get_json(client, f"/ogc/collections/cameras/items?bbox={box}&bbox-crs={TM}")
    assert camera.pk in {f["id"] for f in page["features"]}
    assert page["numberMatched"] < Camera.objects.count()


def test_default_output_says_crs84(client):
    response = client.get("/ogc/collections/sites/items")
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"


@pytest.mark.parametrize("query", ["crs=EPSG:3857", "bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326&bbox=1,2,3,4"])
def test_crs_not_offered_is_a_400(client, query):
    _response, body = get_json(client, f"/ogc/collections/sites/items?{query}", 400)
    assert body["description"].startswith("Parametern ”")


def test_single_item_refuses_unknown_parameters(client):
    torget = Site.objects.get(name="Stora torget")
    _response, body = get_json(client, f"/ogc/collections/sites/items/{torget.pk}?limit=3", 400)
    assert body["code"] == "UnknownParameter"


#
# Query counts do not grow with the data
#


@pytest.mark.parametrize(
    ("role", "collection"),
    [("officer", "cameras"), ("officer", "coverage"), ("officer", "sites"), ("officer", "zones"), (None, "sites")],
)
def test_query_count_does_not_grow_with_the_page(client_for, role, collection):
    client = client_for(role)
    client.get("/ogc/")  # session and user loaded once
    counts = []
    for limit in (1, 1000):
        with CaptureQueriesContext(connection) as queries:
            _response, page = get_json(client, f"/ogc/collections/{collection}/items?limit={limit}")
        counts.append((len(queries), page["numberReturned"]))
    (few, one), (many, all_rows) = counts
    assert one == 1 and all_rows > 1
    assert few == many


#
# Secrecy: no anonymous response carries a secret placement's coordinates
#


def anonymous_urls(client):
    urls = ["/ogc/", "/ogc/?f=html", "/ogc/api", "/ogc/conformance", "/ogc/collections"]
    for collection in ("cameras", "coverage", "sites", "zones"):
        urls += [
            f"/ogc/collections/{collection}",
            f"/ogc/collections/{collection}/items?limit=1000",
            f"/ogc/collections/{collection}/items?limit=1000&datetime=2025-06-01",
            f"/ogc/collections/{collection}/items?bbox=18,59,19,61",
            f"/ogc/collections/{collection}/items?limit=1000&crs={TM}",
        ]
    urls += [f"/ogc/collections/cameras/items/{pk}" for pk in Camera.objects.values_list("pk", flat=True)]
    urls += [f"/ogc/collections/coverage/items/{pk}" for pk in Camera.objects.values_list("pk", flat=True)]
    _response, page = get_json(client, "/ogc/collections/sites/items?limit=1000")
    urls += [f"/ogc/collections/sites/items/{f['id']}" for f in page["features"]]
    return urls


def coordinate_strings(camera):
    """The ways a camera's position can show: full floats, 7 and 6 decimals, SWEREF 99 TM in metres."""
    found = {repr(camera.longitude), repr(camera.latitude)}
    for digits in (7, 6):
        found |= {f"{camera.longitude:.{digits}f}", f"{camera.latitude:.{digits}f}"}
    north, east = geometry_to({"type": "Point", "coordinates": [camera.longitude, camera.latitude]}, "EPSG:3006")[
        "coordinates"
    ]
    return found | {f"{int(north)}.", f"{int(east)}."}  # SWEREF 99 TM, whole metres and a decimal point


@pytest.mark.parametrize("role", [None, "reader"])
def test_no_public_response_has_a_secret_cameras_coordinates(client_for, role):
    # A camera in operation made secret, beside the demo's secret planned cameras.
    camera = Camera.objects.get(identifier="TORG-01")
    camera.secret_placement = True
    camera.save()
    secret = list(Camera.objects.filter(secret_placement=True))
    assert len(secret) > 1
    client = client_for(role)
    leaks = []
    for url in anonymous_urls(client):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = response.content.decode()
        for secret_camera in secret:
            leaks += [(url, secret_camera.identifier, s) for s in coordinate_strings(secret_camera) if s in text]
    assert not leaks
    # The scan can find something: the officer's camera page carries the exact position.
    officer_text = client_for("officer").get(f"/ogc/collections/cameras/items/{camera.pk}").content.decode()
    assert repr(camera.longitude) in officer_text


def test_the_public_sees_a_site_only_to_about_a_kilometre(client):
    """A site with one camera would otherwise show where the camera hangs (GRI-01 at Grisslehamns hamnplan)."""
    camera = Camera.objects.get(identifier="GRI-01")
    exact = (camera.longitude, camera.latitude)
    items = get_json(client, "/ogc/collections/sites/items?limit=1000")[1]["features"]
    point = next(f["geometry"]["coordinates"] for f in items if f["id"] == camera.site_id)
    assert point == [round(exact[0], 2), round(exact[1], 2)]
    assert point != [round(exact[0], 4), round(exact[1], 4)]
    # A box tight around the exact point but not the rounded one finds nothing: no bisecting to the camera.
    west, south = exact[0] - 0.0001, exact[1] - 0.0001
    east, north = exact[0] + 0.0001, exact[1] + 0.0001
    if not (west <= point[0] <= east and south <= point[1] <= north):
        found = get_json(client, f"/ogc/collections/sites/items?bbox={west},{south},{east},{north}")[1]
        assert found["numberMatched"] == 0


#
# API keys (Authorization: Bearer …), as QGIS and OWSLib send them
#


def test_an_api_key_acts_as_its_user(demo_users):
    from django.test import Client

    from trygg.api.models import ApiToken

    _token, key = ApiToken.issue(demo_users["officer"], "QGIS")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    camera = Camera.objects.order_by("pk").first()
    response, feature = get_json(client, f"/ogc/collections/cameras/items/{camera.pk}")
    assert feature["geometry"]["coordinates"] == [camera.longitude, camera.latitude]
    assert "no-store" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]
    # Without the key the same address is not there for the public.
    get_json(Client(), f"/ogc/collections/cameras/items/{camera.pk}", status=404)


@pytest.mark.parametrize("header", ["Bearer trygg_finnsinte", "Bearer två delar", "Bearer revoked"])
def test_a_bad_api_key_is_refused_with_an_ogc_exception(demo_users, header):
    from django.test import Client

    from trygg.api.models import ApiToken

    if header == "Bearer revoked":
        token, key = ApiToken.issue(demo_users["officer"], "QGIS")
        token.revoke()
        header = f"Bearer {key}"
    response, body = get_json(Client(HTTP_AUTHORIZATION=header), "/ogc/collections", status=401)
    assert body["code"] == "Unauthorized"
    assert body["description"].startswith(("API-nyckeln", "Ange nyckeln"))
    assert response["WWW-Authenticate"].startswith("Bearer")
