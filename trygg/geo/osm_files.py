"""Reading OpenStreetMap files: surveillance nodes and building outlines (reference/gis.md §3).

Three kinds of file are read, told apart by their content (the name's suffix only breaks a tie):
OSM XML (``.osm``), OSM PBF (``.osm.pbf``), both with pyosmium, and an Overpass API JSON export
(``[out:json]``, elements with ``type``, ``id``, ``lat``, ``lon``, ``tags``). Nothing here needs
Django. A file that cannot be read raises ``OsmFileProblem`` with a Swedish message; libosmium's
own (English) words never reach the user.

Cameras are ``man_made=surveillance`` nodes whose ``surveillance:type`` is ``camera``, ``ALPR``
or absent; other surveillance (guards, gunshot detectors) is counted as skipped, never silently
dropped. Buildings are ``building=*`` closed ways and multipolygon relations, turned into GeoJSON
by pyosmium's geometry factory.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import osmium

from trygg.geo import GeoInputError, _

#: ``surveillance:type`` values that are cameras (absent counts as a camera: the common default).
CAMERA_KINDS = frozenset({"", "camera", "alpr", "anpr"})

OSM_FILE_ERROR = _(
    "Filen kunde inte läsas som OpenStreetMap-data (%(kind)s). Spara den på nytt som .osm (XML), "
    ".osm.pbf eller som JSON från Overpass."
)
OSM_EMPTY = _("Filen innehåller inga övervakningskameror (noder med man_made=surveillance).")
OSM_NO_BUILDINGS = _("Filen innehåller inga byggnader (vägar eller relationer med building=*).")


class OsmFileProblem(GeoInputError):
    """The file as a whole cannot be read; ``message % params`` is the Swedish text."""


@dataclass(frozen=True)
class OsmNode:
    """One surveillance node: its OSM id, position (WGS 84 degrees) and tags."""

    osm_id: int
    lon: float
    lat: float
    tags: dict[str, str]


@dataclass
class SurveillanceNodes:
    """The camera nodes of a file, and how many other surveillance nodes were skipped (by kind)."""

    kind: str
    nodes: list[OsmNode] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    without_position: list[int] = field(default_factory=list)


def file_kind(data: bytes, filename: str = "") -> str:
    """ "xml", "pbf" or "overpass" from the first bytes (a BOM and spaces skipped), else the suffix.

    Raises OsmFileProblem when neither tells.
    """
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    name = filename.lower()
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{"):
        return "overpass"
    if name.endswith(".pbf") or b"OSMHeader" in data[:32]:
        return "pbf"
    raise OsmFileProblem(OSM_FILE_ERROR, kind=filename.rsplit(".", 1)[-1][:10] if "." in filename else "?")


def is_osm_file(data: bytes, filename: str) -> bool:
    """Whether an upload is meant as an OSM file: its suffix (.osm, .osm.pbf, .pbf, .json)."""
    name = filename.lower()
    return name.endswith((".osm", ".pbf", ".json", ".osm.xml"))


def is_osm_extract(data: bytes, filename: str) -> bool:
    """Whether a building file is OSM XML or PBF (not GeoJSON): its suffix, or XML/PBF content."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return filename.lower().endswith((".osm", ".pbf", ".osm.xml")) or head.startswith(b"<") or b"OSMHeader" in data[:32]


def near_features(collection: dict[str, Any], anchor: Any, radius_m: float) -> tuple[list[dict[str, Any]], int, float]:
    """The features within ``radius_m`` metres of ``anchor`` (a WGS 84 shapely geometry).

    Returns (features kept, how many were farther, the smallest distance in metres of all — to name
    it when none is near). Distances by `trygg.geo.validation.distance_m`.
    """
    from shapely.geometry import shape

    from trygg.geo.validation import distance_m

    kept: list[dict[str, Any]] = []
    nearest = math.inf
    for feature in collection["features"]:
        distance = distance_m(anchor, shape(feature["geometry"]))
        nearest = min(nearest, distance)
        if distance <= radius_m:
            kept.append(feature)
    return kept, len(collection["features"]) - len(kept), nearest


def _buffer(data: bytes, kind: str) -> osmium.io.FileBuffer:
    return osmium.io.FileBuffer(data, "osm" if kind == "xml" else "pbf")


def _problem(kind: str) -> OsmFileProblem:
    names = {"xml": "OSM XML", "pbf": "OSM PBF", "overpass": "Overpass JSON"}
    return OsmFileProblem(OSM_FILE_ERROR, kind=names.get(kind, kind))


def _is_camera(tags: dict[str, str]) -> tuple[bool, str]:
    kind = tags.get("surveillance:type", "").strip()
    return kind.lower() in CAMERA_KINDS, kind


