"""Importing building footprints for a site from GeoJSON (the municipal base map, OpenStreetMap …).

Every feature is checked before anything is written: one bad feature and nothing is saved, and
each problem is told in Swedish with the feature's number. Importing the same file again updates
the buildings it made before (matched on the feature's id) instead of adding copies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.cameras.coverage import deferred_recompute
from trygg.core.geojson import validate_polygon
from trygg.sites.models import Building, Site


@dataclass
class ImportResult:
    created: int
    updated: int


def _features(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        return data["features"]
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise ValidationError(_("Filen är inte GeoJSON med en FeatureCollection eller Feature."))


def _feature_id(feature: dict[str, Any], number: int) -> str:
    properties = feature.get("properties") or {}
    for value in (feature.get("id"), properties.get("id"), properties.get("@id"), properties.get("osm_id")):
        if value not in (None, ""):
            return str(value)
    return f"objekt-{number}"


def parse(text: str | bytes) -> list[tuple[str, str, dict[str, Any]]]:
    """(source id, name, geometry) per footprint, or ValidationError listing every problem."""
    try:
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(_("Filen kunde inte läsas som JSON: %(error)s") % {"error": error}) from error
    rows, problems = [], []
    for number, feature in enumerate(_features(data), start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            if not geometry:
                raise ValidationError(_("geometri saknas."))
            validate_polygon(geometry)
        except ValidationError as error:
            problems.append(
                _("Objekt %(number)s: %(problem)s") % {"number": number, "problem": " ".join(error.messages)}
            )
            continue
        properties = feature.get("properties") or {}
        name = str(properties.get("name") or properties.get("namn") or "")[:200]
        rows.append((_feature_id(feature, number), name, geometry))
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(_("Filen innehåller inga byggnader."))
    return rows


@transaction.atomic
def import_buildings(site: Site, text: str | bytes, source: str) -> ImportResult:
    """Create or update the site's buildings from GeoJSON; all or nothing; coverage recomputed once."""
    rows = parse(text)
    existing = {b.source_id: b for b in Building.objects.filter(site=site, source=source)}
    created = updated = 0
    with deferred_recompute():
        for source_id, name, geometry in rows:
            building = existing.get(source_id)
            if building is None:
                Building.objects.create(site=site, name=name, geometry=geometry, source=source, source_id=source_id)
                created += 1
            elif building.geometry != geometry or building.name != name:
                building.geometry, building.name = geometry, name
                building.save()
                updated += 1
    return ImportResult(created, updated)
