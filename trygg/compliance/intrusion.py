"""Whether a camera's parameters intrude more than the ones a 9 § assessment approved (plain Python).

A 9 § assessment (kamerabevakningslagen, lydelse SFS 2025:220) approves a camera as it was: its
position, direction, field of view, range, hours, sound, analytics and retention. A change that
increases the intrusion needs a new assessment *before* it takes effect (9 § andra stycket;
reference/legal.md R1.4). The assessment stores a snapshot of the parameters (`snapshot`), and
`increases` compares a later state with it and names every way it intrudes more.

No Django imports: the snapshot is a plain dict (it is stored as JSON with the assessment).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shapely.geometry import shape

from trygg.cameras import schedule as schedules
from trygg.compliance.engine.facts import PRIVACY_MASKINGS
from trygg.compliance.engine.i18n import _
from trygg.compliance.engine.messages import number, text

# Tolerances below which a difference is measurement noise, not a change of what is filmed.
BEARING_TOLERANCE_DEG = 0.5
POSITION_TOLERANCE_M = 1.0
COVERAGE_TOLERANCE = 0.01  # share of the new coverage that may lie outside the approved one
METRES_PER_DEGREE_LAT = 111_320.0

SNAPSHOT_FIELDS = (
    "longitude",
    "latitude",
    "bearing_deg",
    "hfov_deg",
    "range_m",
    "pan_range",
    "schedule_rules",
    "records_sound",
    "uses_anpr",
    "uses_analytics",
    "uses_face_recognition",
    "is_ptz",
    "identifies_persons",
    "privacy_masking",
    "retention_hours",
    "coverage",
)


@dataclass(frozen=True)
class Increase:
    """One way the camera now intrudes more than approved: a field, a Swedish label and the values.

    `approved` and `now` are message parts (`trygg.compliance.engine.messages`), shown in the reader's
    language and number notation; "" when there is no value to show.
    """

    field: str
    label: str
    approved: Any
    now: Any


@lru_cache(maxsize=1024)
def _weekly_minutes(rules: tuple[schedules.WeeklyRule, ...]) -> frozenset[int]:
    return schedules.Schedule(rules).weekly_minutes()


class MemoSchedule(schedules.Schedule):
    """A schedule whose minutes of the week are computed once per distinct set of rules.

    Building the set of 10 080 minutes is the costly part of checking many cameras, and most
    cameras share a handful of schedules (the templates).
    """

    def weekly_minutes(self) -> frozenset[int]:
        return _weekly_minutes(self.rules)


def memo_schedule(schedule: schedules.Schedule) -> MemoSchedule:
    """The same schedule, with its weekly minutes cached."""
    return MemoSchedule(schedule.rules)


@lru_cache(maxsize=1024)
def _parsed(rules_json: str) -> MemoSchedule:
    return memo_schedule(schedules.parse_rules(json.loads(rules_json)))


def parse(rules: list[dict[str, Any]]) -> MemoSchedule:
    """Parse stored weekly rules, once per distinct value."""
    return _parsed(json.dumps(rules, sort_keys=True))


def effective_hfov(hfov_deg: float | None, focal_length_mm: float | None, sensor_width_mm: float | None) -> float:
    """The horizontal field of view in degrees, from the data sheet or from the lens (0 when unknown)."""
    if hfov_deg is not None:
        return float(hfov_deg)
    if focal_length_mm and sensor_width_mm:
        return math.degrees(2 * math.atan(sensor_width_mm / (2 * focal_length_mm)))
    return 0.0


def snapshot(camera: Any) -> dict[str, Any]:
    """The intrusion-relevant parameters of `camera` (any object with the Camera fields) as JSON data.

    With them the site: an approved assessment covers the camera at that site only (legal.md R3.5).
    """
    schedule = memo_schedule(camera.get_schedule())
    return {
        "site_id": camera.site_id,
        "longitude": camera.longitude,
        "latitude": camera.latitude,
        "bearing_deg": camera.bearing_deg,
        "hfov_deg": round(effective_hfov(camera.hfov_deg, camera.focal_length_mm, camera.sensor_width_mm), 3),
        "range_m": camera.range_m,
        "pan_range": camera.pan_range or "",
        "schedule_template": camera.schedule_template,
        "schedule_rules": schedules.rules_to_json(schedule),
        "hours_per_week": schedule.hours_per_week(),
        "records_sound": camera.records_sound,
        "uses_anpr": camera.uses_anpr,
        "uses_analytics": camera.uses_analytics,
        "uses_face_recognition": camera.uses_face_recognition,
        "is_ptz": camera.is_ptz,
        "identifies_persons": camera.identifies_persons,
        "privacy_masking": camera.privacy_masking,
        "retention_hours": camera.retention_hours,
        "coverage": camera.visible_coverage or camera.coverage,
        "coverage_area_m2": camera.visible_area_m2 or camera.coverage_area_m2,
    }


@lru_cache(maxsize=1024)
def _school_free_minutes_of(rules: tuple[schedules.WeeklyRule, ...]) -> frozenset[int]:
    return schedules.Schedule(rules).school_free_week_minutes()


def _school_free_minutes(schedule: schedules.Schedule) -> frozenset[int]:
    """Recording minutes of a week in which every weekday is school-free (a lov week)."""
    return _school_free_minutes_of(schedule.rules)


def _pan_span(pan_range: str) -> float:
    if not pan_range:
        return 0.0
    low, high = (float(p) for p in pan_range.replace("–", "-").split("-"))
    return (high - low) % 360 or 360.0


def _bearing_difference(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


def _distance_m(a: dict[str, Any], b: dict[str, Any]) -> float:
    dy = (a["latitude"] - b["latitude"]) * METRES_PER_DEGREE_LAT
    dx = (a["longitude"] - b["longitude"]) * METRES_PER_DEGREE_LAT * math.cos(math.radians(a["latitude"]))
    return math.hypot(dx, dy)


def _yes_no(value: bool) -> dict[str, Any]:
    return text(_("ja") if value else _("nej"))


def _number(value: float | None, unit: Any) -> dict[str, Any]:
    if value is None:
        return text(_("beräknas"))
    return text(_("%(value)s %(unit)s"), value=number(value, 1), unit=unit)


def _coverage_grows(approved: Any, now: Any) -> bool:
    if not approved or not now:
        return False
    try:
        old, new = shape(approved), shape(now)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if new.is_empty or new.area == 0:
        return False
    return new.difference(old).area / new.area > COVERAGE_TOLERANCE


def increases(approved: dict[str, Any], now: dict[str, Any]) -> list[Increase]:
    """Every way the parameters `now` intrude more than the `approved` snapshot (empty: none)."""
    found: list[Increase] = []
    if not approved:
        return found

    def add(field: str, label: str, old: Any, new: Any) -> None:
        found.append(Increase(field, label, old, new))

    if _distance_m(approved, now) > POSITION_TOLERANCE_M:
        add(
            "longitude",
            _("kameran är flyttad"),
            "",
            text(_("%(metres)s m bort"), metres=number(_distance_m(approved, now), 0)),
        )
    if _bearing_difference(approved["bearing_deg"], now["bearing_deg"]) > BEARING_TOLERANCE_DEG:
        add("bearing_deg", _("annan riktning"), _number(approved["bearing_deg"], "°"), _number(now["bearing_deg"], "°"))
    if now["hfov_deg"] > approved["hfov_deg"] + 0.01:
        add("hfov_deg", _("bredare bildvinkel"), _number(approved["hfov_deg"], "°"), _number(now["hfov_deg"], "°"))
    old_range, new_range = approved["range_m"], now["range_m"]
    if old_range != new_range and (new_range is None or (old_range is not None and new_range > old_range)):
        add("range_m", _("längre räckvidd"), _number(old_range, "m"), _number(new_range, "m"))
    if _pan_span(now.get("pan_range", "")) > _pan_span(approved.get("pan_range", "")):
        add("pan_range", _("större vridområde"), approved.get("pan_range") or "–", now.get("pan_range") or "–")
    old_schedule = parse(approved["schedule_rules"])
    new_schedule = parse(now["schedule_rules"])
    if not new_schedule.weekly_minutes() <= old_schedule.weekly_minutes() or not _school_free_minutes(
        new_schedule
    ) <= _school_free_minutes(old_schedule):
        add(
            "schedule_template",
            _("fler eller andra bevakningstider"),
            _number(old_schedule.hours_per_week(), text(_("h/vecka"))),
            _number(new_schedule.hours_per_week(), text(_("h/vecka"))),
        )
    for field, label in (
        ("records_sound", _("ljudupptagning")),
        ("uses_anpr", _("registreringsskyltsläsning (ANPR)")),
        ("uses_analytics", _("rörelse- eller beteendeanalys")),
        ("uses_face_recognition", _("ansiktsigenkänning")),
        ("is_ptz", _("styrbar kamera (PTZ)")),
        ("identifies_persons", _("kan identifiera personer")),
    ):
        if now[field] and not approved[field]:
            add(field, label, _yes_no(False), _yes_no(True))
    if approved["privacy_masking"] != "none" and now["privacy_masking"] != approved["privacy_masking"]:
        add(
            "privacy_masking",
            _("ändrat integritetsskydd i bilden"),
            text(PRIVACY_MASKINGS.get(approved["privacy_masking"], approved["privacy_masking"])),
            text(PRIVACY_MASKINGS.get(now["privacy_masking"], now["privacy_masking"])),
        )
    if now["retention_hours"] > approved["retention_hours"]:
        add(
            "retention_hours",
            _("längre lagringstid"),
            _number(approved["retention_hours"], "h"),
            _number(now["retention_hours"], "h"),
        )
    if _coverage_grows(approved.get("coverage"), now.get("coverage")):
        add("coverage", _("större täckning"), "", "")
    return found
