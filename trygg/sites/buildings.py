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
from trygg.core.geojson import message
from trygg.core.limits import MAX_JSON_DEPTH, nesting_depth
from trygg.geo import GeoInputError
from trygg.geo.crs import WGS84
from trygg.geo.validation import POLYGONAL, MunicipalityArea, check_geometry, check_place, crs_from_member
from trygg.sites.geometry import municipality_area, site_anchor
from trygg.sites.models import Building, Site

#: An OpenStreetMap extract covers more than a site: only buildings this near it are taken.
OSM_BUILDING_RADIUS_M = 300.0


@dataclass
class ImportResult:
    """Buildings created and updated; for an OSM file also how many lay farther than the radius
    (`left_out`) or were cut by the extract's edge (`incomplete`)."""

    created: int
    updated: int
    left_out: int = 0
    incomplete: int = 0


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


def _numbers(numbers: list[int]) -> str:
    """1, 2, 3, 7 … as a short list: ranges joined, at most ten shown."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans[:10])
    return text + (" …" if len(spans) > 10 else "")


def _km_value(text: str) -> float:
    return float(text.replace(" ", "").replace(",", "."))


def _grouped(found: list[tuple[int, GeoInputError]]) -> list[str]:
    """One line per kind of problem, with the features it concerns (not the same message 446 times).

    Problems of one kind that differ only in the distance (an extract of another town) become one
    line with the span of distances, e.g. "349–355 km".
    """
    kinds: dict[tuple[Any, ...], list[tuple[int, GeoInputError]]] = {}
    for number, error in found:
        key = (error.message, tuple(sorted((k, str(v)) for k, v in error.params.items() if k != "distance")))
        kinds.setdefault(key, []).append((number, error))
    problems: dict[str, list[int]] = {}
    for items in kinds.values():
        first = items[0][1]
        distances = sorted({str(e.params["distance"]) for _n, e in items if "distance" in e.params}, key=_km_value)
        if len(distances) > 1:
            first = GeoInputError(first.message, **{**first.params, "distance": f"{distances[0]}–{distances[-1]}"})
        problems.setdefault(message(first), []).extend(number for number, _e in items)
    lines = []
    for problem, numbers in problems.items():
        if len(numbers) == 1:
            lines.append(_("Objekt %(number)s: %(problem)s") % {"number": numbers[0], "problem": problem})
        else:
            lines.append(
                _("Objekt %(numbers)s (%(count)s st): %(problem)s")
                % {"numbers": _numbers(numbers), "count": len(numbers), "problem": problem}
            )
    return lines


def file_crs(data: Any, chosen: str | None) -> str:
    """The file's coordinate system: its `crs` member, else the one the user chose, else WGS 84.

    Raises ValidationError when the two disagree (nothing is guessed) or the member is unreadable.
    """
    try:
        declared = crs_from_member(data.get("crs")) if isinstance(data, dict) else None
    except GeoInputError as error:
        raise ValidationError(message(error)) from error
    if declared and chosen and declared != chosen:
        raise ValidationError(
            _("Filen säger att den är i %(declared)s men du valde %(chosen)s. Välj samma som filen, eller inget.")
            % {"declared": declared, "chosen": chosen}
        )
    return declared or chosen or WGS84


def parse(
    text: str | bytes,
    site: Site | None = None,
    *,
    crs: str | None = None,
    area: MunicipalityArea | None = None,
) -> list[tuple[str, str, dict[str, Any]]]:
    """(source id, name, geometry in WGS 84) per footprint, or ValidationError listing every problem.

    `crs`: the system the user chose (`EPSG:4326`, `EPSG:3006`, a local SWEREF 99 zone); the file's
    `crs` member is used when present. With `site`, every footprint must lie near it and in the
    municipality's `area` (default `municipality_area()`); the message names the distance in km.
    """
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise ValidationError(
            _("Filen är JSON nästlad i fler än %(depth)s nivåer, vilket ingen GeoJSON-fil är.")
            % {"depth": MAX_JSON_DEPTH}
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # The decoder's own words are English: say where, in Swedish.
        raise ValidationError(
            _("Filen kunde inte läsas som JSON (fel på rad %(line)s, kolumn %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    except UnicodeDecodeError as error:
        raise ValidationError(_("Filen kunde inte läsas som text i UTF-8.")) from error
    source_crs = file_crs(data, crs)
    anchor = site_anchor(site) if site is not None else None
    if anchor is not None and area is None:
        area = municipality_area()
    rows: list[tuple[str, str, dict[str, Any]]] = []
    problems: list[tuple[int, GeoInputError]] = []
    for number, feature in enumerate(_features(data), start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        try:
            if not geometry:
                raise GeoInputError(_("geometri saknas."))
            result = check_geometry(geometry, allowed=POLYGONAL, source_crs=source_crs)
            check_place(result.geometry, area=area, site=anchor)
        except GeoInputError as error:
            problems.append((number, error))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        name = str(properties.get("name") or properties.get("namn") or "")[:200]
        rows.append((_feature_id(feature, number), name, result.geojson))
    if problems:
        raise ValidationError(_grouped(problems))
    if not rows:
        raise ValidationError(_("Filen innehåller inga byggnader."))
    return rows


@transaction.atomic
def import_buildings(site: Site, text: str | bytes, source: str, crs: str | None = None) -> ImportResult:
    """Create or update the site's buildings from GeoJSON; all or nothing; coverage recomputed once.

    `crs` is the coordinate system the user chose (see `parse`). Raises ValidationError listing
    every problem (grouped by kind, with the features' numbers).
    """
    rows = parse(text, site, crs=crs)
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


def osm_geojson(site: Site, data: bytes, filename: str) -> tuple[str, int, int]:
    """An OSM XML/PBF file's buildings near `site` as GeoJSON text, and the counts left out / cut.

    Buildings farther than `OSM_BUILDING_RADIUS_M` from the site (its outline, else its position)
    are left out and counted; when none is near, ValidationError names the nearest one's distance.
    """
    from shapely.geometry import Point

    from trygg.cameras.importing_osm import distance_text
    from trygg.geo.osm_files import OsmFileProblem, building_features, near_features

    try:
        collection = building_features(data, filename)
    except OsmFileProblem as problem:
        raise ValidationError(message(problem)) from problem
    anchor = site_anchor(site)
    kept, left_out, nearest = near_features(
        collection, anchor.outline or Point(anchor.longitude, anchor.latitude), OSM_BUILDING_RADIUS_M
    )
    if not kept:
        raise ValidationError(
            _(
                "Ingen av filens %(count)s byggnader ligger inom %(limit)s m från platsen %(site)s; den närmaste "
                "ligger %(distance)s från platsen. Kontrollera att filen gäller rätt ort."
            )
            % {
                "count": len(collection["features"]),
                "limit": round(OSM_BUILDING_RADIUS_M),
                "site": site.name,
                "distance": distance_text(nearest),
            }
        )
    text = json.dumps({"type": "FeatureCollection", "features": kept})
    return text, left_out, int(collection.get("incomplete", 0))


def import_building_file(site: Site, data: bytes, filename: str, source: str, crs: str | None = None) -> ImportResult:
    """`import_buildings` for a GeoJSON file, or for an OpenStreetMap .osm/.osm.pbf file (WGS 84).

    For OSM, only the buildings near the site are imported (see `osm_geojson`); the result says
    how many were left out. Raises ValidationError as `import_buildings` does.
    """
    from trygg.geo.osm_files import is_osm_extract

    if not is_osm_extract(data, filename):
        return import_buildings(site, data, source, crs=crs)
    if crs and crs != WGS84:
        raise ValidationError(_("En OpenStreetMap-fil är alltid i WGS 84; välj inget annat koordinatsystem."))
    text, left_out, incomplete = osm_geojson(site, data, filename)
    result = import_buildings(site, text, source)
    result.left_out, result.incomplete = left_out, incomplete
    return result
