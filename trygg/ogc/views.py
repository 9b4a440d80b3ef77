"""OGC API – Features views: thin adapters between the request, `trygg.ogc.query` and the collections.

Every view is public at the door (`roles.public`); the user is the signed-in one or the one whose API key
the request carries (`Authorization: Bearer …`, as QGIS and OWSLib send it). What a user reads is decided
inside by `collections_for(user)`, so an anonymous client sees the public collection and nothing else, and a
collection or feature the user may not read answers 404 like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

from trygg.api.authentication import accepts_api_key
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.ogc import crs as crs_rules
from trygg.ogc import openapi
from trygg.ogc.collections import Collection, collections_for
from trygg.ogc.errors import _ as mark
from trygg.ogc.query import QueryError, page_links, parse_items_query

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
HTML = "text/html"
CRS84 = crs_rules.CRS84
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]


def offered_crs() -> list[str]:
    """CRS84, SWEREF 99 TM and the municipality's local zone (settings.TRYGG_LOCAL_CRS), as URIs."""
    return crs_rules.supported(settings.TRYGG_LOCAL_CRS)


def _with_crs(response: HttpResponse, crs: str) -> HttpResponse:
    """The `Content-Crs` header of OGC API – Features Part 2 (/req/crs/ogc-crs-header)."""
    response["Content-Crs"] = f"<{CRS84 if crs == 'CRS84' else crs_rules.uri(crs)}>"
    return response


