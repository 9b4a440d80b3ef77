"""One check for every geometry that comes in: forms, imports and anything else that takes GeoJSON.

What is checked, in this order (the first fault found is raised as ``GeoInputError``):

1. The shape of the GeoJSON: a known ``type``, coordinates nested as that type needs, every
   coordinate a finite number (no NaN, no infinity), enough distinct points per ring or line.
2. The coordinate reference system: the GeoJSON ``crs`` member (``urn:ogc:def:crs:EPSG::3006``,
   ``EPSG:3006``, ``urn:ogc:def:crs:OGC:1.3:CRS84``) or the system the user chose; metres given
   where degrees are expected (and the reverse) are refused instead of becoming infinite.
3. Validity (OGC simple features): a self-intersecting ("bow-tie") polygon, a hole outside its shell
   and so on are refused with the kind of fault in Swedish and the coordinate where it is, in the
   user's own system. Shapely's English never reaches the message.
4. Place: inside the municipality's area (``MunicipalityArea``), and for a building or zone within
   ``MAX_FROM_SITE_M`` of its site, with the distance in km in the message. Longitude and latitude
   swapped are detected and named.

What comes out is the geometry in WGS 84 lon/lat (RFC 7946), rings closed and exterior rings
counter-clockwise, holes clockwise (RFC 7946 §3.1.6). ``rfc7946`` does the same for stored geometry
on its way out.

No Django here; messages are Swedish templates marked with ``_`` (see ``trygg.geo``). A caller with
gettext translates ``error.message`` and every parameter named ``reason`` before interpolating.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import Point, box, mapping, shape
from shapely.geometry.base import BaseGeometry

from trygg.geo import GeoInputError, _
from trygg.geo.crs import SWEDEN_LATITUDE, SWEDEN_LONGITUDE, WGS84, reproject

POLYGONAL = frozenset({"Polygon", "MultiPolygon"})
LINEAR = frozenset({"LineString", "MultiLineString"})
POINT = frozenset({"Point"})

#: How deep each GeoJSON type nests its positions (RFC 7946 §3.1).
_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}

#: SWEREF 99 TM and its twelve local zones (SWEREF 99 12 00 … 23 15), EPSG:3006–3018.
SWEREF99_EPSG = frozenset(range(3006, 3019))

#: A building or zone belongs to a site; farther than this from the site (its outline when it has
#: one, else its position) it is more likely from another place or typed wrong. Trygg's largest
#: sites (sports grounds, squares) are a few hundred metres across.
MAX_FROM_SITE_M = 1000.0

#: Corners (positions) one geometry may have. Drawn zones and outlines have tens, an imported building
#: a few hundred; a 100 000-vertex building took 738 s of coverage work per save (issue 15).
MAX_VERTICES = 5_000

#: Margin around the municipality's sites when no area is set (organisation setting).
DEFAULT_AREA_MARGIN_M = 30_000.0

#: Shapely/GEOS validity reasons (``explain_validity``) and what they mean, in Swedish.
VALIDITY_REASONS = {
    "Self-intersection": _("kanterna korsar varandra"),
    "Ring Self-intersection": _("en ring korsar sig själv"),
    "Too few points in geometry component": _("för få olika punkter"),
    "Hole lies outside shell": _("ett hål ligger utanför ytans yttre gräns"),
    "Nested holes": _("ett hål ligger inuti ett annat hål"),
    "Interior is disconnected": _("hålen delar ytan i flera delar"),
    "Nested shells": _("en del av ytan ligger inuti en annan del"),
    "Duplicate Rings": _("samma ring finns två gånger"),
    "Invalid Coordinate": _("en koordinat är inget tal"),
    "Ring is not closed": _("en ring är inte sluten"),
}
UNKNOWN_REASON = _("geometrin är inte giltig")
_REASON = re.compile(r"^(?P<kind>[^\[]+?)\s*(?:\[(?P<x>\S+)\s+(?P<y>\S+)(?:\s+\S+)?\])?$")


@dataclass(frozen=True)
class MunicipalityArea:
    """Where the municipality's geometry may lie: ``area`` (WGS 84) widened by ``margin_m`` metres."""

    area: BaseGeometry
    margin_m: float = 0.0


