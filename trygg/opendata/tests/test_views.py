"""Open data under /oppna-data/: what the public files hold, the DCAT-AP-SE description, the OSM choice."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, URIRef
from rdflib import namespace as ns

from trygg.cameras.models import Camera, CameraTransition
from trygg.cameras.services import cameras_in_operation
from trygg.core.csv_export import read_back
from trygg.opendata.catalog import CC0, DATASETS
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def add_camera_in_operation(template: Camera, identifier: str, site: Site | None = None, **fields) -> Camera:
    """A copy of `template` whose transition rows put it in operation a year ago (the gate is not the
    subject here, so its rows are written directly)."""
    camera = Camera.objects.get(pk=template.pk)
    camera.pk = None
    camera.identifier = identifier
    camera.site = site or template.site
    for name, value in fields.items():
        setattr(camera, name, value)
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    camera.planned_on = year_ago  # the first (planned) row's date
    camera.save()
    for sequence, state in enumerate(("designed", "installed", "in_operation"), start=1):
        CameraTransition.objects.create(camera=camera, to_state=state, occurred_on=year_ago, sequence=sequence)
    # The stored state follows the last move, as the life cycle's services keep it.
    Camera.objects.filter(pk=camera.pk).update(state="in_operation")
    camera.state = "in_operation"
    return camera


def test_register_lists_sites_with_ongoing_cameras_rounded_to_two_decimals(client):
    geojson = client.get("/oppna-data/kamerabevakning.geojson")
    assert geojson.status_code == 200 and geojson["Content-Type"] == "application/geo+json"
    features = json.loads(geojson.content)["features"]
    names = {f["properties"]["plats"] for f in features}
    assert "Stora torget" in names
    assert "Kvisthamraskolan" not in names  # its cameras are only planned
    torget = next(f for f in features if f["properties"]["plats"] == "Stora torget")
    site = Site.objects.get(name="Stora torget")
    assert torget["geometry"]["coordinates"] == [round(site.longitude, 2), round(site.latitude, 2)]
    assert torget["properties"]["kameror_i_drift"] == cameras_in_operation(
        timezone.localdate(), Camera.objects.filter(site=site)
    )
    rows = read_back(client.get("/oppna-data/kamerabevakning.csv").content.decode("utf-8"))
    assert rows[0][:4] == ["plats_id", "plats", "typ_av_plats", "kameror_i_drift"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == names
    assert by_name["Stora torget"][7:9] == [
        f"{round(site.longitude, 2)}".replace(".", ","),
        f"{round(site.latitude, 2)}".replace(".", ","),
    ]


def test_register_csv_neutralises_a_formula_in_a_purpose(client):
    camera = Camera.objects.get(identifier="TORG-01")
    camera.purpose = '=HYPERLINK("http://example.org")'
    camera.save()
    raw = client.get("/oppna-data/kamerabevakning.csv").content.decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";") for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)  # sorted first among the site's purposes


def test_osm_export_holds_the_chosen_cameras_with_their_tags(client):
    torg = Camera.objects.get(identifier="TORG-01")
    features = json.loads(client.get("/oppna-data/openstreetmap.geojson").content)["features"]
    assert (
        {f["properties"]["ref"] for f in features}
        == set(Camera.objects.filter(publish_osm=True, secret_placement=False).values_list("identifier", flat=True))
        == {"TORG-01", "TORG-02"}
    )
    tags = next(f for f in features if f["properties"]["ref"] == "TORG-01")["properties"]
    assert tags["man_made"] == "surveillance" and tags["surveillance:type"] == "camera"
    assert tags["camera:direction"] == str(round(torg.bearing_deg) % 360)
    assert tags["camera:mount"] == "pole" and tags["height"] == "6"
    assert tags["surveillance"] == "public" and tags["surveillance:zone"] == "town"
    assert tags["operator"] == "Norrtälje kommun"
    root = ET.fromstring(client.get("/oppna-data/openstreetmap.osm").content)
    refs = {t.get("v") for t in root.iter("tag") if t.get("k") == "ref"}
    assert refs == {"TORG-01", "TORG-02"}


def test_osm_export_leaves_out_secret_and_planned_cameras_even_when_chosen(client):
    secret = Camera.objects.get(identifier="TORG-01")
    secret.secret_placement = True
    secret.save()  # stored without the form's check, as data from before the rule would be
    planned = Camera.objects.get(identifier="KVI-01")
    planned.publish_osm = True
    planned.save()
    refs = {
        f["properties"]["ref"] for f in json.loads(client.get("/oppna-data/openstreetmap.geojson").content)["features"]
    }
    assert refs == {"TORG-02"}


def test_choosing_osm_for_a_secret_camera_is_refused_in_swedish():
    camera = Camera.objects.get(identifier="TORG-01")
    camera.secret_placement = True
    with pytest.raises(ValidationError) as refused:
        camera.full_clean()
    assert "kan inte publiceras i OpenStreetMap" in refused.value.message_dict["publish_osm"][0]
    camera.publish_osm = False
    camera.full_clean()


def test_officer_edits_the_choice_on_the_camera_form(client_for):
    camera = Camera.objects.get(identifier="TORG-03")
    page = client_for("officer").get(reverse("cameras:edit", args=[camera.pk]))
    assert b'name="publish_osm"' in page.content
    assert "publicera i openstreetmap" in page.content.decode().lower()


def test_indicator_exports_use_the_municipality_code_and_the_indicator_series(client):
    document = json.loads(client.get("/oppna-data/indikator/kolada.json").content)
    values = {row["period"]: row["values"][0]["value"] for row in document["values"]}
    assert {row["municipality"] for row in document["values"]} == {"0188"}
    today = timezone.localdate()
    # Counted independently from the transition rows, year end by year end.
    for year, value in values.items():
        on = dt.date(year, 12, 31) if year < today.year else today
        assert value == cameras_in_operation(on), year
    assert min(values) == 2019  # the demo's first cameras went into operation in 2019
    kolada = read_back(client.get("/oppna-data/indikator/kolada.csv").content.decode("utf-8"))
    assert kolada[0] == ["kpi", "municipality_id", "period", "value"]
    assert [(int(r[2]), int(r[3])) for r in kolada[1:]] == sorted(values.items())
    follow_up = read_back(client.get("/oppna-data/indikator/uppfoljning.csv").content.decode("utf-8"))
    assert follow_up[0][:3] == ["indikator_id", "indikator", "kommunkod"]
    assert follow_up[-1][4:7] == [str(today.year), today.isoformat(), str(values[today.year])]
    assert follow_up[-1][-1] == ("nej" if (today.month, today.day) == (12, 31) else "ja")


def _graph(client, url, fmt):
    response = client.get(url)
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=fmt)


def test_dcat_description_in_json_ld_and_rdf_xml_is_the_same_dcat_ap_se_catalog(client):
    json_ld = _graph(client, "/oppna-data/dcat.jsonld", "json-ld")
    rdf_xml = _graph(client, "/oppna-data/dcat.rdf", "xml")
    assert len(json_ld) == len(rdf_xml) > 50
    for graph in (json_ld, rdf_xml):
        (catalog,) = graph.subjects(ns.RDF.type, ns.DCAT.Catalog)
        datasets = set(graph.objects(catalog, ns.DCAT.dataset))
        assert len(datasets) == len(DATASETS)
        for dataset in datasets:
            assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
            titles = {t.language: str(t) for t in graph.objects(dataset, ns.DCTERMS.title)}
            assert set(titles) == {"sv", "en"} and titles["sv"] != titles["en"]
            for predicate in (
                ns.DCTERMS.publisher,
                ns.DCAT.contactPoint,
                ns.DCAT.theme,
                ns.DCTERMS.modified,
                ns.DCTERMS.spatial,
            ):
                assert graph.value(dataset, predicate) is not None, predicate
            for distribution in graph.objects(dataset, ns.DCAT.distribution):
                assert graph.value(distribution, ns.DCTERMS.license) == CC0
                assert str(graph.value(distribution, ns.DCAT.mediaType)).startswith(
                    "https://www.iana.org/assignments/media-types/"
                )
                url = str(graph.value(distribution, ns.DCAT.downloadURL))
                assert url == str(graph.value(distribution, ns.DCAT.accessURL))
                assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
        publisher = graph.value(catalog, ns.DCTERMS.publisher)
        assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Norrtälje kommun"


def test_landing_page_lists_every_file_and_is_linked_from_the_public_start_page(client):
    page = client.get("/oppna-data/").content.decode()
    for dataset in DATASETS:
        for distribution in dataset.distributions:
            assert f'href="{reverse("opendata:" + distribution.url_name)}"' in page
    assert 'href="/oppna-data/dcat.jsonld"' in page and 'href="/oppna-data/dcat.rdf"' in page
    assert 'href="/oppna-data/"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url", ["/oppna-data/kamerabevakning.geojson", "/oppna-data/openstreetmap.osm", "/oppna-data/dcat.jsonld"]
)
def test_query_count_does_not_grow_with_sites_and_cameras(client, url):
    client.get(url)  # warm caches (organisation, URL resolver)
    # The register files and the indicator's counts are kept: count the writing of them at both sizes.
    caches["exports"].clear()
    caches["default"].clear()
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    template = Camera.objects.get(identifier="TORG-01")
    for number in range(3):
        site = Site.objects.get(pk=template.site_id)
        site.pk = None
        site.name = f"Ny plats {number}"
        site.save()
        add_camera_in_operation(template, f"NY-{number}", site=site)
        add_camera_in_operation(template, f"NY-{number}-B", site=site)
    caches["exports"].clear()
    caches["default"].clear()
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert b"NY-0" in response.content or b"Ny plats 0" in response.content or url.endswith("jsonld")
    assert len(after) == len(before)
