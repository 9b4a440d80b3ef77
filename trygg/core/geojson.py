"""The Django side of geometry input: `trygg.geo.validation` with Swedish messages as ValidationError.

Geometry is stored as GeoJSON in WGS 84 lon/lat (RFC 7946). The pure checks (shape, finite numbers,
validity, CRS, place) live in `trygg.geo.validation`; this module translates their messages and
offers the field validator the models use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from trygg.geo import GeoInputError
from trygg.geo.crs import WGS84
from trygg.geo.validation import POLYGONAL, CheckedGeometry, check_finite, check_geometry, check_place


def message(error: GeoInputError) -> str:
    """The error's Swedish message in the active language (its `reason` parameter translated too)."""
    params = {key: gettext(value) if key == "reason" else value for key, value in error.params.items()}
    return gettext(error.message) % params if params else gettext(error.message)


def checked(value: Any, *, allowed: Iterable[str] = POLYGONAL, source_crs: str = WGS84) -> CheckedGeometry:
    """`check_geometry` plus a place in Sweden, raising ValidationError with the translated message."""
    try:
        result = check_geometry(value, allowed=allowed, source_crs=source_crs)
        check_place(result.geometry)
    except GeoInputError as error:
        raise ValidationError(message(error), code="geometry") from error
    return result


def validate_polygon(value: Any) -> None:
    """Field validator: a valid GeoJSON Polygon or MultiPolygon in WGS 84 lon/lat lying in Sweden.

    Raises ValidationError with a Swedish message saying what is wrong and where (see
    `trygg.geo.validation.check_geometry`). Empty values pass (the field's `blank` decides).
    """
    if value in (None, ""):
        return
    checked(value, allowed=POLYGONAL)


def validate_finite(value: Any) -> None:
    """Field validator for numbers that feed geometry (bearing, range): NaN and infinity are refused.

    Django's range validators let NaN through (every comparison with NaN is false).
    """
    if value is None:
        return
    try:
        check_finite(value, gettext("Värdet"))
    except GeoInputError as error:
        raise ValidationError(message(error), code="finite") from error
