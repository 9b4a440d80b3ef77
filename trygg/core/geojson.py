"""Validation of GeoJSON geometries stored in JSON fields (WGS 84 lon/lat, as RFC 7946 says)."""

from __future__ import annotations

from typing import Any

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import shape


def validate_polygon(value: Any) -> None:
    """Accept a GeoJSON Polygon or MultiPolygon in lon/lat that is valid and inside Sweden's rough box."""
    if value in (None, ""):
        return
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("Ytan måste vara en GeoJSON-polygon (type Polygon eller MultiPolygon)."))
    try:
        geometry = shape(value)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise ValidationError(_("Ytan kunde inte läsas som GeoJSON: %(error)s"), params={"error": exc}) from exc
    if geometry.is_empty:
        raise ValidationError(_("Ytan är tom."))
    if not geometry.is_valid:
        raise ValidationError(
            _("Ytan är ogiltig (%(reason)s). Rita den utan att kanterna korsar varandra."),
            params={"reason": shapely.is_valid_reason(geometry)},
        )
    if geometry.area == 0:
        raise ValidationError(_("Ytan är tom."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (min_lon >= 10.0 and max_lon <= 25.0 and min_lat >= 55.0 and max_lat <= 69.5):
        raise ValidationError(_("Ytan ligger utanför Sverige. Koordinaterna ska anges som longitud, latitud (WGS 84)."))
