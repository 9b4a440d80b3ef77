"""How much of a camera's coverage falls into zones it must not monitor (reference/gis.md §1.6).

A zone applies when its rule is ``must_not_monitor``, or ``only_outside_school_hours`` and the
camera runs during school hours. For each applicable zone the intruding area is
``coverage ∩ zone`` in m², both for the visible (occlusion-aware) coverage and for the bare
sector, and its share of that coverage's area.

Tolerance: a zone drawn along the coverage edge, or snapped to the same facade line, must not
count. So a zone intrudes only if the coverage overlaps the zone shrunk by
``zone_shrink_m`` by more than ``area_m2``; the reported area is then measured against the
whole zone. Below the tolerance the area is reported as 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from trygg.geo.coverage import Coverage
from trygg.geo.crs import to_geojson
from trygg.geo.occlusion import clean_polygonal


class ZoneRule(StrEnum):
    """What a camera may do in a zone; the values are stored by the Django ``Zone`` model."""

    MAY_MONITOR = "may_monitor"
    MUST_NOT_MONITOR = "must_not_monitor"
    ONLY_OUTSIDE_SCHOOL_HOURS = "only_outside_school_hours"


@dataclass(frozen=True)
class ZoneInput:
    """A zone drawn for a site (schoolyard, neighbour's plot …); ``geometry`` in EPSG:3006."""

    id: Hashable
    geometry: BaseGeometry
    rule: ZoneRule


@dataclass(frozen=True)
class IntrusionTolerance:
    """How much overlap is noise: areas up to ``area_m2`` after shrinking the zone by ``zone_shrink_m``."""

    area_m2: float = 0.01
    zone_shrink_m: float = 0.05


@dataclass(frozen=True)
class IntrusionFinding:
    """Coverage inside one applicable zone: with occlusion (``area_m2``) and without.

    ``share`` is ``area_m2`` over the visible coverage's area, ``share_without_occlusion`` the
    bare intrusion over the whole sector's area (both 0–1). Areas below the tolerance are 0.
    """

    zone_id: Hashable
    rule: ZoneRule
    area_m2: float
    share: float
    area_m2_without_occlusion: float
    share_without_occlusion: float

    @property
    def intrudes(self) -> bool:
        """True when the camera actually sees into the zone (occlusion applied)."""
        return self.area_m2 > 0


@dataclass(frozen=True)
class IntrusionReport:
    """Findings for one camera and the polygons (EPSG:3006) a privacy mask must cover.

    Zones the bare sector does not reach are left out; a zone hidden behind buildings stays in
    with ``area_m2 == 0`` so the reader sees that only occlusion saves it.
    """

    findings: tuple[IntrusionFinding, ...] = ()
    mask: Polygon | MultiPolygon = field(default_factory=Polygon)
    mask_without_occlusion: Polygon | MultiPolygon = field(default_factory=Polygon)

    @property
    def intrudes(self) -> bool:
        return any(f.intrudes for f in self.findings)

    def mask_geojson(self, precision: int = 7) -> dict[str, Any]:
        """The privacy-mask polygon (occlusion applied) as lon/lat GeoJSON."""
        return to_geojson(self.mask, precision=precision)

    def mask_without_occlusion_geojson(self, precision: int = 7) -> dict[str, Any]:
        """The privacy-mask polygon ignoring buildings, as lon/lat GeoJSON."""
        return to_geojson(self.mask_without_occlusion, precision=precision)


def zone_applies(rule: ZoneRule, runs_during_school_hours: bool) -> bool:
    """Whether a camera must keep out of a zone with ``rule``."""
    if rule is ZoneRule.MUST_NOT_MONITOR:
        return True
    return rule is ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS and runs_during_school_hours


def shrink_zones(geometries: NDArray[np.object_], tolerance: IntrusionTolerance) -> NDArray[np.object_]:
    """Zones shrunk by the tolerance; mitred so rectangles stay rectangles (cheap to intersect)."""
    if tolerance.zone_shrink_m <= 0:
        return geometries
    return np.asarray(shapely.buffer(geometries, -tolerance.zone_shrink_m, join_style="mitre"), dtype=object)


def _overlap(
    parts: NDArray[np.object_], shrunk: NDArray[np.object_], tolerance: IntrusionTolerance
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Areas of ``parts`` and whether each beats the tolerance against its shrunk zone."""
    areas = shapely.area(parts)
    passes = areas > tolerance.area_m2
    if passes.any():
        # The part already lies in the zone, so part ∩ shrunk = coverage ∩ shrunk, on less geometry.
        core = shapely.area(shapely.intersection(parts[passes], shrunk[passes]))
        passes[passes] = core > tolerance.area_m2
    return np.where(passes, areas, 0.0), passes


@dataclass(frozen=True)
class PairIntrusions:
    """Intrusion of camera/zone pairs, aligned arrays (one entry per pair)."""

    area: NDArray[np.float64]
    parts: NDArray[np.object_]
    intrudes: NDArray[np.bool_]
    area_raw: NDArray[np.float64]
    parts_raw: NDArray[np.object_]
    intrudes_raw: NDArray[np.bool_]


def pair_intrusions(
    sectors: NDArray[np.object_],
    visibles: NDArray[np.object_],
    occluded: NDArray[np.bool_],
    zones: NDArray[np.object_],
    shrunk: NDArray[np.object_],
    tolerance: IntrusionTolerance,
) -> PairIntrusions:
    """Vectorised intrusion for aligned camera/zone pairs.

    ``occluded[i]`` is False when the camera's visible coverage is its whole sector; those
    pairs reuse the bare-sector result instead of intersecting again.
    """
    parts_raw = np.asarray(shapely.intersection(sectors, zones), dtype=object)
    area_raw, intrudes_raw = _overlap(parts_raw, shrunk, tolerance)
    parts = parts_raw.copy()
    area = area_raw.copy()
    intrudes = intrudes_raw.copy()
    # Visible ⊆ sector, so only pairs that intrude without occlusion can intrude with it.
    redo = intrudes_raw & occluded
    if redo.any():
        parts[redo] = shapely.intersection(visibles[redo], parts_raw[redo])
        area[redo], intrudes[redo] = _overlap(parts[redo], shrunk[redo], tolerance)
    return PairIntrusions(area, parts, intrudes, area_raw, parts_raw, intrudes_raw)


def zone_overlaps(
    visible: BaseGeometry, zones: Sequence[ZoneInput], tolerance: IntrusionTolerance | None = None
) -> dict[Hashable, float]:
    """Area (m²) of ``visible`` inside each zone, whatever its rule, for zones it really enters.

    This is what a camera sees of every zone (the facade strip it is meant to watch included);
    ``assess_intrusion`` is the subset that breaks a rule. Same tolerance, so shared edges are 0.
    """
    tolerance = tolerance or IntrusionTolerance()
    if not zones or visible.is_empty:
        return {}
    geometries = np.asarray([z.geometry for z in zones], dtype=object)
    parts = np.asarray(shapely.intersection(visible, geometries), dtype=object)
    areas, passes = _overlap(parts, shrink_zones(geometries, tolerance), tolerance)
    return {zones[i].id: float(areas[i]) for i in np.flatnonzero(passes)}


def union_mask(parts: Iterable[BaseGeometry]) -> Polygon | MultiPolygon:
    """Union of intruding parts as a valid Polygon or MultiPolygon (empty when none)."""
    parts = list(parts)
    if not parts:
        return Polygon()
    if len(parts) == 1:
        # Most cameras intrude into one zone: no union needed.
        return clean_polygonal(parts[0])
    return clean_polygonal(shapely.union_all(parts))


def assess_intrusion(
    coverage: Coverage,
    zones: Iterable[ZoneInput],
    runs_during_school_hours: bool,
    visible: Polygon | MultiPolygon | None = None,
    tolerance: IntrusionTolerance | None = None,
) -> IntrusionReport:
    """Intrusion of one camera into ``zones`` (EPSG:3006).

    ``visible`` is the occlusion-aware coverage from ``occlusion.visible_coverage``; without
    it the bare sector is used for both variants.
    """
    tolerance = tolerance or IntrusionTolerance()
    applicable = [z for z in zones if zone_applies(z.rule, runs_during_school_hours)]
    sector = coverage.geometry
    if visible is None:
        visible = sector
    if not applicable or sector.is_empty:
        return IntrusionReport()
    geometries = np.asarray([z.geometry for z in applicable], dtype=object)
    count = len(applicable)
    result = pair_intrusions(
        np.full(count, sector, dtype=object),
        np.full(count, visible, dtype=object),
        np.full(count, visible is not sector and not visible.equals(sector), dtype=bool),
        geometries,
        shrink_zones(geometries, tolerance),
        tolerance,
    )
    return build_report([z.id for z in applicable], [z.rule for z in applicable], result, sector.area, visible.area)


def build_report(
    zone_ids: list[Hashable],
    rules: list[ZoneRule],
    result: PairIntrusions,
    sector_area: float,
    visible_area: float,
) -> IntrusionReport:
    """Findings and masks for one camera from its rows of ``pair_intrusions``."""
    findings = tuple(
        IntrusionFinding(
            zone_id=zone_ids[i],
            rule=rules[i],
            area_m2=float(result.area[i]),
            share=float(result.area[i] / visible_area) if visible_area > 0 else 0.0,
            area_m2_without_occlusion=float(result.area_raw[i]),
            share_without_occlusion=float(result.area_raw[i] / sector_area) if sector_area > 0 else 0.0,
        )
        for i in np.flatnonzero(result.intrudes_raw)
    )
    return IntrusionReport(
        findings=findings,
        mask=union_mask(result.parts[result.intrudes]),
        mask_without_occlusion=union_mask(result.parts_raw[result.intrudes_raw]),
    )


def uncovered_by_mask(visible: BaseGeometry, zones: Sequence[ZoneInput], mask: BaseGeometry) -> dict[Hashable, float]:
    """For each zone, the area (m²) of what the camera sees of it that ``mask`` leaves uncovered.

    ``visible`` is the camera's visible coverage, ``mask`` the privacy mask recorded on the camera;
    all in EPSG:3006. A zone the camera does not see gives 0.
    """
    if not zones:
        return {}
    geometries = np.asarray([z.geometry for z in zones], dtype=object)
    seen = shapely.intersection(visible, geometries)
    open_parts = shapely.difference(seen, mask) if not mask.is_empty else seen
    return {zone.id: float(area) for zone, area in zip(zones, shapely.area(open_parts), strict=True)}
