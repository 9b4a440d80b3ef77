"""Open data views: thin adapters from `trygg.opendata.data` to files. Everything here is public.

What the public may read is decided in `trygg.opendata.data` (the secrecy filter); these views only
encode it. Nothing here shows a camera's position except the OpenStreetMap export of the cameras the
municipality chose to publish.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trygg.core import export_cache, roles
from trygg.core.access import requires
from trygg.core.csv_export import csv_text
from trygg.core.models import Organisation
from trygg.opendata import data, formats
from trygg.opendata.catalog import DATASETS, JSON_LD_CONTEXT, CatalogFacts, catalog_graph

CSV = "text/csv; charset=utf-8"
GEOJSON = "application/geo+json"


def _file(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response


def _json_file(document: Any, content_type: str, filename: str) -> HttpResponse:
    return _file(json.dumps(document, ensure_ascii=False, indent=1), content_type, filename)


@requires(roles.public)
def index(request: HttpRequest) -> HttpResponse:
    """The landing page: the datasets, their files and the DCAT-AP-SE description."""
    return render(request, "opendata/index.html", {"datasets": DATASETS})


def _kept_file(
    name: str, request: HttpRequest, build: Callable[[str], str], content_type: str, filename: str
) -> HttpResponse:
    """A whole-register file written once per state of the data, language and host (`trygg.core.export_cache`).

    `build(origin)` gets "scheme://host" (the file's links are absolute, so each host has its own copy).
    """
    origin = request.build_absolute_uri("/")[:-1]
    body, _details = export_cache.get_or_build(
        f"{name}:{origin}", request, lambda: (build(origin).encode(), {}), public=True
    )
    return _file(body, content_type, filename)


def register_geojson_text(origin: str) -> str:
    """The public register as GeoJSON text: one point per site, rounded to about a kilometre; the sites'
    information pages as absolute links under `origin` ("https://host")."""
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
            | {"information": origin + row.information_path, "spelar_in_ljud": row.records_sound},
        }
        for row in data.public_register()
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def register_csv_text(origin: str) -> str:
    """The public register as CSV text (Trygg's CSV convention), links as in `register_geojson_text`."""
    rows = [list(data.REGISTER_COLUMNS)]
    for row in data.public_register():
        cells = row.cells()
        cells[-1] = origin + row.information_path
        rows.append(cells)
    return csv_text(rows)


@requires(roles.public)
def register_geojson(request: HttpRequest) -> HttpResponse:
    """The public register as GeoJSON: one point per site, rounded to about a kilometre."""
    return _kept_file("open_register_geojson", request, register_geojson_text, GEOJSON, "kamerabevakning.geojson")


@requires(roles.public)
def register_csv(request: HttpRequest) -> HttpResponse:
    return _kept_file("open_register_csv", request, register_csv_text, CSV, "kamerabevakning.csv")


@requires(roles.public)
def osm_geojson(request: HttpRequest) -> HttpResponse:
    return _json_file(formats.osm_feature_collection(data.osm_cameras()), GEOJSON, "trygghetskameror-osm.geojson")


@requires(roles.public)
def osm_xml(request: HttpRequest) -> HttpResponse:
    return _file(formats.osm_xml(data.osm_cameras()), "application/vnd.openstreetmap.data+xml", "trygghetskameror.osm")


@requires(roles.public)
def indicator_kolada_json(request: HttpRequest) -> HttpResponse:
    export = data.indicator_export()
    document = formats.kolada_document(export.code, export.municipality_id, export.values)
    return _json_file(document, "application/json", "indikator-kolada.json")


@requires(roles.public)
def indicator_kolada_csv(request: HttpRequest) -> HttpResponse:
    export = data.indicator_export()
    return _file(
        csv_text(formats.kolada_rows(export.code, export.municipality_id, export.values)), CSV, "indikator-kolada.csv"
    )


@requires(roles.public)
def indicator_follow_up_csv(request: HttpRequest) -> HttpResponse:
    export = data.indicator_export()
    rows = formats.follow_up_rows(
        export.code, export.name, export.municipality_id, export.municipality, export.unit, export.values
    )
    return _file(csv_text(rows), CSV, "indikator-uppfoljning.csv")


def _catalog_facts(request: HttpRequest) -> CatalogFacts:
    organisation = Organisation.current()
    names = [d.url_name for dataset in DATASETS for d in dataset.distributions]
    return CatalogFacts(
        base_url=request.build_absolute_uri(reverse("opendata:index")),
        urls={name: request.build_absolute_uri(reverse("opendata:" + name)) for name in names},
        municipality=organisation.municipality_name,
        contact_email=organisation.dpo_email,
        modified=data.last_modified(),
        first_year=data.indicator_export().first_year,
        extent=data.register_extent(data.public_register()),
    )


@requires(roles.public)
def dcat_jsonld(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP-SE description as JSON-LD (what Sveriges dataportal harvests)."""
    text = catalog_graph(_catalog_facts(request)).serialize(format="json-ld", context=JSON_LD_CONTEXT, indent=1)
    return _file(text, "application/ld+json", "dcat.jsonld")


@requires(roles.public)
def dcat_rdf(request: HttpRequest) -> HttpResponse:
    """The same description as RDF/XML."""
    text = catalog_graph(_catalog_facts(request)).serialize(format="pretty-xml")
    return _file(text, "application/rdf+xml; charset=utf-8", "dcat.rdf")
