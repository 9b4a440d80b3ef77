"""Validation of a zone's drawn geometry: an area, or for a wall or fence also a line.

Zones are stored as GeoJSON in WGS 84 (lon/lat, RFC 7946). Most zones are areas (schoolyard,
neighbour's plot). A wall (mur) or fence (staket, plank) is a line on the map; it has no area to
protect but blocks the view, so it may be drawn as a LineString (or MultiLineString).
"""

from __future__ import annotations

from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape

from trygg.core.geojson import validate_polygon

LINE_TYPES = frozenset({"LineString", "MultiLineString"})


def is_line(value: Any) -> bool:
    """Whether a stored GeoJSON geometry is a line (LineString or MultiLineString)."""
    return isinstance(value, dict) and value.get("type") in LINE_TYPES


def validate_line(value: Any) -> None:
    """Accept a GeoJSON LineString or MultiLineString in lon/lat that has length and lies in Sweden.

    Raises ValidationError with a Swedish message otherwise.
    """
    try:
        geometry = shape(value)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise ValidationError(_("Linjen kunde inte läsas som GeoJSON: %(error)s"), params={"error": exc}) from exc
    if geometry.is_empty or geometry.length == 0:
        raise ValidationError(_("Linjen är tom; rita minst två olika punkter."))
    if not geometry.is_valid:
        raise ValidationError(
            _("Linjen är ogiltig (%(reason)s)."), params={"reason": shapely.is_valid_reason(geometry)}
        )
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (min_lon >= 10.0 and max_lon <= 25.0 and min_lat >= 55.0 and max_lat <= 69.5):
        raise ValidationError(
            _("Linjen ligger utanför Sverige. Koordinaterna ska anges som longitud, latitud (WGS 84).")
        )


def validate_zone_geometry(value: Any) -> None:
    """A zone's geometry: a GeoJSON polygon, or a line (which `Zone.clean` allows only for walls and fences)."""
    if is_line(value):
        validate_line(value)
    else:
        validate_polygon(value)
