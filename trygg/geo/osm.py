"""OpenStreetMap surveillance tags to camera placements (reference/gis.md §3.1).

Reads ``camera:direction`` (falling back to ``direction``, then ``surveillance:direction``),
``camera:angle``, ``camera:type`` and ``height`` of a ``man_made=surveillance`` node. Several
cameras on one node are ``;``-separated. A bad value raises ``OsmTagError`` whose Swedish
message names the tag and the value, so an import can tell the user what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from trygg.geo import GeoInputError, _
from trygg.geo.coverage import FULL_CIRCLE_DEG, CameraPlacement, CameraType, PanRange
from trygg.geo.crs import WGS84

T = TypeVar("T")

DIRECTION_KEYS = ("camera:direction", "direction", "surveillance:direction")

#: The 16 points of the compass OSM allows for ``camera:direction``.
COMPASS_POINTS = {
    name: index * 22.5
    for index, name in enumerate(
        ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
    )
}

#: OSM ``camera:type`` values and what we treat them as; a doorbell camera points one way.
CAMERA_TYPES = {
    "fixed": CameraType.FIXED,
    "dome": CameraType.DOME,
    "panning": CameraType.PANNING,
    "doorbell": CameraType.FIXED,
}

#: gis.md §3.1: clamp to plausible values; outside them the tag is more likely wrong than real.
MAX_HEIGHT_M = 50.0

_NUMBER = r"\d+(?:\.\d+)?"
_DEGREES = re.compile(rf"^({_NUMBER})\s*°?$")
_BEARING_TOKEN = rf"(?:{_NUMBER}\s*°?|[A-Za-z]{{1,3}})"
_RANGE = re.compile(rf"^({_BEARING_TOKEN})\s*-\s*({_BEARING_TOKEN})$")
_HEIGHT = re.compile(rf"^({_NUMBER})\s*(?:m|meter|metre|meters|metres)?$", re.IGNORECASE)

DIRECTION_ERROR = _(
    "Ogiltig riktning i %(tag)s: ”%(value)s”. Ange grader 0–360 från norr, ett väderstreck "
    "(N, NE, SSW …) eller ett intervall som 90-270."
)
ANGLE_ERROR = _("Ogiltig lutning i %(tag)s: ”%(value)s”. Ange grader nedåt från horisontalplanet, 0–90.")
HEIGHT_ERROR = _(
    "Ogiltig höjd i %(tag)s: ”%(value)s”. Ange meter över marken, större än 0 och under 50, t.ex. 5 eller 5.5 m."
)
TYPE_ERROR = _("Okänd kameratyp i %(tag)s: ”%(value)s”. Tillåtna värden är fixed, dome och panning.")
COUNT_ERROR = _("%(tag)s har %(found)s värden men noden har %(expected)s kameror; ange ett värde eller ett per kamera.")


class OsmTagError(GeoInputError):
    """An OSM tag value we cannot use; ``params`` holds ``tag`` and ``value``."""


def _bearing(token: str, tag: str, original: str) -> float:
    token = token.strip()
    compass = COMPASS_POINTS.get(token.upper())
    if compass is not None:
        return compass
    match = _DEGREES.match(token)
    if match is None:
        raise OsmTagError(DIRECTION_ERROR, tag=tag, value=original)
    degrees = float(match.group(1))
    if degrees > FULL_CIRCLE_DEG:
        raise OsmTagError(DIRECTION_ERROR, tag=tag, value=original)
    return degrees


def parse_direction(value: str, tag: str = "camera:direction") -> tuple[float | None, PanRange | None]:
    """One direction value: a bearing ("135", "SSW") or a clockwise pan range ("270-90").

    Returns (bearing, None) or (None, pan range); "0-359" and "0-360" mean any direction.
    """
    text = value.strip()
    match = _RANGE.match(text)
    if match is None:
        return _bearing(text, tag, value) % FULL_CIRCLE_DEG, None
    start = _bearing(match.group(1), tag, value)
    end = _bearing(match.group(2), tag, value)
    if end - start == FULL_CIRCLE_DEG or (end - start) % FULL_CIRCLE_DEG >= FULL_CIRCLE_DEG - 1:
        # The wiki's "0-359" means a full turn, written by people who avoid 360.
        return None, PanRange(0.0, FULL_CIRCLE_DEG)
    return None, PanRange(start % FULL_CIRCLE_DEG, end % FULL_CIRCLE_DEG)


def parse_angle(value: str, tag: str = "camera:angle") -> float:
    """Downward tilt in degrees from horizontal, 0–90."""
    match = _DEGREES.match(value.strip())
    if match is None or not 0 <= float(match.group(1)) <= 90:
        raise OsmTagError(ANGLE_ERROR, tag=tag, value=value)
    return float(match.group(1))


def parse_height(value: str, tag: str = "height") -> float:
    """Mounting height in metres: "5", "5 m", "5.5", "10m"; must be in (0, 50)."""
    match = _HEIGHT.match(value.strip())
    if match is None or not 0 < float(match.group(1)) < MAX_HEIGHT_M:
        raise OsmTagError(HEIGHT_ERROR, tag=tag, value=value)
    return float(match.group(1))


def parse_camera_type(value: str, tag: str = "camera:type") -> CameraType:
    """OSM ``camera:type`` (fixed, dome, panning; doorbell counts as fixed)."""
    camera_type = CAMERA_TYPES.get(value.strip().lower())
    if camera_type is None:
        raise OsmTagError(TYPE_ERROR, tag=tag, value=value)
    return camera_type


def _split(value: str) -> list[str]:
    return [part for part in (p.strip() for p in value.split(";")) if part]


def _per_camera(tags: Mapping[str, str], key: str, count: int, parse: Callable[[str, str], T]) -> list[T | None]:
    """One parsed value per camera: none, one for all, or one each (``;``-separated)."""
    raw = tags.get(key)
    if raw is None or not raw.strip():
        return [None] * count
    parts = _split(raw)
    if len(parts) == 1:
        return [parse(parts[0], key)] * count
    if len(parts) != count:
        raise OsmTagError(COUNT_ERROR, tag=key, value=raw, found=len(parts), expected=count)
    return [parse(part, key) for part in parts]


def placements_from_tags(tags: Mapping[str, str], lon: float, lat: float) -> tuple[CameraPlacement, ...]:
    """Camera placements (lon/lat) of one OSM node; one per ``;``-separated direction."""
    direction_key = next((k for k in DIRECTION_KEYS if tags.get(k, "").strip()), None)
    directions: list[tuple[float | None, PanRange | None]] = (
        [parse_direction(part, direction_key) for part in _split(tags[direction_key])]
        if direction_key
        else [(None, None)]
    )
    count = len(directions)
    types = _per_camera(tags, "camera:type", count, parse_camera_type)
    angles = _per_camera(tags, "camera:angle", count, parse_angle)
    heights = _per_camera(tags, "height", count, parse_height)
    revolving = tags.get("revolving", "").strip().lower() == "yes"
    placements = []
    for (bearing, pan), camera_type, angle, height in zip(directions, types, angles, heights, strict=True):
        if camera_type is None:
            # Real data uses the non-standard revolving=yes for cameras that turn (gis.md §4).
            camera_type = CameraType.PANNING if revolving else CameraType.FIXED
        placements.append(
            CameraPlacement(
                x=lon,
                y=lat,
                crs=WGS84,
                bearing_deg=bearing,
                pan=pan,
                camera_type=camera_type,
                height_m=height,
                tilt_deg=angle,
            )
        )
    return tuple(placements)


#
# Camera facts to OSM tags (the export direction)
#

#: Trygg's camera kinds as OSM ``camera:type`` (gis.md §3.1): a PTZ camera turns, a thermal camera is fixed.
OSM_CAMERA_TYPES = {"fixed": "fixed", "dome": "dome", "ptz": "panning", "thermal": "fixed"}
#: Trygg's mounts as OSM ``camera:mount`` (wiki values wall, pole, ceiling; ``building`` in use for roofs).
OSM_MOUNTS = {"wall": "wall", "pole": "pole", "ceiling": "ceiling", "roof": "building"}
#: Trygg's site kinds as OSM ``surveillance:zone`` (wiki values town, parking, building, …); None: no tag.
OSM_ZONES = {
    "school": "building",
    "preschool": "building",
    "upper_secondary_school": "building",
    "municipal_building": "building",
    "sports_facility": "building",
    "public_place": "town",
    "park": "town",
    "parking": "parking",
}


def _number(value: float) -> str:
    """`5.0` → "5", `4.25` → "4.25" (OSM numbers use a decimal point and no unit for metres)."""
    return f"{round(value, 2):g}"


def tags_for_camera(
    *,
    bearing_deg: float,
    camera_type: str,
    mount: str,
    height_m: float | None,
    is_indoor: bool,
    public_access: bool,
    site_kind: str,
    operator: str,
    pan: PanRange | None = None,
    tilt_deg: float | None = None,
    ref: str = "",
) -> dict[str, str]:
    """The OSM tags of one ``man_made=surveillance`` node for a camera (gis.md §3.1 and §3.4).

    `bearing_deg` is true-north degrees (as stored); a `pan` range replaces it in ``camera:direction``
    as "start-end" clockwise. `camera_type` and `mount` are Trygg's codes (trygg.cameras.choices),
    mapped by OSM_CAMERA_TYPES and OSM_MOUNTS; `site_kind` gives ``surveillance:zone`` by OSM_ZONES
    (no tag for a kind without a fitting value). ``surveillance`` is ``indoor`` inside, ``public`` where
    the public has access, otherwise ``outdoor`` (the wiki's three values). Heights are metres and
    angles degrees, written without unit. Raises KeyError for an unknown camera type or mount.
    """
    tags = {
        "man_made": "surveillance",
        "surveillance:type": "camera",
        "surveillance": "indoor" if is_indoor else ("public" if public_access else "outdoor"),
        "camera:type": OSM_CAMERA_TYPES[camera_type],
        "camera:mount": OSM_MOUNTS[mount],
    }
    if pan is not None:
        tags["camera:direction"] = f"{_number(pan.start_deg)}-{_number(pan.end_deg)}"
    else:
        tags["camera:direction"] = str(round(bearing_deg) % 360)
    if height_m is not None and height_m > 0:
        tags["height"] = _number(height_m)
    if tilt_deg is not None:
        tags["camera:angle"] = _number(tilt_deg)
    zone = OSM_ZONES.get(site_kind)
    if zone is not None:
        tags["surveillance:zone"] = zone
    if operator.strip():
        tags["operator"] = operator.strip()
    if ref.strip():
        tags["ref"] = ref.strip()
    return tags
