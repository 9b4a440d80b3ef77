"""Sample facts for the engine tests: cameras that pass every rule, to be changed one field at a time."""

from __future__ import annotations

import dataclasses
import datetime as dt

from trygg.cameras.schedule import ALL_DAYS, IMY_SCHOOL_FACADE, MINUTES_PER_DAY, Schedule, WeeklyRule
from trygg.compliance.engine import (
    AssessmentFacts,
    CameraFacts,
    DpiaFacts,
    LegacyPermit,
    SignFacts,
    evaluate,
)

AFTER = dt.date(2025, 6, 1)  # a Sunday in the regime of SFS 2025:220
BEFORE = dt.date(2024, 10, 29)  # the seed report's date, in the permit regime
LAST_PERMIT_DAY = dt.date(2025, 3, 31)
FIRST_NEW_DAY = dt.date(2025, 4, 1)


def every_day_at(*hours: int) -> frozenset[int]:
    """Week minutes of the given clock hours on every day (incidents documented at those hours)."""
    return frozenset(
        day * MINUTES_PER_DAY + hour * 60 + minute for day in range(7) for hour in hours for minute in range(60)
    )


FACADE_INCIDENTS = every_day_at(22, 23, 0, 1)

SCHOOL_FACADE = CameraFacts(
    site_kind="school",
    is_indoor=False,
    public_access=True,  # IMY: facade + 2 m is a place the public has access to
    covers_toilet_or_changing_room=False,
    captures_staff_workplace=False,
    address="Kvisthamraskolan, fasad mot skolgården",
    purpose="Förebygga skadegörelse och anlagd brand på skolbyggnaden",
    camera_type="fixed",
    records_sound=False,
    identifies_persons=True,
    zones_in_view=(),  # sees no zone that must not be watched
    schedule=IMY_SCHOOL_FACADE,
    schedule_template="imy_school_facade",
    retention_hours=72,
    state="installed",
    installed_on=dt.date(2025, 4, 20),
    legal_task_reference="skollagen 5 kap. 3 § (skolmiljö)",
    necessity_justification="Upprepad skadegörelse och två anlagda bränder trots belysning och väktare.",
    controller_board="Barn- och utbildningsnämnden",
    dpo_name="Dataskyddsombudet",
    assessment=AssessmentFacts(
        approved_on=dt.date(2025, 5, 1),
        alternatives_considered=3,
        incidents_relied_on=7,
        incident_week_minutes=FACADE_INCIDENTS,
    ),
    dpia=DpiaFacts(approved_on=dt.date(2024, 9, 1), dpo_advice_recorded=True, residual_risk="low"),
    child_rights_assessment_completed_on=dt.date(2024, 9, 1),
    signs=SignFacts(
        installed_count=2,
        includes_controller_contact=True,
        includes_dpo_contact=True,
        layer2_available=True,
        installed_on=dt.date(2024, 9, 15),
        last_inspected_on=dt.date(2025, 5, 15),
    ),
)

PERMIT = LegacyPermit(
    imy_case_number="DI-2019-1234",
    decision_date=dt.date(2019, 1, 15),
    conditions="Endast fasad och 2 m ut.",
    hours=IMY_SCHOOL_FACADE,
)

NIGHTS_22_TO_02 = Schedule((WeeklyRule(ALL_DAYS, dt.time(22), dt.time(2)),))

PUBLIC_PLACE = dataclasses.replace(
    SCHOOL_FACADE,
    site_kind="public_place",
    address="Stora torget",
    purpose="Förebygga våld och narkotikahandel på torget",
    legal_task_reference="2023:196 14 § (allmän plats)",
    controller_board="Kommunstyrelsen",
    schedule=NIGHTS_22_TO_02,
    schedule_template="custom",
    child_rights_assessment_completed_on=None,
)


def school(**changes: object) -> CameraFacts:
    """The documented school facade camera, with `changes`; no permit, so for dates from 2025-04-01."""
    return dataclasses.replace(SCHOOL_FACADE, **changes)  # type: ignore[arg-type]


def legacy(**changes: object) -> CameraFacts:
    """The same camera with a valid IMY permit, for dates in the permit regime."""
    return dataclasses.replace(SCHOOL_FACADE, legacy_permit=PERMIT, **changes)  # type: ignore[arg-type]


def public_place(**changes: object) -> CameraFacts:
    """A documented camera on a square, recording 22–02 when incidents are documented."""
    return dataclasses.replace(PUBLIC_PLACE, **changes)  # type: ignore[arg-type]


def assessment(facts: CameraFacts, **changes: object) -> AssessmentFacts:
    return dataclasses.replace(facts.assessment, **changes)  # type: ignore[arg-type]


def dpia(facts: CameraFacts, **changes: object) -> DpiaFacts:
    return dataclasses.replace(facts.dpia, **changes)  # type: ignore[arg-type]


def signs(facts: CameraFacts, **changes: object) -> SignFacts:
    return dataclasses.replace(facts.signs, **changes)  # type: ignore[arg-type]


def codes(facts: CameraFacts, on_date: dt.date) -> set[str]:
    """The codes of the findings for `facts` on `on_date`."""
    return {finding.code for finding in evaluate(facts, on_date)}
