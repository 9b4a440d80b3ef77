"""Camera optics: field of view, pixel-density (DORI) distances and the tilted ground footprint.

Formulas (reference/gis.md §1.1–1.3, pinhole model):

    HFOV = 2·atan(w / 2f)                 w = sensor width (mm), f = focal length (mm)
    d(ppm) = H_px / (ppm · 2·tan(HFOV/2))  distance where the image has ppm pixels per metre
    near = h / tan(τ + VFOV/2), far = h / tan(τ − VFOV/2)   ground footprint of a tilted camera
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from trygg.geo import GeoInputError, _

#: Pixel densities (px/m) of IEC 62676-4:2014 (= EN 62676-4:2015); the default level table.
IEC_62676_4_2014: Mapping[str, float] = MappingProxyType(
    {
        "monitor": 12.5,
        "detect": 25.0,
        "observe": 62.5,
        "recognise": 125.0,
        "identify": 250.0,
        "inspect": 1000.0,
    }
)

#: Levels of IEC 62676-4:2025 as quoted by a vendor page (secondary source, standard not seen);
#: offered so a municipality can switch tables, not used by default.
IEC_62676_4_2025: Mapping[str, float] = MappingProxyType(
    {
        "overview": 20.0,
        "outline": 40.0,
        "discern": 80.0,
        "perceive": 125.0,
        "characterize": 250.0,
        "validate": 500.0,
        "scrutinize": 1500.0,
    }
)

#: Aspect ratio assumed for the vertical field of view when only the horizontal one is known;
#: 16:9 is what nearly every current surveillance camera streams.
DEFAULT_ASPECT_RATIO = 16 / 9


def pinhole_fov_deg(sensor_size_mm: float, focal_length_mm: float) -> float:
    """Angle of view (degrees) across a sensor dimension for a pinhole lens."""
    if sensor_size_mm <= 0 or focal_length_mm <= 0:
        raise GeoInputError(
            _("Sensorstorlek och brännvidd måste vara större än noll (fick %(sensor)s mm och %(focal)s mm)."),
            sensor=sensor_size_mm,
            focal=focal_length_mm,
        )
    return math.degrees(2 * math.atan(sensor_size_mm / (2 * focal_length_mm)))


def vertical_from_horizontal_fov_deg(hfov_deg: float, aspect_ratio: float = DEFAULT_ASPECT_RATIO) -> float:
    """Vertical angle of view for a sensor of the given width:height ratio."""
    return math.degrees(2 * math.atan(math.tan(math.radians(hfov_deg) / 2) / aspect_ratio))


def pixel_density_distance_m(horizontal_pixels: int, hfov_deg: float, pixels_per_metre: float) -> float:
    """Distance (m) at which a target plane is imaged with ``pixels_per_metre``."""
    if not 0 < hfov_deg < 180:
        raise GeoInputError(_("Bildvinkeln måste vara mellan 0 och 180 grader (fick %(value)s)."), value=hfov_deg)
    return horizontal_pixels / (pixels_per_metre * 2 * math.tan(math.radians(hfov_deg) / 2))


def pixel_density_at(horizontal_pixels: int, hfov_deg: float, distance_m: float) -> float:
    """Pixels per metre on a target plane ``distance_m`` in front of the camera."""
    return horizontal_pixels / (2 * distance_m * math.tan(math.radians(hfov_deg) / 2))


def level_distances_m(
    horizontal_pixels: int, hfov_deg: float, levels: Mapping[str, float] = IEC_62676_4_2014
) -> dict[str, float]:
    """Distance (m) for every level of a pixel-density table, e.g. ``{"detect": 74.6, ...}``."""
    return {name: pixel_density_distance_m(horizontal_pixels, hfov_deg, ppm) for name, ppm in levels.items()}


def footprint_limits_m(height_m: float, tilt_deg: float, vfov_deg: float) -> tuple[float, float]:
    """Near and far ground distance (m) seen by a camera ``height_m`` up, tilted ``tilt_deg`` down.

    ``far`` is ``math.inf`` when the upper edge of the image is at or above the horizon.
    """
    if height_m <= 0:
        raise GeoInputError(_("Monteringshöjden måste vara större än noll (fick %(value)s m)."), value=height_m)
    if not 0 <= tilt_deg <= 90:
        raise GeoInputError(_("Lutningen måste vara mellan 0 och 90 grader (fick %(value)s)."), value=tilt_deg)
    lower_edge = tilt_deg + vfov_deg / 2
    upper_edge = tilt_deg - vfov_deg / 2
    # Past 90° the lower image edge looks back under the camera: the footprint starts at its foot.
    near = 0.0 if lower_edge >= 90 else height_m / math.tan(math.radians(lower_edge))
    far = math.inf if upper_edge <= 0 else height_m / math.tan(math.radians(upper_edge))
    return near, far


@dataclass(frozen=True)
class CameraOptics:
    """Lens and sensor of a camera. Datasheet angles win over values computed from the sensor.

    ``hfov_deg``/``vfov_deg`` come from the datasheet (they include lens distortion, so short
    lenses often quote 100–110° where the pinhole formula gives 90°); sensor width/height and
    focal length are the fallback; ``aspect_ratio`` the last resort for the vertical angle.
    """

    hfov_deg: float | None = None
    vfov_deg: float | None = None
    sensor_width_mm: float | None = None
    sensor_height_mm: float | None = None
    focal_length_mm: float | None = None
    horizontal_pixels: int | None = None
    aspect_ratio: float = DEFAULT_ASPECT_RATIO

    def horizontal_fov_deg(self) -> float | None:
        """Horizontal angle of view (degrees), or None when neither datasheet nor lens data exist."""
        if self.hfov_deg is not None:
            return self.hfov_deg
        if self.sensor_width_mm is not None and self.focal_length_mm is not None:
            return pinhole_fov_deg(self.sensor_width_mm, self.focal_length_mm)
        return None

    def vertical_fov_deg(self) -> float | None:
        """Vertical angle of view (degrees): datasheet, then sensor height, then aspect ratio."""
        if self.vfov_deg is not None:
            return self.vfov_deg
        if self.sensor_height_mm is not None and self.focal_length_mm is not None:
            return pinhole_fov_deg(self.sensor_height_mm, self.focal_length_mm)
        hfov = self.horizontal_fov_deg()
        if hfov is None:
            return None
        return vertical_from_horizontal_fov_deg(hfov, self.aspect_ratio)

    def level_distance_m(self, level: str, levels: Mapping[str, float] = IEC_62676_4_2014) -> float:
        """Distance (m) up to which the camera reaches pixel-density ``level`` (e.g. "recognise")."""
        hfov = self.horizontal_fov_deg()
        if hfov is None or self.horizontal_pixels is None:
            raise GeoInputError(_("Bildvinkel och upplösning behövs för att räkna ut avstånd för nivåer."))
        if level not in levels:
            raise GeoInputError(_("Okänd detaljnivå: %(level)s."), level=level)
        return pixel_density_distance_m(self.horizontal_pixels, hfov, levels[level])