def _json(data: Any, status: int = 200, content_type: str = JSON) -> JsonResponse:
    return JsonResponse(
        data,
        status=status,
        content_type=content_type,
        # Compact: a 1 000-feature page is a tenth smaller and quicker to encode.
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


def _exception(code: str, description: str, status: int) -> JsonResponse:
    """An OGC API exception (OGC 17-069r3 §7.5.1, exception.yaml): `code` and a Swedish `description`."""
    return _json({"code": code, "description": description}, status=status)


def _key_refused(request: HttpRequest, message: str) -> JsonResponse:
    return _exception("Unauthorized", message, 401)


with_api_key = accepts_api_key(_key_refused)


def _query_error(error: QueryError) -> JsonResponse:
    return _exception(error.code, gettext(error.message) % error.params, 400)


def _not_found(collection_id: str, feature_id: str | None = None) -> JsonResponse:
    if feature_id is None:
        message = gettext("Samlingen ”%(collection)s” finns inte.") % {"collection": collection_id}
    else:
        message = gettext("Objektet ”%(feature)s” finns inte i samlingen ”%(collection)s”.") % {
            "feature": feature_id,
            "collection": collection_id,
        }
    return _exception("NotFound", message, 404)


def _url(request: HttpRequest, name: str, *args: str) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _wants_html(request: HttpRequest) -> bool:
    """HTML only when asked for: `?f=html` or a browser's Accept header preferring text/html.

    OWSLib sends `*/*` and QGIS `application/json`; both get JSON (OGC 17-069r3 /req/core/http).
    """
    if "f" in request.GET:
        return request.GET["f"] == "html"
    return request.get_preferred_type([JSON, HTML]) == HTML


def _description(request: HttpRequest, collection: Collection) -> dict[str, Any]:
    rows = collection.rows(request.user)
    extent = collection.extent(rows)
    items = _url(request, "ogc:items", collection.id)
    description: dict[str, Any] = {
        "id": collection.id,
        "title": str(collection.title),
        "description": str(collection.description),
        "itemType": "feature",
        "crs": offered_crs(),
        "storageCrs": CRS84,
        "links": [
            _link(_url(request, "ogc:collection", collection.id), "self", JSON, str(collection.title)),
            _link(items, "items", GEOJSON, gettext("Objekten som GeoJSON")),
        ],
    }
    if extent is not None:
        description["extent"] = {"spatial": {"bbox": [list(extent)], "crs": CRS84}}
    return description


@requires(roles.public)
@with_api_key
def landing(request: HttpRequest) -> HttpResponse:
    """The landing page (OGC 17-069r3 §7.2): links to the API definition, conformance and the collections."""
    title = gettext("Trygg – kamerabevakning som geodata")
    links = [
        _link(_url(request, "ogc:landing"), "self", JSON, gettext("Den här sidan")),
        _link(_url(request, "ogc:landing") + "?f=html", "alternate", HTML, gettext("Den här sidan som HTML")),
        _link(_url(request, "ogc:api"), "service-desc", OPENAPI, gettext("API-beskrivning (OpenAPI 3.0)")),
        _link(_url(request, "ogc:conformance"), "conformance", JSON, gettext("Konformitetsklasser")),
        _link(_url(request, "ogc:collections"), "data", JSON, gettext("Samlingar")),
    ]
    description = gettext(
        "Trygg publicerar kommunens kamerabevakning enligt OGC API – Features, så att den kan öppnas i QGIS "
        "och andra GIS-program."
    )
    if _wants_html(request):
        context = {
            "title": title,
            "description": description,
            "links": links,
            "collections": collections_for(request.user).values(),
        }
        return render(request, "ogc/landing.html", context)
    return _json({"title": title, "description": description, "links": links})


@requires(roles.public)
@with_api_key
def api_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 document (the landing page's `service-desc`)."""
    document = openapi.document(
        _url(request, "ogc:landing"),
        gettext("Trygg – kamerabevakning som geodata"),
        list(collections_for(request.user)),
        offered_crs(),
    )
    return _json(document, content_type=OPENAPI)


@requires(roles.public)
@with_api_key
def conformance(request: HttpRequest) -> HttpResponse:
    return _json({"conformsTo": CONFORMANCE})


@requires(roles.public)
@with_api_key
def collections(request: HttpRequest) -> HttpResponse:
    """The collections the user may read, each with its extent and links (one aggregate query each)."""
    return _json(
        {
            "links": [_link(_url(request, "ogc:collections"), "self", JSON, gettext("Samlingar"))],
            "collections": [_description(request, c) for c in collections_for(request.user).values()],
        }
    )


@requires(roles.public)
@with_api_key
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    chosen = collections_for(request.user).get(collection_id)
    if chosen is None:
        return _not_found(collection_id)
    return _json(_description(request, chosen))


@requires(roles.public)
@with_api_key
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    """One page of features (OGC 17-069r3 §7.15): two queries (count and page) whatever the data."""
    chosen = collections_for(request.user).get(collection_id)
    if chosen is None:
        return _not_found(collection_id)
    params = {key: request.GET[key] for key in request.GET}
    try:
        query = parse_items_query(params, offered_crs())
    except QueryError as error:
        return _query_error(error)
    rows = chosen.rows(request.user)
    if query.bbox is not None:
        rows = chosen.in_bbox(rows, query.bbox)
    if query.on_date is not None and chosen.on_date is not None:
        rows = chosen.on_date(rows, query.on_date)
    number_matched = rows.count()
    features = chosen.features(rows[query.offset : query.offset + query.limit])
    if query.crs != "CRS84":
        for feature in features:
            feature["geometry"] = crs_rules.geometry_to(feature["geometry"], query.crs)
    base = _url(request, "ogc:items", collection_id)
    self_href = request.build_absolute_uri()
    links = [
        _link(self_href, "self", GEOJSON, gettext("Den här sidan")),
        _link(_url(request, "ogc:collection", collection_id), "collection", JSON, str(chosen.title)),
    ]
    for link in page_links(base, params, query, number_matched):
        links.append({**link, "title": gettext(link["title"])})
    response = _json(
        {
            "type": "FeatureCollection",
            "features": features,
            "links": links,
            "numberMatched": number_matched,
            "numberReturned": len(features),
            "timeStamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        content_type=GEOJSON,
    )
    return _no_store_for_staff(
        request, _with_crs(response, query.crs), collection=collection_id, features=len(features)
    )


def _no_store_for_staff(request: HttpRequest, response: HttpResponse, **details: Any) -> HttpResponse:
    """Staff get exact positions: no cache (browser or proxy) may keep them, as for kameror.csv.

    Each such response is logged as one download (`download.ogc_features`, with the collection and count).
    """
    if roles.is_staff_role.test(request.user):
        patch_cache_control(response, private=True, no_store=True)
        log_download(request, "download.ogc_features", **details)
    return response


@requires(roles.public)
@with_api_key
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    """One feature (OGC 17-069r3 §7.16); 404 when it is not in what the user may read."""
    chosen = collections_for(request.user).get(collection_id)
    if chosen is None:
        return _not_found(collection_id)
    try:
        unknown = sorted(set(request.GET) - {"crs", "f"})
        if unknown:
            raise QueryError(
                mark("Parametern ”%(name)s” finns inte. Tillåtna parametrar: %(allowed)s."),
                code="UnknownParameter",
                name=unknown[0],
                allowed="crs, f",
            )
        crs = crs_rules.parse_crs(request.GET["crs"], offered_crs()) if "crs" in request.GET else "CRS84"
    except QueryError as error:
        return _query_error(error)
    row = chosen.rows(request.user).filter(pk=int(feature_id)).first() if feature_id.isdigit() else None
    if row is None:
        return _not_found(collection_id, feature_id)
    feature = chosen.feature(row)
    feature["geometry"] = crs_rules.geometry_to(feature["geometry"], crs)
    feature["links"] = [
        _link(_url(request, "ogc:item", collection_id, feature_id), "self", GEOJSON, gettext("Det här objektet")),
        _link(_url(request, "ogc:collection", collection_id), "collection", JSON, str(chosen.title)),
    ]
    return _no_store_for_staff(
        request, _with_crs(_json(feature, content_type=GEOJSON), crs), collection=collection_id, feature=feature_id
    )
