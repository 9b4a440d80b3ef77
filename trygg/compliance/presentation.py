"""The facts shown beside an assessment: a camera's view, hours, retention and technology, read from its data.

Nothing here is typed by the officer: the area comes from the computed coverage (visible m², zones
seen, intrusions), the hours from the camera's schedule, the rest from the camera's fields. The same
facts stand beside the text on the form, in the preview and on the DPO's decision page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from trygg.cameras import schedule as schedules
from trygg.cameras.schedule_forms import describe_rules


@dataclass
class CameraView:
    """What the camera sees and how it records, as read-only facts (areas in m², hours per week)."""

    camera: Any
    coverage_area_m2: float | None
    visible_area_m2: float | None
    zones_seen: list[dict]
    intrusions: list[dict]
    intrusion_area_m2: float
    hours: list[str]
    hours_per_week: float
    within_imy_school_hours: bool | None
    retention_hours: int
    technology: list[str] = field(default_factory=list)
    masking: str = ""


def camera_view(camera: Any, is_school: bool | None = None) -> CameraView:
    """Facts of one camera from its stored coverage and settings (no queries beyond `camera.site`)."""
    schedule = camera.get_schedule()
    if is_school is None:
        from trygg.sites.choices import SCHOOL_KINDS

        is_school = camera.site.kind in SCHOOL_KINDS
    technology = [
        str(label)
        for flag, label in (
            (camera.records_sound, _("ljudupptagning")),
            (camera.uses_anpr, _("registreringsskyltsläsning (ANPR)")),
            (camera.uses_analytics, _("rörelse- eller beteendeanalys")),
            (camera.uses_face_recognition, _("ansiktsigenkänning")),
            (camera.is_ptz, _("styrbar (PTZ)")),
        )
        if flag
    ]
    intrusions = list(camera.intrusions or [])
    return CameraView(
        camera=camera,
        coverage_area_m2=camera.coverage_area_m2,
        visible_area_m2=camera.visible_area_m2,
        zones_seen=list(camera.zones_seen or []),
        intrusions=intrusions,
        intrusion_area_m2=sum(item.get("area_m2", 0.0) for item in intrusions),
        hours=describe_rules(schedules.rules_to_json(schedule)),
        hours_per_week=schedule.hours_per_week(),
        within_imy_school_hours=schedule.within(schedules.IMY_SCHOOL_FACADE) if is_school else None,
        retention_hours=camera.retention_hours,
        technology=technology,
        masking=camera.get_privacy_masking_display(),
    )


def risk_numbers(risks: Iterable[Any]) -> dict[int, int]:
    """Numbers R1, R2 … of a DPIA's risks in the order they were added (by primary key)."""
    return {risk.pk: index for index, risk in enumerate(sorted(risks, key=lambda r: r.pk), start=1)}
