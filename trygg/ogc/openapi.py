"""The OpenAPI 3.0 document of Trygg's OGC API – Features (the landing page's `service-desc`).

QGIS reads `components.parameters.limit.schema` for its page size (qgsoapifapirequest.cpp), so the
limits here are the ones `trygg.ogc.query` enforces.
"""

from __future__ import annotations

from typing import Any

from trygg.ogc.query import DEFAULT_LIMIT, MAX_LIMIT

JSON = "application/json"
GEOJSON = "application/geo+json"


def _response(description: str, media_type: str = JSON) -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": {"type": "object"}}}}


def _errors() -> dict[str, Any]:
    return {
        "400": {"$ref": "#/components/responses/InvalidParameter"},
        "404": {"$ref": "#/components/responses/NotFound"},
    }


def document(server_url: str, title: str, collection_ids: list[str], crs: list[str]) -> dict[str, Any]:
    """The OpenAPI document for a server at `server_url` (ending in `/`) serving `collection_ids` in `crs` (URIs)."""
    collection_id = {"$ref": "#/components/parameters/collectionId"}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": "OGC API – Features, Part 1 Core, GeoJSON.",
            "contact": {"name": "Trygg"},
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/": {"get": {"operationId": "getLandingPage", "responses": {"200": _response("Landningssida")}}},
            "/conformance": {
                "get": {"operationId": "getConformance", "responses": {"200": _response("Konformitetsklasser")}}
            },
            "/collections": {"get": {"operationId": "getCollections", "responses": {"200": _response("Samlingar")}}},
            "/collections/{collectionId}": {
                "get": {
                    "operationId": "describeCollection",
                    "parameters": [collection_id],
                    "responses": {"200": _response("Samling"), **_errors()},
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "operationId": "getFeatures",
                    "parameters": [
                        collection_id,
                        {"$ref": "#/components/parameters/limit"},
                        {"$ref": "#/components/parameters/offset"},
                        {"$ref": "#/components/parameters/bbox"},
                        {"$ref": "#/components/parameters/datetime"},
                        {"$ref": "#/components/parameters/f"},
                        {"$ref": "#/components/parameters/crs"},
                        {"$ref": "#/components/parameters/bbox-crs"},
                    ],
                    "responses": {"200": _response("Objekt", GEOJSON), **_errors()},
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "operationId": "getFeature",
                    "parameters": [
                        collection_id,
                        {"$ref": "#/components/parameters/featureId"},
                        {"$ref": "#/components/parameters/crs"},
                    ],
                    "responses": {"200": _response("Objekt", GEOJSON), **_errors()},
                }
            },
        },
        "components": {
            "parameters": {
                "collectionId": {
                    "name": "collectionId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "enum": collection_ids},
                },
                "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "integer"}},
                "limit": {
                    "name": "limit",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                },
                "offset": {
                    "name": "offset",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 0, "default": 0},
                },
                "bbox": {
                    "name": "bbox",
                    "in": "query",
                    "required": False,
                    "style": "form",
                    "explode": False,
                    "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
                },
                "datetime": {
                    "name": "datetime",
                    "in": "query",
                    "required": False,
                    "description": "Ett datum eller en tidpunkt (RFC 3339): kameror i drift den dagen.",
                    "schema": {"type": "string"},
                },
                "crs": {
                    "name": "crs",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "uri", "enum": crs},
                },
                "bbox-crs": {
                    "name": "bbox-crs",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "uri", "enum": crs},
                },
                "f": {
                    "name": "f",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["json", "geojson"]},
                },
            },
            "responses": {
                "InvalidParameter": _response("Felaktig parameter"),
                "NotFound": _response("Finns inte"),
            },
        },
    }