@dataclass(frozen=True)
class SiteAnchor:
    """The site a building or zone belongs to: its name, position (WGS 84) and outline if drawn."""

    name: str
    longitude: float
    latitude: float
    outline: BaseGeometry | None = None


@dataclass(frozen=True)
class CheckedGeometry:
    """A geometry that passed ``check_geometry``: shapely and GeoJSON, both WGS 84 lon/lat."""

    geometry: BaseGeometry
    geojson: dict[str, Any]


SWEDEN = MunicipalityArea(box(SWEDEN_LONGITUDE[0], SWEDEN_LATITUDE[0], SWEDEN_LONGITUDE[1], SWEDEN_LATITUDE[1]))


# --- numbers ------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _decimal(value: float, places: int) -> str:
    """A number as Swedes write it: decimal comma, no grouping (so it cannot be misread)."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{places}f}".replace(".", ",").replace("-", "−")


def _km(metres: float) -> str:
    """Kilometres for a message: one decimal under 10 km, whole km above."""
    km = metres / 1000.0
    if km >= 10:
        return f"{km:,.0f}".replace(",", " ")
    return _decimal(km, 1).removesuffix(",0")


def check_finite(value: Any, field: str) -> float:
    """``value`` as a float, or GeoInputError naming ``field`` when it is not a finite number.

    For camera bearing and range and any other number that feeds geometry: NaN and ±infinity
    would give NaN areas further on. ``field`` is the Swedish name of the value.
    """
    if _is_number(value):
        number = float(value)
        if math.isfinite(number):
            return number
    raise GeoInputError(_("%(field)s måste vara ett ändligt tal, inte %(value)s."), field=field, value=str(value))


# --- the coordinate reference system ------------------------------------------------------------


def crs_from_member(member: Any) -> str | None:
    """The CRS named by a GeoJSON ``crs`` member (GeoJSON 2008 §3.1) as ``EPSG:nnnn``, or None if absent.

    Accepted: WGS 84 (``EPSG:4326``, ``OGC:CRS84``), SWEREF 99 TM and its local zones
    (EPSG:3006–3018), in any spelling pyproj understands. Raises GeoInputError for a member that
    cannot be read or names another system.
    """
    if member is None:
        return None
    properties = member.get("properties") if isinstance(member, Mapping) else None
    name = properties.get("name") if isinstance(properties, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        raise GeoInputError(
            _(
                "Filens crs-uppgift kunde inte läsas. Den ska se ut som "
                '{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}}.'
            )
        )
    return normalise_crs(name)


def normalise_crs(name: str) -> str:
    """``name`` (``EPSG:3006``, ``urn:ogc:def:crs:EPSG::3006``, ``CRS84`` …) as ``EPSG:nnnn``.

    Raises GeoInputError when pyproj does not know it or it is not WGS 84 or SWEREF 99.
    """
    try:
        crs = CRS.from_user_input(name.strip())
    except CRSError as error:
        raise GeoInputError(_("Okänt koordinatsystem: %(name)s."), name=name) from error
    authority = crs.to_authority(min_confidence=90)
    if authority in {("EPSG", "4326"), ("OGC", "CRS84")}:
        return WGS84
    if authority and authority[0] == "EPSG" and int(authority[1]) in SWEREF99_EPSG:
        return f"EPSG:{authority[1]}"
    raise GeoInputError(
        _("Koordinatsystemet %(name)s stöds inte. Använd WGS 84, SWEREF 99 TM eller en lokal SWEREF 99-zon."),
        name=name,
    )


# --- shape of the GeoJSON -----------------------------------------------------------------------


def _check_position(position: Any) -> list[float]:
    if not isinstance(position, list | tuple) or not 2 <= len(position) <= 3:
        raise GeoInputError(
            _("Varje punkt ska vara [x, y], t.ex. [18.7054, 59.7586]; fick %(value)s."), value=str(position)[:60]
        )
    for value in position:
        if not _is_number(value):
            raise GeoInputError(_("Koordinaten %(value)s är inget tal."), value=str(value)[:40])
        if not math.isfinite(value):
            raise GeoInputError(
                _("Koordinaten %(value)s är inget ändligt tal (NaN eller oändligt) och kan inte användas."),
                value=str(value),
            )
    return [float(value) for value in position[:2]]


def _distinct(points: Sequence[list[float]]) -> int:
    return len({tuple(point) for point in points})


def _ring(value: Any) -> list[list[float]]:
    if not isinstance(value, list | tuple):
        raise GeoInputError(_("Koordinaterna har fel form för en yta: varje ring ska vara en lista av punkter."))
    points = [_check_position(position) for position in value]
    if _distinct(points) < 3:
        raise GeoInputError(
            _("Ytan har för få punkter: en ring behöver minst tre olika hörn, men har %(count)s."),
            count=_distinct(points),
        )
    if points[0] != points[-1]:
        # RFC 7946 §3.1.6: the first and last positions are the same. An open ring means the same
        # polygon; it is stored closed.
        points.append(list(points[0]))
    return points


def _line(value: Any) -> list[list[float]]:
    if not isinstance(value, list | tuple):
        raise GeoInputError(_("Koordinaterna har fel form för en linje: den ska vara en lista av punkter."))
    points = [_check_position(position) for position in value]
    if _distinct(points) < 2:
        raise GeoInputError(_("Linjen är tom; rita minst två olika punkter."))
    return points


def _list(value: Any, kind: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple) or not value:
        raise GeoInputError(_("Koordinaterna saknas eller har fel form för %(type)s."), type=kind)
    return value


def _coordinates(kind: str, value: Any) -> Any:
    """The coordinates checked and normalised (rings closed), or GeoInputError."""
    if kind == "Point":
        return _check_position(value)
    if kind == "LineString":
        return _line(value)
    if kind == "MultiLineString":
        return [_line(line) for line in _list(value, kind)]
    if kind == "Polygon":
        return [_ring(ring) for ring in _list(value, kind)]
    return [[_ring(ring) for ring in _list(polygon, kind)] for polygon in _list(value, kind)]


def _count_positions(coordinates: Any, depth: int) -> int:
    """Positions in checked coordinates nested `depth` levels (0 = a single position)."""
    if depth == 0:
        return 1
    if depth == 1:
        return len(coordinates)
    return sum(_count_positions(part, depth - 1) for part in coordinates)


def _type_names(allowed: Iterable[str]) -> str:
    return ", ".join(sorted(allowed))


# --- validity -----------------------------------------------------------------------------------


def _where(x: float, y: float, crs: str) -> dict[str, str]:
    places = 6 if crs == WGS84 else 2
    return {"x": _decimal(x, places), "y": _decimal(y, places)}


def _invalid(geometry: BaseGeometry, crs: str) -> GeoInputError:
    """The Swedish error for an invalid geometry: the kind of fault and where it is."""
    explanation = shapely.is_valid_reason(geometry) or ""
    match = _REASON.match(explanation.strip())
    kind = match.group("kind").strip() if match else ""
    reason = VALIDITY_REASONS.get(kind, UNKNOWN_REASON)
    try:
        x, y = float(match.group("x")), float(match.group("y"))  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError):
        return GeoInputError(_("Ytan är ogiltig: %(reason)s."), reason=reason)
    if crs == WGS84:
        return GeoInputError(
            _("Ytan är ogiltig: %(reason)s vid longitud %(x)s, latitud %(y)s."), reason=reason, **_where(x, y, crs)
        )
    return GeoInputError(
        _("Ytan är ogiltig: %(reason)s vid E %(x)s, N %(y)s (%(crs)s)."),
        reason=reason,
        crs=crs,
        **_where(x, y, crs),
    )


def _looks_like_metres(geometry: BaseGeometry) -> bool:
    west, south, east, north = geometry.bounds
    return max(abs(west), abs(east)) > 180 or max(abs(south), abs(north)) > 90


def _finite(geometry: BaseGeometry) -> bool:
    return bool(np.isfinite(shapely.get_coordinates(geometry)).all())


def check_geometry(
    value: Any,
    *,
    allowed: Iterable[str] = POLYGONAL,
    source_crs: str = WGS84,
    precision: int = 7,
    max_vertices: int = MAX_VERTICES,
) -> CheckedGeometry:
    """A GeoJSON geometry dict checked and reprojected to WGS 84, or GeoInputError in Swedish.

    ``value``: a GeoJSON geometry object (dict) in ``source_crs`` (``EPSG:4326`` = lon, lat
    degrees; SWEREF 99 = E, N metres); its own ``crs`` member, if any, overrides ``source_crs``.
    ``allowed``: the geometry types accepted. Reprojected coordinates are rounded to ``precision``
    decimals (7 ≈ 1 cm). More than ``max_vertices`` positions is refused before any geometry work.
    Never raises anything but GeoInputError, whatever ``value`` is.
    """
    allowed = frozenset(allowed)
    if not isinstance(value, Mapping):
        raise GeoInputError(_("Geometrin ska vara ett GeoJSON-objekt av typen %(types)s."), types=_type_names(allowed))
    kind = value.get("type")
    if (kind not in allowed or kind not in _DEPTH) and allowed == POLYGONAL:
        raise GeoInputError(_("Ytan måste vara en GeoJSON-polygon (type Polygon eller MultiPolygon)."))
    if kind not in allowed or kind not in _DEPTH:
        raise GeoInputError(
            _("Geometrin har typen %(type)s, men här går bara %(types)s."),
            type=str(kind)[:40],
            types=_type_names(allowed),
        )
    if "crs" in value:
        source_crs = crs_from_member(value["crs"]) or source_crs
    coordinates = _coordinates(str(kind), value.get("coordinates"))
    corners = _count_positions(coordinates, _DEPTH[str(kind)])
    if corners > max_vertices:
        raise GeoInputError(
            _(
                "Geometrin har %(count)s hörn, fler än de %(max)s som går. Förenkla den i GIS-programmet "
                "(t.ex. till en noggrannhet på några decimeter) och läs in den igen."
            ),
            count=corners,
            max=max_vertices,
        )
    try:
        geometry = shape({"type": kind, "coordinates": coordinates})
    except (ValueError, TypeError, shapely.errors.ShapelyError) as error:  # pragma: no cover - checked above
        raise GeoInputError(_("Geometrin kunde inte läsas.")) from error
    if source_crs == WGS84 and _looks_like_metres(geometry):
        raise GeoInputError(
            _(
                "Koordinaterna ser ut att vara meter, inte grader (longitud, latitud i WGS 84). "
                "Ange vilket koordinatsystem de är i, t.ex. SWEREF 99 TM."
            )
        )
    if source_crs != WGS84 and not _looks_like_metres(geometry):
        raise GeoInputError(
            _(
                "Koordinaterna ser ut att vara grader (longitud, latitud), men koordinatsystemet är %(crs)s "
                "som anges i meter. Välj WGS 84."
            ),
            crs=source_crs,
        )
    if not geometry.is_valid:
        raise _invalid(geometry, source_crs)
    if source_crs != WGS84:
        geometry = reproject(geometry, source_crs, WGS84)
        if not _finite(geometry):
            raise GeoInputError(
                _("Koordinaterna kunde inte räknas om från %(crs)s; kontrollera att de verkligen är i det systemet."),
                crs=source_crs,
            )
        geometry = shapely.transform(geometry, lambda xy: np.round(xy, precision))
        if not geometry.is_valid:
            raise _invalid(geometry, WGS84)
    geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    return CheckedGeometry(geometry, _plain(mapping(geometry)))


def _ring_area2(ring: list[list[float]]) -> float:
    """Twice the signed area of a closed ring (shoelace): positive when counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))


