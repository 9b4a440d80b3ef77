"""A camera and what it sees as a GeoJSON FeatureCollection, for the map and for GIS tools."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from shapely.geometry import mapping, shape

from trygg.cameras.models import Camera
from trygg.geo.crs import SWEREF99_TM, WGS84, reproject
from trygg.sites.models import Building, Zone

ALLOWED_EXPORT_CRS = frozenset({WGS84, SWEREF99_TM, settings.TRYGG_LOCAL_CRS})


def _geometry(geojson: dict[str, Any] | None, crs: str) -> dict[str, Any] | None:
    if not geojson:
        return None
    if crs == WGS84:
        return geojson
    return dict(mapping(reproject(shape(geojson), WGS84, crs)))


def coverage_feature_collection(camera: Camera, crs: str = WGS84) -> dict[str, Any]:
    """Features tagged with `kind`: camera, coverage, visible, mask, zone, building."""
    seen = {item["zone_id"]: item for item in camera.zones_seen}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": _geometry({"type": "Point", "coordinates": [camera.longitude, camera.latitude]}, crs),
            "properties": {
                "kind": "camera",
                "identifier": camera.identifier,
                "bearing_deg": camera.bearing_deg,
                "state": camera.state,
            },
        }
    ]
    for kind, geojson in (
        ("coverage", camera.coverage),
        ("visible", camera.visible_coverage),
        ("mask", camera.privacy_mask),
    ):
        if geojson:
            features.append({"type": "Feature", "geometry": _geometry(geojson, crs), "properties": {"kind": kind}})
    for zone in Zone.objects.filter(site_id=camera.site_id).only("name", "kind", "rule", "geometry"):
        features.append(
            {
                "type": "Feature",
                "id": f"zone-{zone.pk}",
                "geometry": _geometry(zone.geometry, crs),
                "properties": {
                    "kind": "zone",
                    "name": zone.name,
                    "zone_kind": zone.kind,
                    "rule": zone.rule,
                    "seen_m2": seen.get(zone.pk, {}).get("area_m2", 0.0),
                    "forbidden": seen.get(zone.pk, {}).get("forbidden", False),
                },
            }
        )
    for building in Building.objects.filter(site_id=camera.site_id).only("name", "geometry"):
        features.append(
            {
                "type": "Feature",
                "id": f"building-{building.pk}",
                "geometry": _geometry(building.geometry, crs),
                "properties": {"kind": "building", "name": building.name},
            }
        )
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "camera": camera.identifier,
            "coverage_area_m2": camera.coverage_area_m2,
            "visible_area_m2": camera.visible_area_m2,
            "intrusions": camera.intrusions,
            "zones_seen": camera.zones_seen,
            "computed_at": camera.coverage_computed_at.isoformat() if camera.coverage_computed_at else None,
        },
    }
    if crs != WGS84:
        # RFC 7946 knows only WGS 84; GIS tools read this older member for other systems.
        collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{crs.replace(':', '::')}"}}
    return collection
