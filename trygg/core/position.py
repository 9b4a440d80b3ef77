"""A position typed in WGS 84 (longitude, latitude) or in SWEREF 99 TM (N, E in metres).

Forms of models with `PositionMixin` (sites, cameras) inherit `PositionForm` to get the two grid
fields. What is stored is always WGS 84; SWEREF 99 TM (EPSG:3006) is converted with pyproj. The
form shows each system's values for the stored point, so whoever reads one system sees the other.
"""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.geo.crs import (
    SWEDEN_EASTING_M,
    SWEDEN_LATITUDE,
    SWEDEN_LONGITUDE,
    SWEDEN_NORTHING_M,
    grid_looks_swapped,
    grid_to_lonlat,
    inside,
    lonlat_to_grid,
)

# Two positions typed in both systems must agree to within this (metres); more is a contradiction.
AGREEMENT_M = 1.0


def grid_of(longitude: float | None, latitude: float | None) -> tuple[float, float] | None:
    """SWEREF 99 TM (northing, easting) in metres, rounded to the centimetre, or None."""
    if longitude is None or latitude is None:
        return None
    east, north = lonlat_to_grid(longitude, latitude)
    return round(float(north), 2), round(float(east), 2)


def _metres(value: float) -> str:
    return number_format(value, decimal_pos=2, force_grouping=True)