def _plain_polygon(value: Mapping[str, Any]) -> dict[str, Any] | None:
    """A simple Polygon as `rfc7946` writes it, without building a shapely geometry (the map's export has
    thousands); None when it is anything else, so the caller takes shapely's way.

    Only for a Polygon of closed 2D rings of at least four positions with non-zero area: each ring is
    written as floats, reversed when it runs the wrong way (exterior counter-clockwise, holes clockwise),
    which is what shapely's `orient_polygons` gives for such a polygon.
    """
    if value.get("type") != "Polygon":
        return None
    rings = value.get("coordinates")
    if not isinstance(rings, list | tuple) or not rings:
        return None
    result = []
    for index, ring in enumerate(rings):
        if not isinstance(ring, list | tuple) or len(ring) < 4:
            return None
        points = []
        for position in ring:
            if not isinstance(position, list | tuple) or len(position) != 2:
                return None
            x, y = position
            if type(x) not in (float, int) or type(y) not in (float, int):
                return None
            points.append([float(x), float(y)])
        if points[0] != points[-1]:
            return None
        area2 = _ring_area2(points)
        if not math.isfinite(area2) or area2 == 0:
            return None
        if (area2 > 0) != (index == 0):
            points.reverse()
        result.append(points)
    return {"type": "Polygon", "coordinates": result}


