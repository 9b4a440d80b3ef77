"""Validation of a site's geometry: zones (an area, or for a wall or fence also a line), buildings, place.

Zones are stored as GeoJSON in WGS 84 (lon/lat, RFC 7946). Most zones are areas (schoolyard,
neighbour's plot). A wall (mur) or fence (staket, plank) is a line on the map; it has no area to
protect but blocks the view, so it may be drawn as a LineString (or MultiLineString).

Every building and zone must also lie near its site and inside the municipality's area
(`municipality_area`: the organisation's setting, else the box around its sites plus a margin).
The pure checks are in `trygg.geo.validation`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from shapely.geometry import Point, shape

from trygg.core.geojson import checked, message, validate_polygon
from trygg.core.models import Organisation
from trygg.geo import GeoInputError
from trygg.geo.validation import (
    LINEAR,
    POLYGONAL,
    MunicipalityArea,
    SiteAnchor,
    area_around,
    check_finite,
    check_geometry,
    check_place,
)

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from trygg.sites.models import Site

LINE_TYPES = LINEAR


def is_line(value: Any) -> bool:
    """Whether a stored GeoJSON geometry is a line (LineString or MultiLineString)."""
    return isinstance(value, dict) and value.get("type") in LINE_TYPES


def validate_line(value: Any) -> None:
    """Accept a GeoJSON LineString or MultiLineString in lon/lat that has length and lies in Sweden.

    Raises ValidationError with a Swedish message otherwise.
    """
    checked(value, allowed=LINEAR)


def validate_zone_geometry(value: Any) -> None:
    """A zone's geometry: a GeoJSON polygon, or a line (which `Zone.clean` allows only for walls and fences)."""
    if is_line(value):
        validate_line(value)
    else:
        validate_polygon(value)


def municipality_area(organisation: Organisation | None = None, *, set_only: bool = False) -> MunicipalityArea:
    """Where the municipality's geometry may lie (two queries at most).

    The organisation's `area` widened by `area_margin_km`; without an area, the box around all
    sites' positions widened by the margin (or Sweden when `set_only`: a site's own position cannot
    be checked against an area drawn around the sites); without sites, Sweden.
    """
    from trygg.sites.models import Site

    organisation = organisation or Organisation.current()
    margin_m = organisation.area_margin_km * 1000.0
    if organisation.area:
        try:
            return MunicipalityArea(check_geometry(organisation.area).geometry, margin_m)
        except GeoInputError:
            pass  # The setting is validated on save; an unreadable old value falls back to the sites.
    if set_only:
        return area_around([])
    bounds = Site.objects.aggregate(
        west=Min("longitude"), south=Min("latitude"), east=Max("longitude"), north=Max("latitude")
    )
    if bounds["west"] is None:
        return area_around([])
    return area_around([(bounds["west"], bounds["south"]), (bounds["east"], bounds["north"])], margin_m)


def site_anchor(site: Site) -> SiteAnchor:
    """The site as the pure checks see it: name, position and outline (when it has a readable one)."""
    outline: BaseGeometry | None = None
    if site.outline:
        try:
            outline = shape(site.outline)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            outline = None
    return SiteAnchor(str(site.name), float(site.longitude), float(site.latitude), outline)


def check_on_site(
    value: Any,
    site: Site,
    *,
    allowed: frozenset[str] = POLYGONAL,
    source_crs: str = "EPSG:4326",
    area: MunicipalityArea | None = None,
) -> dict[str, Any]:
    """A building's or zone's GeoJSON checked, in WGS 84, near `site` and inside the municipality.

    Returns the GeoJSON to store (rings closed, exterior counter-clockwise). Raises ValidationError
    with the Swedish message (distance in km when too far). `area` defaults to `municipality_area()`.
    """
    try:
        result = check_geometry(value, allowed=allowed, source_crs=source_crs)
        check_place(result.geometry, area=area or municipality_area(), site=site_anchor(site))
    except GeoInputError as error:
        raise ValidationError(message(error), code="geometry") from error
    return result.geojson


def normalise_on_site(
    value: Any, site: Site, *, field: str, allowed: frozenset[str] = POLYGONAL
) -> dict[str, Any] | None:
    """For a model's `clean`: the GeoJSON to store, after checking it lies near `site` and in the municipality.

    Returns None when the geometry itself is unreadable or invalid: the field's validator reports
    that, and the form should not show it twice. Raises ValidationError on `field` for a place problem.
    """
    try:
        result = check_geometry(value, allowed=allowed)
        check_place(result.geometry)  # in Sweden: otherwise the field validator has said so
    except GeoInputError:
        return None
    try:
        return check_on_site(result.geojson, site, allowed=allowed)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def check_point(longitude: float, latitude: float, *, field: str, site: Site | None = None) -> None:
    """A position (WGS 84) inside the municipality's area and, with `site`, near it.

    Without `site` (a site's own position) only an area set by the organisation counts. Raises
    ValidationError on `field` naming swapped longitude and latitude or the distance in km.
    """
    try:
        check_place(
            Point(check_finite(longitude, "longitud"), check_finite(latitude, "latitud")),
            area=municipality_area(set_only=site is None),
            site=site_anchor(site) if site is not None else None,
        )
    except GeoInputError as error:
        raise ValidationError({field: message(error)}, code="geometry") from error
