"""Camera coverage geometry for Trygg: pure Python, no Django.

What is here
    ``optics``     horizontal/vertical field of view from sensor and lens, pixel-density (DORI)
                   distances after IEC 62676-4, ground footprint limits from tilt and height.
    ``crs``        cached pyproj transformers, meridian convergence, GeoJSON and local-CRS export.
    ``coverage``   the coverage sector of one camera (fixed, pan range, dome) as a polygon.
    ``occlusion``  what a camera can actually see when building footprints block the view.
    ``intrusion``  how much of the (visible) coverage falls into zones it must not monitor,
                   and the polygon a privacy mask must hide.
    ``osm``        OpenStreetMap ``man_made=surveillance`` tags to camera inputs and back.
    ``batch``      all of the above for a whole municipality at once, with spatial indexes.
    ``validation`` every geometry that comes in (forms, imports): shape, finite numbers, CRS,
                   validity in Swedish, place (municipality, site, swapped axes); RFC 7946 output.

Conventions (the same in every module)
    * Bearings are degrees clockwise from TRUE north, as OSM ``camera:direction``. Only
      ``coverage`` turns them into grid bearings (grid = true − meridian convergence).
    * Geometry work (sectors, areas, intersections) happens in SWEREF 99 TM (EPSG:3006),
      x = easting, y = northing, metres. Areas are m².
    * Positions and published geometry are WGS 84 lon/lat (GeoJSON/CRS84 order: lon first).
      Every pyproj transformer is made with ``always_xy=True`` so x always comes first.
    * Lengths are metres, angles degrees, sensor sizes millimetres, unless a name says otherwise
      (``*_rad``).
    * Everything is a pure function of frozen dataclasses; nothing touches a database or files.

Messages meant for people (bad OSM tags, missing camera data) are Swedish, wrapped in ``_``
with named placeholders so the Django layer can translate them later; ``_`` itself does nothing.
"""

from __future__ import annotations

from typing import Any


def _(message: str) -> str:
    """Mark a user-facing message for translation; returns it unchanged (gettext comes later)."""
    return message


class GeoInputError(ValueError):
    """Bad or missing input for a geometry computation, with a message users can read.

    ``message`` is the untranslated template and ``params`` its named placeholders, so a caller
    with gettext can translate ``message`` first and then interpolate ``params``.
    """

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)
