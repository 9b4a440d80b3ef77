"""Small builders shared by the geo tests: cameras in a plain metric frame around a fixed apex."""

from __future__ import annotations

from shapely.geometry import Polygon

from trygg.geo.coverage import CameraPlacement, CameraType, Coverage, PanRange, coverage_in_grid
from trygg.geo.crs import SWEREF99_TM
from trygg.geo.optics import CameraOptics

#: A point in Norrtälje in SWEREF 99 TM; tests that build "grid" coverages put the camera here.
APEX = (700_000.0, 6_630_000.0)


def grid_coverage(
    bearing: float | None,
    hfov: float | None,
    range_m: float,
    apex: tuple[float, float] = APEX,
    pan: PanRange | None = None,
    camera_type: CameraType = CameraType.FIXED,
    height_m: float | None = None,
    tilt_deg: float | None = None,
    vfov: float | None = None,
) -> Coverage:
    """Coverage with convergence 0, so ``bearing`` is a grid bearing: hand geometry stays simple."""
    placement = CameraPlacement(
        x=apex[0],
        y=apex[1],
        crs=SWEREF99_TM,
        bearing_deg=bearing,
        pan=pan,
        camera_type=camera_type,
        height_m=height_m,
        tilt_deg=tilt_deg,
    )
    return coverage_in_grid(placement, CameraOptics(hfov_deg=hfov, vfov_deg=vfov), range_m, apex, 0.0)


def rect(x0: float, y0: float, x1: float, y1: float, origin: tuple[float, float] = APEX) -> Polygon:
    """Axis-parallel rectangle given relative to ``origin`` (metres east, north)."""
    ox, oy = origin
    return Polygon([(ox + x0, oy + y0), (ox + x1, oy + y0), (ox + x1, oy + y1), (ox + x0, oy + y1)])
