"""The query of an OGC API – Features items request, checked, and the paging links: pure Python, no Django.

Rules from OGC 17-069r3 (Part 1 Core): `limit` and `offset` page through the features, `bbox` is
"minLon,minLat,maxLon,maxLat" in CRS84 (six numbers add heights, which are ignored here), `datetime`
is an RFC 3339 date or date-time; an unknown parameter or a bad value is answered with 400
(/req/core/query-param-invalid, /req/core/query-param-unknown).

Messages are Swedish, wrapped in `_` with named placeholders; the Django layer translates them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from trygg.ogc import crs as crs_rules
from trygg.ogc.errors import QueryError, _

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Parameters every items request understands; `f` chooses the encoding (only GeoJSON here).
ITEMS_PARAMETERS = frozenset({"limit", "offset", "bbox", "datetime", "f"})


@dataclass(frozen=True)
class ItemsQuery:
    """A checked items query.

    `bbox` is (west, south, east, north) in degrees WGS 84 lon/lat; `on_date` is the calendar date
    of `datetime` (a date-time counts for its date in UTC).
    """

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    on_date: dt.date | None = None
    crs: str = "CRS84"


def _integer(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    value = raw.strip()
    if not value.isdigit() or int(value) < low or (high is not None and int(value) > high):
        if high is None:
            raise QueryError(
                _("Parametern ”%(name)s” ska vara ett heltal som är %(low)s eller större (fick ”%(value)s”)."),
                name=name,
                low=low,
                value=raw,
            )
        raise QueryError(
            _("Parametern ”%(name)s” ska vara ett heltal från %(low)s till %(high)s (fick ”%(value)s”)."),
            name=name,
            low=low,
            high=high,
            value=raw,
        )
    return int(value)


def parse_bbox(raw: str, degrees: bool = True) -> tuple[float, float, float, float]:
    """`"w,s,e,n"` (or six numbers with heights) to (west, south, east, north); QueryError when not usable.

    Longitudes must lie in −180…180 and latitudes in −90…90; west > east (crossing the antimeridian)
    is refused, as no municipality in Sweden needs it.
    """
    parts = raw.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise QueryError(
            _(
                "Parametern ”bbox” ska vara fyra tal åtskilda med kommatecken: västligaste longitud, "
                "sydligaste latitud, östligaste longitud, nordligaste latitud (fick ”%(value)s”)."
            ),
            value=raw,
        )
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not degrees:
        return west, south, east, north  # a projected CRS: checked and converted by trygg.ogc.crs
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise QueryError(
            _(
                "Parametern ”bbox” ska ha longituder mellan −180 och 180 och latituder mellan −90 och 90 "
                "(WGS 84, longitud först; fick ”%(value)s”)."
            ),
            value=raw,
        )
    if west > east or south > north:
        raise QueryError(
            _("Parametern ”bbox” ska börja med det sydvästra hörnet och sluta med det nordöstra (fick ”%(value)s”)."),
            value=raw,
        )
    return west, south, east, north


def parse_datetime(raw: str) -> dt.date:
    """An RFC 3339 date (`2025-06-01`) or date-time (`2025-06-01T12:00:00Z`) to its date (UTC).

    Intervals (`a/b`, `../b`) are refused: the question answered is which cameras were in
    operation on one day. Raises QueryError.
    """
    value = raw.strip()
    if "/" in value:
        raise QueryError(
            _(
                "Parametern ”datetime” ska vara ett datum eller en tidpunkt, till exempel 2025-06-01; "
                "intervall stöds inte (fick ”%(value)s”)."
            ),
            value=raw,
        )
    try:
        if "T" in value.upper():
            moment = dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError(value)
            on = moment.astimezone(dt.UTC).date()
        else:
            on = dt.date.fromisoformat(value)
    except ValueError as error:
        raise QueryError(
            _(
                "Parametern ”datetime” ska vara ett datum som ÅÅÅÅ-MM-DD eller en tidpunkt med tidszon som "
                "2025-06-01T12:00:00Z (fick ”%(value)s”)."
            ),
            value=raw,
        ) from error
    if not 1900 <= on.year <= 2100:
        raise QueryError(_("Parametern ”datetime” ska ligga mellan år 1900 och 2100 (fick ”%(value)s”)."), value=raw)
    return on


def parse_items_query(params: Mapping[str, str], offered_crs: list[str] | None = None) -> ItemsQuery:
    """Check the query parameters of an items request.

    `params` maps a parameter name to its (last) value; `offered_crs` lists the CRS URIs the
    collection offers for `crs` and `bbox-crs` (Part 2; None: CRS84 only, and both are unknown).
    The returned bbox is always CRS84. Raises QueryError for an unknown parameter (code
    `UnknownParameter`), a `limit` outside 1…1000, a negative or non-integer `offset`, a malformed
    `bbox` or `datetime`, a CRS not offered, or `f` other than `json`/`geojson`.
    """
    allowed = ITEMS_PARAMETERS | ({"crs", "bbox-crs"} if offered_crs else set())
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise QueryError(
            _("Parametern ”%(name)s” finns inte. Tillåtna parametrar: %(allowed)s."),
            code="UnknownParameter",
            name=unknown[0],
            allowed=", ".join(sorted(allowed)),
        )
    encoding = params.get("f")
    if encoding is not None and encoding not in ("json", "geojson"):
        raise QueryError(_("Parametern ”f” kan bara vara json eller geojson (fick ”%(value)s”)."), value=encoding)
    output_crs = crs_rules.parse_crs(params["crs"], offered_crs) if "crs" in params and offered_crs else "CRS84"
    bbox_crs = (
        crs_rules.parse_crs(params["bbox-crs"], offered_crs, "bbox-crs")
        if "bbox-crs" in params and offered_crs
        else "CRS84"
    )
    bbox = params.get("bbox")
    when = params.get("datetime")
    return ItemsQuery(
        limit=_integer(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0, None),
        bbox=crs_rules.bbox_to_crs84(parse_bbox(bbox, bbox_crs == "CRS84"), bbox_crs) if bbox is not None else None,
        on_date=parse_datetime(when) if when is not None else None,
        crs=output_crs,
    )


def page_links(
    base_url: str, params: Mapping[str, str], query: ItemsQuery, number_matched: int
) -> list[dict[str, str]]:
    """`next` and `prev` links for the page `query` selects out of `number_matched` features.

    The other parameters are kept as given; only `offset` (and `limit`, always written) change.
    `next` is there while features remain after this page, `prev` when the page does not start at 0.
    """
    kept = {key: value for key, value in params.items() if key not in ("offset", "limit")}
    links = []
    if query.offset + query.limit < number_matched:
        links.append(("next", query.offset + query.limit))
    if query.offset > 0:
        links.append(("prev", max(0, query.offset - query.limit)))
    return [
        {
            "rel": rel,
            "type": "application/geo+json",
            "title": {"next": _("Nästa sida"), "prev": _("Föregående sida")}[rel],
            "href": base_url + "?" + urlencode({**kept, "limit": query.limit, "offset": offset}),
        }
        for rel, offset in links
    ]
