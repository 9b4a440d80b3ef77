"""Small helpers to draw the demo's polygons in metres around a point and store them as lon/lat."""

from __future__ import annotations

from functools import cache
from typing import Any

from pyproj import Transformer
from shapely.geometry import LineString, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry


@cache
def _to_metres() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


@cache
def _to_degrees() -> Transformer:
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def metres(lon: float, lat: float) -> tuple[float, float]:
    return _to_metres().transform(lon, lat)


def lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _to_degrees().transform(x, y)
    return round(lon, 7), round(lat, 7)


def to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """A metric (EPSG:3006) polygon or line as a GeoJSON polygon or line in lon/lat."""
    if isinstance(geometry, LineString):
        return {"type": "LineString", "coordinates": [list(lonlat(x, y)) for x, y in geometry.coords]}
    polygon = Polygon(
        [lonlat(x, y) for x, y in geometry.exterior.coords],
        [[lonlat(x, y) for x, y in ring.coords] for ring in geometry.interiors],
    )
    data = mapping(polygon)
    return {"type": data["type"], "coordinates": [[list(p) for p in ring] for ring in data["coordinates"]]}


def rectangle(centre_lon: float, centre_lat: float, west: float, south: float, east: float, north: float) -> Polygon:
    """A rectangle given by offsets in metres from a centre point, in EPSG:3006."""
    x, y = metres(centre_lon, centre_lat)
    return box(x + west, y + south, x + east, y + north)


def offset(centre_lon: float, centre_lat: float, east: float, north: float) -> tuple[float, float]:
    """The lon/lat of a point `east` and `north` metres from the centre."""
    x, y = metres(centre_lon, centre_lat)
    return lonlat(x + east, y + north)


def polyline(centre_lon: float, centre_lat: float, *points: tuple[float, float]) -> LineString:
    """A line through points given as offsets in metres (east, north) from a centre point, in EPSG:3006."""
    x, y = metres(centre_lon, centre_lat)
    return LineString([(x + east, y + north) for east, north in points])