def _plain(value: Any) -> Any:
    """Shapely's mapping (tuples) as JSON-ready lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# --- place --------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _equidistant(longitude: float, latitude: float) -> Transformer:
    """WGS 84 to an azimuthal equidistant projection centred on the point: true distances from it."""
    return Transformer.from_crs(
        WGS84, f"+proj=aeqd +lat_0={latitude} +lon_0={longitude} +ellps=GRS80 +units=m", always_xy=True
    )


def _around(centre: BaseGeometry, *geometries: BaseGeometry) -> list[BaseGeometry]:
    point = centre.representative_point() if not isinstance(centre, Point) else centre
    tr = _equidistant(round(point.x, 4), round(point.y, 4))
    return [shapely.transform(g, lambda x, y: tr.transform(x, y), interleaved=False) for g in geometries]


def distance_m(a: BaseGeometry, b: BaseGeometry) -> float:
    """Shortest distance in metres between two WGS 84 geometries (ellipsoidal, exact from ``a``'s centre)."""
    near_a, near_b = _around(a, a, b)
    return float(near_a.distance(near_b))


def _swapped(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: xy[:, ::-1])


@lru_cache(maxsize=16)
def _projected_area(wkb: bytes, margin_m: float) -> tuple[BaseGeometry, BaseGeometry]:
    """The area and the area widened by the margin, around the area's centre (cached: one per import)."""
    area = shapely.from_wkb(wkb)
    [near_area] = _around(area, area)
    return near_area, near_area.buffer(margin_m) if margin_m > 0 else near_area


def _outside_m(geometry: BaseGeometry, area: MunicipalityArea) -> float:
    """How far ``geometry`` reaches outside the area widened by its margin (0 when inside)."""
    near_area, widened = _projected_area(shapely.to_wkb(area.area), area.margin_m)
    [near_geometry] = _around(area.area, geometry)
    if widened.covers(near_geometry):
        return 0.0
    vertices = shapely.points(shapely.get_coordinates(near_geometry))
    # The farthest vertex names how far outside it is; at least 1 m, so "outside" is never 0.
    return max(float(shapely.distance(near_area, vertices).max()), 1.0)


def check_place(
    geometry: BaseGeometry,
    *,
    area: MunicipalityArea | None = None,
    site: SiteAnchor | None = None,
    max_from_site_m: float = MAX_FROM_SITE_M,
) -> None:
    """Refuse a WGS 84 geometry outside the municipality's area or too far from its site.

    Checks, in order: coordinates on the globe (longitude −180–180°, latitude −90–90°); longitude and
    latitude swapped (the swapped geometry would lie where the
    original does not); within ``max_from_site_m`` metres of ``site`` (its outline, else its
    position), the distance in km in the message; inside ``area`` (Sweden when None) widened by its
    margin. Raises GeoInputError; returns None when all is well.
    """
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        # Off the globe (a latitude of 200): no distance can be told ("inf km" reached the user).
        raise GeoInputError(
            _(
                "Koordinaterna finns inte på jorden: longituden ska vara mellan −180 och 180° och latituden mellan "
                "−90 och 90° (WGS 84). I Sverige är longituden 10–25° och latituden 55–69°."
            )
        )
    area = area or SWEDEN
    outside = _outside_m(geometry, area)
    if outside and not _outside_m(_swapped(geometry), area):
        raise GeoInputError(
            _(
                "Longitud och latitud verkar omkastade: i Sverige är longituden 10–25° och latituden 55–69°. "
                "Ange longitud först, t.ex. 18.7054, 59.7586."
            )
        )
    if site is not None:
        anchor: BaseGeometry = site.outline or Point(site.longitude, site.latitude)
        distance = distance_m(anchor, geometry)
        if distance > max_from_site_m:
            raise GeoInputError(
                _(
                    "Geometrin ligger %(distance)s km från platsen %(site)s, längre än de %(limit)s km som "
                    "tillåts. Kontrollera koordinaterna och att de gäller rätt plats."
                ),
                distance=_km(distance),
                site=site.name,
                limit=_km(max_from_site_m),
            )
    if outside and area is SWEDEN:
        raise GeoInputError(
            _(
                "Geometrin ligger %(distance)s km utanför Sverige. Koordinaterna ska anges som longitud, latitud (WGS 84)."
            ),
            distance=_km(outside),
        )
    if outside:
        raise GeoInputError(
            _(
                "Geometrin ligger %(distance)s km utanför kommunens område. Kontrollera koordinaterna, "
                "eller vidga området i organisationsinställningarna."
            ),
            distance=_km(outside),
        )


def area_around(points: Iterable[tuple[float, float]], margin_m: float = DEFAULT_AREA_MARGIN_M) -> MunicipalityArea:
    """The municipality's area when none is set: the box around its sites (lon, lat) and a margin.

    Without any point, Sweden (``SWEDEN``).
    """
    coordinates = [(lon, lat) for lon, lat in points if math.isfinite(lon) and math.isfinite(lat)]
    if not coordinates:
        return SWEDEN
    xs, ys = zip(*coordinates, strict=True)
    return MunicipalityArea(box(min(xs), min(ys), max(xs), max(ys)), margin_m)


# --- output -------------------------------------------------------------------------------------


def rfc7946(value: Any) -> Any:
    """A stored GeoJSON geometry as RFC 7946 wants it on output: rings closed, exteriors CCW, holes CW.

    Points and lines come back unchanged; so does anything that cannot be read (exports must
    not fail on old data; input is checked by ``check_geometry``).
    """
    if not isinstance(value, Mapping) or value.get("type") not in POLYGONAL:
        return value
    plain = _plain_polygon(value)
    if plain is not None:
        return plain
    try:
        geometry = shape(value)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, shapely.errors.ShapelyError):
        return value
    return _plain(mapping(shapely.orient_polygons(geometry, exterior_cw=False)))
