"""Coordinate reference systems: cached transformers, meridian convergence, GeoJSON export.

All transformers are created with ``always_xy=True``: EPSG:3006 is officially (northing,
easting) and EPSG:4326 (lat, lon); we always pass and store (x, y) = (easting, northing) or
(lon, lat). pyproj ≥ 3.1 makes ``Transformer`` and ``Proj`` thread-safe, so sharing cached
instances between request threads is fine.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Proj, Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
SWEREF99_TM = "EPSG:3006"
#: SWEREF 99 18 00, the local projection many Stockholm-region municipalities use.
SWEREF99_18_00 = "EPSG:3011"

#: 7 decimals of a degree is about 1 cm, enough for camera positions and sector edges.
GEOJSON_PRECISION = 7


@lru_cache(maxsize=32)
def transformer(source_crs: str, target_crs: str) -> Transformer:
    """A cached pyproj Transformer from ``source_crs`` to ``target_crs`` with x/lon first."""
    return Transformer.from_crs(source_crs, target_crs, always_xy=True)


@lru_cache(maxsize=8)
def _projection(crs: str) -> Proj:
    return Proj(crs)


def transform_xy(
    x: ArrayLike, y: ArrayLike, source_crs: str, target_crs: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Transform coordinate arrays (or scalars) in one pyproj call; returns float arrays."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if source_crs == target_crs:
        return xs.copy(), ys.copy()
    tx, ty = transformer(source_crs, target_crs).transform(xs, ys)
    return np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)


def lonlat_to_grid(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """WGS 84 lon/lat to SWEREF 99 TM easting/northing (metres)."""
    return transform_xy(lon, lat, WGS84, SWEREF99_TM)


def grid_to_lonlat(easting: ArrayLike, northing: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """SWEREF 99 TM easting/northing to WGS 84 lon/lat."""
    return transform_xy(easting, northing, SWEREF99_TM, WGS84)


def meridian_convergence_deg(lon: ArrayLike, lat: ArrayLike, crs: str = SWEREF99_TM) -> Any:
    """Meridian (grid) convergence γ in degrees at lon/lat for a projected ``crs``.

    γ is the angle from grid north to true north, clockwise positive, so
    ``grid_bearing = true_bearing − γ`` (east of the central meridian γ > 0: at Norrtälje,
    18.705 E 59.758 N, γ = +3.2019° in EPSG:3006). Scalars in give a float, arrays an array.
    """
    factors = _projection(crs).get_factors(lon, lat)
    convergence = factors.meridian_convergence
    return float(convergence) if np.ndim(convergence) == 0 else np.asarray(convergence, dtype=float)


def point_scale_factor(lon: ArrayLike, lat: ArrayLike, crs: str = SWEREF99_TM) -> Any:
    """Point scale factor k of a projected ``crs`` at lon/lat: grid metres per metre on the ground.

    SWEREF 99 TM is conformal, so k is the same in every direction at a point: 0.9996 on the
    central meridian 15° E, growing with the distance from it (Norrtälje, 18.705 E 59.758 N:
    k = 1.000131, so 30 m on the ground are 30.0039 grid metres). A distance measured on the
    ground becomes ``distance · k`` in the grid, an area ``area · k²``. Scalars in give a float.
    """
    # Conformal: the scale along the parallel equals the one along the meridian.
    scale = _projection(crs).get_factors(lon, lat).parallel_scale
    return float(scale) if np.ndim(scale) == 0 else np.asarray(scale, dtype=float)


def convergence_and_scale(
    lon: ArrayLike, lat: ArrayLike, crs: str = SWEREF99_TM
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Meridian convergence (degrees) and point scale factor at lon/lat, in one pyproj call (arrays)."""
    factors = _projection(crs).get_factors(lon, lat)
    return (
        np.asarray(factors.meridian_convergence, dtype=float),
        np.asarray(factors.parallel_scale, dtype=float),
    )


def reproject(geometry: BaseGeometry, source_crs: str, target_crs: str) -> BaseGeometry:
    """Any shapely geometry from ``source_crs`` to ``target_crs`` (vertices only, no densifying)."""
    if source_crs == target_crs:
        return geometry
    tr = transformer(source_crs, target_crs)
    return shapely.transform(geometry, lambda x, y: tr.transform(x, y), interleaved=False)


def export_geometry(
    geometry: BaseGeometry, target_crs: str = SWEREF99_18_00, source_crs: str = SWEREF99_TM
) -> BaseGeometry:
    """A SWEREF 99 TM geometry in the municipality's own CRS (default SWEREF 99 18 00)."""
    return reproject(geometry, source_crs, target_crs)


def to_geojson(
    geometry: BaseGeometry, source_crs: str = SWEREF99_TM, precision: int = GEOJSON_PRECISION
) -> dict[str, Any]:
    """GeoJSON geometry dict in lon/lat (RFC 7946): CCW exterior rings, rounded coordinates."""
    lonlat = reproject(geometry, source_crs, WGS84)
    # RFC 7946 wants exterior rings counter-clockwise and holes clockwise.
    lonlat = shapely.orient_polygons(lonlat, exterior_cw=False)
    rounded = shapely.transform(lonlat, lambda coords: np.round(coords, precision))
    # Shadow edges are 1e-6° apart seen from the camera; rounded, they repeat the same point.
    return dict(mapping(shapely.remove_repeated_points(rounded)))


def from_geojson(geojson: dict[str, Any], target_crs: str = SWEREF99_TM) -> BaseGeometry:
    """A GeoJSON geometry dict (lon/lat) as a shapely geometry in ``target_crs``."""
    return reproject(shape(geojson), WGS84, target_crs)


#: Where Sweden lies, generously: WGS 84 degrees (the same limits as the position fields) and
#: SWEREF 99 TM metres (Smygehuk N ≈ 6 133 000, Treriksröset N ≈ 7 670 000, Koster E ≈ 265 000,
#: Haparanda E ≈ 920 000). A point outside is a typing error, or N and E swapped.
SWEDEN_LONGITUDE = (10.0, 25.0)
SWEDEN_LATITUDE = (55.0, 69.5)
SWEDEN_NORTHING_M = (6_100_000.0, 7_700_000.0)
SWEDEN_EASTING_M = (180_000.0, 1_000_000.0)


def inside(value: float, limits: tuple[float, float]) -> bool:
    """Whether `value` lies within the closed interval `limits`."""
    return limits[0] <= value <= limits[1]


def grid_looks_swapped(northing: float, easting: float) -> bool:
    """Whether SWEREF 99 TM N and E look typed in each other's place (both wrong, both fit swapped)."""
    return (
        not inside(northing, SWEDEN_NORTHING_M)
        and not inside(easting, SWEDEN_EASTING_M)
        and inside(easting, SWEDEN_NORTHING_M)
        and inside(northing, SWEDEN_EASTING_M)
    )