class PositionForm(forms.Form):
    """Mixin for model forms with `longitude` and `latitude`: adds SWEREF 99 TM N and E.

    Whichever system the person changed is taken; when both were changed they must agree to within
    `AGREEMENT_M`. A value outside Sweden is refused with a Swedish message naming the field.
    """

    grid_north = forms.FloatField(
        label=_("N (SWEREF 99 TM)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_(
            "Norrkoordinat i meter, t.ex. 6630483. Fyll i N och E i stället för longitud och latitud om du har dem."
        ),
    )
    grid_east = forms.FloatField(
        label=_("E (SWEREF 99 TM)"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        help_text=_("Östkoordinat i meter, t.ex. 707799."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("longitude", "latitude"):
            # The position may come from the grid fields instead; range checks below say "Sverige".
            self.fields[name].required = False
            self.fields[name].validators = []
        instance = getattr(self, "instance", None)
        grid = grid_of(getattr(instance, "longitude", None), getattr(instance, "latitude", None))
        if grid is not None:
            self.initial.setdefault("grid_north", grid[0])
            self.initial.setdefault("grid_east", grid[1])

    def _changed(self, *names: str) -> bool:
        return any(name in self.changed_data for name in names)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        names = ("longitude", "latitude", "grid_north", "grid_east")
        if any(self.has_error(name) for name in names):
            return cleaned
        self._check_ranges(cleaned)
        if any(self.has_error(name) for name in names):
            return cleaned
        wgs = self._pair("longitude", cleaned.get("longitude"), "latitude", cleaned.get("latitude"))
        grid = self._pair("grid_north", cleaned.get("grid_north"), "grid_east", cleaned.get("grid_east"))
        if any(self.has_error(name) for name in names):
            return cleaned
        if wgs is None and grid is None:
            self.add_error(
                "longitude",
                gettext(
                    "Ange läget: klicka på kartan, eller skriv longitud och latitud (WGS 84) "
                    "eller N och E (SWEREF 99 TM)."
                ),
            )
            return cleaned
        if grid is not None and not self._grid_point_in_sweden(*grid):
            return cleaned
        grid_changed = self._changed("grid_north", "grid_east")
        use_grid = grid is not None and (wgs is None or (grid_changed and not self._changed("longitude", "latitude")))
        if grid is not None and wgs is not None and not use_grid and grid_changed:
            # Both systems were typed: they must describe the same point.
            north_of_wgs, east_of_wgs = grid_of(*wgs)
            distance = math.hypot(grid[0] - north_of_wgs, grid[1] - east_of_wgs)
            if distance > AGREEMENT_M:
                self.add_error(
                    "grid_north",
                    gettext(
                        "N och E (SWEREF 99 TM) ligger %(distance)s m från longitud och latitud (WGS 84). "
                        "Ange läget i ett av systemen och töm det andra."
                    )
                    % {"distance": _metres(distance)},
                )
                return cleaned
        if use_grid:
            lon, lat = grid_to_lonlat(grid[1], grid[0])
            cleaned["longitude"], cleaned["latitude"] = round(float(lon), 7), round(float(lat), 7)
        return cleaned

    def _pair(self, first: str, a: float | None, second: str, b: float | None) -> tuple[float, float] | None:
        """Both values, or None when both are empty; one alone is an error on the missing field."""
        if a is None and b is None:
            return None
        if a is None or b is None:
            missing = first if a is None else second
            if first == "longitude":
                message = gettext("Fyll i både longitud och latitud (WGS 84), eller töm båda.")
            else:
                message = gettext("Fyll i både N och E (SWEREF 99 TM), eller töm båda.")
            self.add_error(missing, message)
            return None
        return a, b

    def _check_ranges(self, cleaned: dict[str, Any]) -> None:
        """Each typed value on its own must lie in Sweden; the message names the field and the limits."""
        longitude, latitude = cleaned.get("longitude"), cleaned.get("latitude")
        north, east = cleaned.get("grid_north"), cleaned.get("grid_east")
        if north is not None and east is not None and grid_looks_swapped(north, east):
            self.add_error(
                "grid_north",
                gettext(
                    "N och E verkar ha bytt plats: N (norrkoordinaten) är den större, t.ex. 6630483, och E t.ex. 707799."
                ),
            )
            return
        if (
            longitude is not None
            and latitude is not None
            and not (inside(longitude, SWEDEN_LONGITUDE) and inside(latitude, SWEDEN_LATITUDE))
            and inside(latitude, SWEDEN_LONGITUDE)
            and inside(longitude, SWEDEN_LATITUDE)
        ):
            self.add_error(
                "longitude",
                gettext(
                    "Longitud och latitud verkar omkastade: i Sverige är longituden 10–25° och latituden 55–69°. "
                    "Ange longitud först, t.ex. 18.7054, 59.7586."
                ),
            )
            return
        if longitude is not None and not inside(longitude, SWEDEN_LONGITUDE):
            self.add_error(
                "longitude",
                gettext(
                    "Longituden %(value)s° ligger utanför Sverige, som har longitud mellan 10 och 25° öst (WGS 84)."
                )
                % {"value": number_format(longitude, decimal_pos=6)},
            )
        if latitude is not None and not inside(latitude, SWEDEN_LATITUDE):
            self.add_error(
                "latitude",
                gettext(
                    "Latituden %(value)s° ligger utanför Sverige, som har latitud mellan 55 och 69,5° nord (WGS 84)."
                )
                % {"value": number_format(latitude, decimal_pos=6)},
            )
        if north is not None and not inside(north, SWEDEN_NORTHING_M):
            self.add_error(
                "grid_north",
                gettext(
                    "N %(value)s m ligger utanför Sverige, som har N mellan 6 100 000 och 7 700 000 m i SWEREF 99 TM."
                )
                % {"value": _metres(north)},
            )
        if east is not None and not inside(east, SWEDEN_EASTING_M):
            self.add_error(
                "grid_east",
                gettext(
                    "E %(value)s m ligger utanför Sverige, som har E mellan 180 000 och 1 000 000 m i SWEREF 99 TM."
                )
                % {"value": _metres(east)},
            )

    def _grid_point_in_sweden(self, north: float, east: float) -> bool:
        """N and E each within Sweden's box can still make a point outside it (the box's corners)."""
        lon, lat = grid_to_lonlat(east, north)
        if inside(float(lon), SWEDEN_LONGITUDE) and inside(float(lat), SWEDEN_LATITUDE):
            return True
        self.add_error(
            "grid_east",
            gettext("Punkten N %(north)s, E %(east)s ligger utanför Sverige.")
            % {"north": _metres(north), "east": _metres(east)},
        )
        return False
