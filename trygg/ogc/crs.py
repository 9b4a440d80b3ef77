"""OGC API – Features Part 2 (OGC 18-058r1): output in SWEREF 99 TM or the local SWEREF 99 zone. Pure Python.

Stored geometry is CRS84 (lon, lat). A request's `crs` names the output CRS and `bbox-crs` the CRS of
`bbox`, both as OGC URIs. Coordinates follow the CRS's own axis order (/req/crs/crs-action): CRS84 is
lon, lat; the SWEREF 99 projections of EPSG are northing, easting (N, E) — the order QGIS and the
OGC test suite expect (gis.md §2.2).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from trygg.geo.crs import WGS84, transformer
from trygg.ogc.errors import QueryError, _

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"
METRE_DECIMALS = 3  # millimetres


def uri(code: str) -> str:
    """`EPSG:3006` → `http://www.opengis.net/def/crs/EPSG/0/3006`."""
    return EPSG_URI + code.split(":", 1)[1]


def supported(local_crs: str) -> list[str]:
    """The CRS URIs offered: CRS84, SWEREF 99 TM (EPSG:3006) and the municipality's local zone."""
    return list(dict.fromkeys([CRS84, uri("EPSG:3006"), uri(local_crs)]))


def parse_crs(value: str, offered: list[str], name: str = "crs") -> str:
    """A CRS URI from `offered` (also accepted as `EPSG:3006`/`[EPSG:3006]`) to `CRS84` or `EPSG:nnnn`.

    Raises QueryError naming the parameter for anything else.
    """
    text = value.strip().strip("[]")
    if text.upper().startswith("EPSG:"):
        text = uri(text.upper())
    if text not in offered:
        raise QueryError(
            _("Parametern ”%(name)s” ska vara ett av koordinatsystemen %(offered)s (fick ”%(value)s”)."),
            name=name,
            offered=", ".join(offered),
            value=value,
        )
    return "CRS84" if text == CRS84 else "EPSG:" + text.rsplit("/", 1)[1]


def geometry_to(geojson: dict[str, Any] | None, crs: str) -> dict[str, Any] | None:
    """A CRS84 GeoJSON geometry in `crs` (`EPSG:nnnn`, a SWEREF 99 projection): [N, E] in metres, mm rounded."""
    if geojson is None or crs == "CRS84":
        return geojson
    forward = transformer(WGS84, crs)
    projected = shapely.transform(shape(geojson), lambda x, y: forward.transform(x, y), interleaved=False)
    # N, E (the EPSG axis order of the SWEREF 99 projections), rounded to millimetres.
    swapped = shapely.transform(projected, lambda xy: np.round(xy[:, ::-1], METRE_DECIMALS))
    return dict(mapping(swapped))


def bbox_to_crs84(numbers: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    """A `bbox` given in `crs` (axis order N, E for EPSG) as (west, south, east, north) in CRS84.

    The grid rectangle is not a lon/lat rectangle; its densified envelope is taken, so the filter never
    misses a feature inside the requested box. Raises QueryError when the corners are not in order.
    """
    if crs == "CRS84":
        return numbers
    min_north, min_east, max_north, max_east = numbers
    if min_north > max_north or min_east > max_east:
        raise QueryError(
            _("Parametern ”bbox” ska börja med det sydvästra hörnet och sluta med det nordöstra (fick ”%(value)s”)."),
            value=",".join(f"{n:g}" for n in numbers),
        )
    return transformer(crs, WGS84).transform_bounds(min_east, min_north, max_east, max_north, densify_pts=21)
