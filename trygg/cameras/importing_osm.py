"""OpenStreetMap surveillance nodes as camera rows for the camera import, with no Django.

The reverse of `trygg.geo.osm` (tags → placements) for the import: each ``man_made=surveillance``
node read by `trygg.geo.osm_files` becomes a `CameraRow` like a spreadsheet row, so the same
preview, all-or-nothing/only-valid choice and `services.register_existing` path are used.

A node carries no site, no dates, rarely a mount height and never a lens angle. So:

- the site is the nearest Trygg site within `MAX_SITE_DISTANCE_M` (its outline, else its
  position); farther away the node is refused with the nearest site and the distance named;
- the life-cycle state is chosen once for the file by the user ("planerad", or "befintlig" in
  operation since a date) and is not in this module;
- what the node lacks is filled with stated defaults and each row says which (a warning, shown
  in the preview, never silent): direction 0° (north), height 5 m (the default of Surveillance
  under Surveillance, reference/gis.md §3.2), mount on a wall, horizontal angle 60° for a fixed
  camera (the wedge of ocitysmap, gis.md §3.2); a dome or PTZ without direction gets 90° and a pan
  range of 0-360 (it turns all round);
- tags Trygg has no field for (operator, surveillance, surveillance:zone …) are listed per row.

The node id is kept as ``source_id`` ("node/<id>", source "openstreetmap"), so importing the same
file again finds the cameras already made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from shapely.geometry import Point

from trygg.cameras.importing import CameraRow, Problem
from trygg.geo import GeoInputError
from trygg.geo.coverage import CameraType
from trygg.geo.osm import DIRECTION_KEYS, OsmTagError, parse_camera_type, parse_direction, parse_height
from trygg.geo.osm_files import OsmNode
from trygg.geo.validation import MunicipalityArea, SiteAnchor, check_place, distance_m
from trygg.incidents.i18n import _

SOURCE = "openstreetmap"
MAX_SITE_DISTANCE_M = 150.0
DEFAULT_HEIGHT_M = 5.0
DEFAULT_FIXED_HFOV_DEG = 60.0
DEFAULT_ROUND_HFOV_DEG = 90.0  # a dome or PTZ without direction: this lens, turning all round (pan 0-360)

#: OSM ``camera:mount`` values to Trygg's mounts (wall, pole, ceiling, roof).
MOUNTS = {
    "wall": "wall",
    "building": "wall",
    "facade": "wall",
    "pole": "pole",
    "street_lamp": "pole",
    "traffic_signal": "pole",
    "tree": "pole",
    "mast": "pole",
    "ceiling": "ceiling",
    "roof": "roof",
}
#: OSM camera types (via `trygg.geo.osm.parse_camera_type`) to Trygg's.
TYPES = {CameraType.FIXED: "fixed", CameraType.DOME: "dome", CameraType.PANNING: "ptz"}

#: Tags read into fields (the rest with a meaning for cameras is listed as not stored).
READ_TAGS = frozenset(
    {"man_made", "surveillance:type", "camera:type", "camera:mount", "height", "ref", "name", "revolving", "indoor"}
    | set(DIRECTION_KEYS)
)
LISTED_TAGS = ("surveillance", "surveillance:zone", "operator", "camera:angle", "level")

POSITION = "position"


def source_id(node: OsmNode) -> str:
    """The id kept on the camera: ``node/<id>``."""
    return f"node/{node.osm_id}"


def distance_text(metres: float) -> str:
    """A distance for a message: "87 m" under a kilometre, else km ("1,4 km", "1 234 km")."""
    if metres < 1000:
        return f"{round(metres)} m"
    km = metres / 1000.0
    if km >= 10:
        return f"{km:,.0f} km".replace(",", " ")
    return f"{km:.1f} km".replace(".", ",")


def nearest_site(node: OsmNode, sites: Sequence[SiteAnchor]) -> tuple[SiteAnchor | None, float]:
    """The site nearest the node and its distance in metres (None, inf without sites)."""
    point = Point(node.lon, node.lat)
    best: tuple[SiteAnchor | None, float] = (None, float("inf"))
    for site in sites:
        distance = distance_m(site.outline or Point(site.longitude, site.latitude), point)
        if distance < best[1]:
            best = (site, distance)
    return best


def _identifier(node: OsmNode, row: CameraRow) -> str:
    for key in ("ref", "name"):
        value = " ".join(node.tags.get(key, "").split())
        if value and len(value) <= 50:
            return value
        if value:
            row.warnings.append(
                Problem(key, _("Värdet är längre än 50 tecken; beteckningen blir %(id)s."), {"id": _fallback(node)})
            )
            return _fallback(node)
    return _fallback(node)


def _fallback(node: OsmNode) -> str:
    return f"osm-node-{node.osm_id}"


def read_node(
    number: int,
    node: OsmNode,
    *,
    sites: Sequence[SiteAnchor],
    area: MunicipalityArea | None,
    max_site_m: float = MAX_SITE_DISTANCE_M,
) -> CameraRow:
    """One node as a camera row: values as `importing.read_row` gives them, problems and warnings.

    `number` is the node's place among the file's cameras (1, 2 …). Never raises for bad tags:
    each becomes a problem naming the tag and the value.
    """
    row = CameraRow(number, {"osm_id": node.osm_id, "source": SOURCE, "source_id": source_id(node)})
    tags = node.tags
    row.values["identifier"] = _identifier(node, row)
    row.values["site"] = ""
    row.values["longitude"], row.values["latitude"] = round(node.lon, 7), round(node.lat, 7)
    row.values["purpose"] = ""
    assumed: list[tuple[str, dict[str, object]]] = []

    camera_type = "ptz" if tags.get("revolving", "").strip().lower() == "yes" else "fixed"
    if tags.get("camera:type", "").strip():
        try:
            camera_type = TYPES[parse_camera_type(tags["camera:type"])]
        except OsmTagError as error:
            row.problems.append(Problem("camera:type", error.message, error.params))
    elif camera_type == "fixed":
        assumed.append((_("kameratyp fast"), {}))
    row.values["camera_type"] = camera_type

    bearing, pan = None, None
    key = next((k for k in DIRECTION_KEYS if tags.get(k, "").strip()), None)
    if key:
        first = tags[key].split(";")[0]
        if ";" in tags[key]:
            row.warnings.append(Problem(key, _("Noden har flera kameror; bara den första riktningen används.")))
        try:
            bearing, pan = parse_direction(first, key)
        except OsmTagError as error:
            row.problems.append(Problem(key, error.message, error.params))
    if pan is not None:
        row.values["pan_range"] = f"{round(pan.start_deg)}-{round(pan.end_deg)}"
        bearing = pan.start_deg
    if bearing is None:
        bearing = 0.0
        if not any(p.column == key for p in row.problems):
            assumed.append((_("riktning 0° (norr)"), {}))
    row.values["bearing"] = round(bearing, 1) % 360

    round_camera = camera_type in {"dome", "ptz"} and key is None
    row.values["hfov"] = DEFAULT_ROUND_HFOV_DEG if round_camera else DEFAULT_FIXED_HFOV_DEG
    if round_camera:
        row.values["pan_range"] = "0-360"
        assumed.append((_("vridområde 0-360"), {}))
    assumed.append((_("bildvinkel %(degrees)s°"), {"degrees": round(row.values["hfov"])}))

    height = None
    if tags.get("height", "").strip():
        try:
            height = parse_height(tags["height"])
        except OsmTagError as error:
            row.problems.append(Problem("height", error.message, error.params))
    if height is None and not any(p.column == "height" for p in row.problems):
        height = DEFAULT_HEIGHT_M
        assumed.append((_("höjd %(metres)s m"), {"metres": round(DEFAULT_HEIGHT_M)}))
    row.values["mount_height"] = height

    mount_text = tags.get("camera:mount", "").strip().lower()
    if mount_text and mount_text not in MOUNTS:
        row.warnings.append(
            Problem("camera:mount", _("Okänt värde %(value)s; vägg antas."), {"value": tags["camera:mount"][:40]})
        )
    elif not mount_text:
        assumed.append((_("montering på vägg"), {}))
    row.values["mount"] = MOUNTS.get(mount_text, "wall")

    row.values["is_indoor"] = (
        tags.get("surveillance", "").strip().lower() == "indoor" or tags.get("indoor", "").strip().lower() == "yes"
    )
    row.values["uses_anpr"] = tags.get("surveillance:type", "").strip().lower() in {"alpr", "anpr"}
    if assumed:
        row.warnings.append(Problem("OpenStreetMap", _("Saknas i noden, antaget: %(values)s."), {"values": assumed}))
    listed = [f"{k}={tags[k][:60]}" for k in LISTED_TAGS if tags.get(k, "").strip()]
    if listed:
        row.warnings.append(
            Problem("OpenStreetMap", _("Taggar som Trygg inte sparar: %(tags)s."), {"tags": ", ".join(listed)})
        )

    site, distance = nearest_site(node, sites)
    if site is None:
        row.problems.append(Problem(POSITION, _("Det finns inga platser i Trygg att koppla kameran till.")))
        return row
    if distance > max_site_m:
        row.problems.append(
            Problem(
                POSITION,
                _(
                    "Närmaste plats, %(site)s, ligger %(distance)s från kameran; en kamera kopplas bara till en "
                    "plats inom %(limit)s m. Lägg upp platsen i Trygg först, eller kontrollera filen."
                ),
                {"site": site.name, "distance": distance_text(distance), "limit": round(max_site_m)},
            )
        )
        return row
    try:
        check_place(Point(node.lon, node.lat), area=area)
    except GeoInputError as error:
        row.problems.append(Problem(POSITION, error.message, error.params))
        return row
    row.values["site"] = site.name
    row.values["site_distance"] = distance_text(distance)
    return row


def read_nodes(
    nodes: Iterable[OsmNode],
    *,
    sites: Sequence[SiteAnchor],
    area: MunicipalityArea | None,
    existing_identifiers: Iterable[str],
    existing_sources: Iterable[str],
    max_site_m: float = MAX_SITE_DISTANCE_M,
) -> list[CameraRow]:
    """Every node as a row, checked against the file and Trygg.

    A node whose id is already stored (`existing_sources`, "node/<id>") or whose identifier is
    already in Trygg is "exists" (left unchanged); a repeated identifier in the file is an error
    naming the first node.
    """
    stored_ids, stored_sources = set(existing_identifiers), set(existing_sources)
    first_seen: dict[str, int] = {}
    rows = []
    for number, node in enumerate(nodes, start=1):
        row = read_node(number, node, sites=sites, area=area, max_site_m=max_site_m)
        identifier = row.values["identifier"]
        if identifier in first_seen:
            row.problems.append(
                Problem(
                    "ref",
                    _("Beteckningen %(identifier)s finns redan på nod %(node)s i filen."),
                    {"identifier": identifier, "node": first_seen[identifier]},
                )
            )
        else:
            first_seen[identifier] = node.osm_id
        row.exists = identifier in stored_ids or row.values["source_id"] in stored_sources
        rows.append(row)
    return rows