def _finite(lon: Any, lat: Any) -> bool:
    return (
        isinstance(lon, int | float)
        and isinstance(lat, int | float)
        and not isinstance(lon, bool)
        and not isinstance(lat, bool)
        and math.isfinite(lon)
        and math.isfinite(lat)
        and -180 <= lon <= 180
        and -90 <= lat <= 90
    )


def _add(result: SurveillanceNodes, osm_id: int, lon: Any, lat: Any, tags: dict[str, str]) -> None:
    if tags.get("man_made") != "surveillance":
        return
    camera, kind = _is_camera(tags)
    if not camera:
        result.skipped[kind] = result.skipped.get(kind, 0) + 1
    elif not _finite(lon, lat):
        result.without_position.append(osm_id)
    else:
        result.nodes.append(OsmNode(osm_id, float(lon), float(lat), tags))


def read_surveillance(data: bytes, filename: str = "") -> SurveillanceNodes:
    """The surveillance camera nodes of an OSM XML/PBF file or an Overpass JSON export, in file order.

    Raises OsmFileProblem when the file cannot be read or holds no camera node.
    """
    kind = file_kind(data, filename)
    result = SurveillanceNodes(kind)
    if kind == "overpass":
        _read_overpass(data, result)
    else:
        try:
            processor = osmium.FileProcessor(_buffer(data, kind), osmium.osm.NODE).with_filter(
                osmium.filter.TagFilter(("man_made", "surveillance"))
            )
            for node in processor:
                location = node.location
                lon, lat = (location.lon, location.lat) if location.valid() else (None, None)
                _add(result, int(node.id), lon, lat, {tag.k: tag.v for tag in node.tags})
        except (RuntimeError, ValueError, KeyError, OverflowError) as error:
            raise _problem(kind) from error
    if not result.nodes and not result.skipped and not result.without_position:
        raise OsmFileProblem(OSM_EMPTY)
    return result


def _read_overpass(data: bytes, result: SurveillanceNodes) -> None:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise _problem("overpass") from error
    elements = document.get("elements") if isinstance(document, dict) else None
    if not isinstance(elements, list):
        raise _problem("overpass")
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "node":
            continue
        tags = element.get("tags")
        osm_id = element.get("id")
        if not isinstance(tags, dict) or not isinstance(osm_id, int) or isinstance(osm_id, bool):
            continue
        clean = {str(k): str(v) for k, v in tags.items() if isinstance(v, str | int | float)}
        _add(result, osm_id, element.get("lon"), element.get("lat"), clean)


def building_features(data: bytes, filename: str = "") -> dict[str, Any]:
    """``building=*`` ways and multipolygons of an OSM XML/PBF file as a GeoJSON FeatureCollection.

    Each feature's id is ``way/<id>`` or ``relation/<id>`` (so a re-import updates instead of
    copying) and its ``name`` property the OSM ``name``. Ways whose nodes lie outside the extract
    cannot be built and are counted in the collection's ``incomplete`` member. Raises
    OsmFileProblem for an unreadable file, an Overpass export (it has no geometry of ways unless
    asked for) or a file without buildings.
    """
    kind = file_kind(data, filename)
    if kind == "overpass":
        raise OsmFileProblem(
            _("Byggnader läses från .osm- eller .osm.pbf-filer; en Overpass-export saknar vägarnas geometri.")
        )
    factory = osmium.geom.GeoJSONFactory()
    features: list[dict[str, Any]] = []
    incomplete = 0
    try:
        processor = (
            osmium.FileProcessor(_buffer(data, kind))
            .with_locations()
            .with_areas(osmium.filter.KeyFilter("building"))
            .with_filter(osmium.filter.EntityFilter(osmium.osm.AREA))
        )
        for area in processor:
            if "building" not in area.tags:
                continue
            source = f"{'way' if area.from_way() else 'relation'}/{area.orig_id()}"
            try:
                geometry = json.loads(factory.create_multipolygon(area))
            except (RuntimeError, ValueError) as error:  # an outline cut by the extract's edge
                del error
                incomplete += 1
                continue
            if geometry.get("type") == "MultiPolygon" and len(geometry.get("coordinates", [])) == 1:
                geometry = {"type": "Polygon", "coordinates": geometry["coordinates"][0]}
            features.append(
                {
                    "type": "Feature",
                    "id": source,
                    "geometry": geometry,
                    "properties": {"name": area.tags.get("name", ""), "building": area.tags.get("building", "")},
                }
            )
    except (RuntimeError, ValueError, KeyError, OverflowError) as error:
        raise _problem(kind) from error
    if not features:
        raise OsmFileProblem(OSM_NO_BUILDINGS)
    return {"type": "FeatureCollection", "features": features, "incomplete": incomplete}
