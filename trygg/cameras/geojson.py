"""A camera and what it sees as a GeoJSON FeatureCollection, for the map and for GIS tools.

Every polygon goes out as RFC 7946 §3.1.6 wants it (`trygg.geo.validation.rfc7946`): rings closed,
exterior rings counter-clockwise and holes clockwise, so strict readers accept Trygg's own files.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from shapely.geometry import mapping, shape

from trygg.cameras.models import Camera
from trygg.geo.crs import SWEREF99_TM, WGS84, reproject
from trygg.geo.validation import rfc7946
from trygg.sites.models import Building, Zone

ALLOWED_EXPORT_CRS = frozenset({WGS84, SWEREF99_TM, settings.TRYGG_LOCAL_CRS})


def _geometry(geojson: dict[str, Any] | None, crs: str) -> dict[str, Any] | None:
    """A stored geometry for output in `crs`: rings closed, exteriors counter-clockwise (RFC 7946 §3.1.6)."""
    if not geojson:
        return None
    if crs == WGS84:
        return rfc7946(geojson)
    return rfc7946(dict(mapping(reproject(shape(geojson), WGS84, crs))))


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


def _camera_features(cameras: Any, with_coverage: bool = True) -> list[dict[str, Any]]:
    from django.urls import reverse

    features: list[dict[str, Any]] = []
    for camera in cameras:
        features.append(
            {
                "type": "Feature",
                "id": f"camera-{camera.pk}",
                "geometry": {"type": "Point", "coordinates": [camera.longitude, camera.latitude]},
                "properties": {
                    "kind": "camera",
                    "identifier": camera.identifier,
                    "label": f"{camera.identifier} ({camera.get_state_display()})",
                    "state": camera.state,
                    "intrudes": bool(camera.intrusions),
                    "url": reverse("cameras:detail", args=[camera.pk]),
                },
            }
        )
        if with_coverage and camera.visible_coverage:
            features.append(
                {
                    "type": "Feature",
                    "geometry": rfc7946(camera.visible_coverage),
                    "properties": {"kind": "visible", "label": camera.identifier},
                }
            )
        if with_coverage and camera.privacy_mask:
            features.append(
                {
                    "type": "Feature",
                    "geometry": rfc7946(camera.privacy_mask),
                    "properties": {"kind": "mask", "label": camera.identifier},
                }
            )
    return features


def _zone_features(zones: Any) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "id": f"zone-{zone.pk}",
            "geometry": rfc7946(zone.geometry),
            "properties": {"kind": "zone", "name": f"{zone.name} – {zone.get_rule_display()}", "rule": zone.rule},
        }
        for zone in zones
    ]


def site_feature_collection(site: Any) -> dict[str, Any]:
    """One site with its outline, zones, buildings and cameras (what each sees, what must be masked)."""
    features: list[dict[str, Any]] = []
    if site.outline:
        features.append(
            {"type": "Feature", "geometry": rfc7946(site.outline), "properties": {"kind": "outline", "name": site.name}}
        )
    features += _zone_features(site.zones.all())
    features += [
        {"type": "Feature", "geometry": rfc7946(b.geometry), "properties": {"kind": "building", "name": b.name}}
        for b in site.buildings.all()
    ]
    features += _camera_features(site.cameras.all())
    if not site.outline and not features:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
                "properties": {"kind": "site", "name": site.name},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def map_feature_collection(sites: Any, cameras: Any, zones: Any) -> dict[str, Any]:
    """Every site, camera, visible coverage, mask and forbidden zone the user may see."""
    from django.urls import reverse

    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "id": f"site-{site.pk}",
            "geometry": {"type": "Point", "coordinates": [site.longitude, site.latitude]},
            "properties": {"kind": "site", "name": site.name, "url": reverse("sites:detail", args=[site.pk])},
        }
        for site in sites
    ]
    features += _zone_features(zones)
    features += _map_camera_features(cameras)
    return {"type": "FeatureCollection", "features": features}


def _map_camera_features(cameras: Any) -> list[dict[str, Any]]:
    """`_camera_features` of a queryset read as plain values a chunk at a time (the whole map has thousands):
    the state's label looked up once and the camera page's link made once, not per camera."""
    from django.urls import reverse

    states = {value: str(label) for value, label in Camera._meta.get_field("state").flatchoices}
    placeholder = 2_147_483_647  # a camera id no real camera has, swapped for each camera's own
    detail = reverse("cameras:detail", args=[placeholder]).split(str(placeholder))
    features: list[dict[str, Any]] = []
    rows = cameras.values_list(
        "pk", "identifier", "state", "longitude", "latitude", "intrusions", "visible_coverage", "privacy_mask"
    )
    for pk, identifier, state, longitude, latitude, intrusions, visible, mask in rows.iterator(chunk_size=500):
        features.append(
            {
                "type": "Feature",
                "id": f"camera-{pk}",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "kind": "camera",
                    "identifier": identifier,
                    "label": f"{identifier} ({states.get(state, state)})",
                    "state": state,
                    "intrudes": bool(intrusions),
                    "url": f"{detail[0]}{pk}{detail[1]}",
                },
            }
        )
        if visible:
            features.append(
                {
                    "type": "Feature",
                    "geometry": rfc7946(visible),
                    "properties": {"kind": "visible", "label": identifier},
                }
            )
        if mask:
            features.append(
                {"type": "Feature", "geometry": rfc7946(mask), "properties": {"kind": "mask", "label": identifier}}
            )
    return features


def preview_feature_collection(camera: Camera, values: dict[str, Any]) -> dict[str, Any]:
    """An unsaved camera's computed coverage for the edit form's map."""
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [camera.longitude, camera.latitude]},
            "properties": {
                "kind": "camera",
                "identifier": camera.identifier or "",
                "state": camera.state,
                "intrudes": bool(values["intrusions"]),
            },
        }
    ]
    for kind, key in (("coverage", "coverage"), ("visible", "visible_coverage"), ("mask", "privacy_mask")):
        if values.get(key):
            features.append({"type": "Feature", "geometry": rfc7946(values[key]), "properties": {"kind": kind}})
    return {"type": "FeatureCollection", "features": features}
