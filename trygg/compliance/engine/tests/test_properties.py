"""Properties of the engine over generated cameras and dates (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.cameras.schedule import ALWAYS, IMY_SCHOOL_FACADE, MINUTES_PER_WEEK, SCHOOL_HOURS, Schedule
from trygg.compliance.engine import (
    AssessmentFacts,
    CameraFacts,
    DpiaFacts,
    LegacyPermit,
    Severity,
    SignFacts,
    activation_allowed,
    activation_checklist,
    all_rules,
    dpia_required,
    evaluate,
    render_message,
)
from trygg.compliance.engine.facts import (
    CAMERA_STATES,
    CAMERA_TYPES,
    DPIA_CRITERIA,
    EXEMPTIONS_11_13,
    PRIOR_CONSULTATION_STATUSES,
    PRIVACY_MASKINGS,
    RESIDUAL_RISKS,
    SITE_KINDS,
)

from .cases import NIGHTS_22_TO_02, legacy, school

BOUNDARY = dt.date(2025, 4, 1)

# Written out rather than computed from the rules, so a rule given the wrong dates fails here.
NEW_REGIME_CODES = {
    "KBL-7-NECESSITY",
    "KBL-8-INCIDENTS",
    "KBL-8-ALTERNATIVES",
    "KBL-8-INCIDENT-HOURS",
    "KBL-9-ASSESSMENT",
    "KBL-9-REASSESSMENT",
    "KBL-10-REGISTER",
    "KBL-11-13-EXEMPTION",
    "IMY-SCHOOL-FACADE-HOURS",
}
PERMIT_REGIME_CODES = {"KBL-OLD-7-PERMIT", "KBL-OLD-7-HISTORICAL-DEVIATION", "KBL-OLD-7-PERMIT-HOURS"}

any_date = st.dates(min_value=dt.date(2017, 1, 1), max_value=dt.date(2031, 12, 31))
near_boundary = st.dates(min_value=dt.date(2025, 3, 1), max_value=dt.date(2025, 5, 1))
dates = st.one_of(any_date, near_boundary)
maybe_date = st.none() | dates
text = st.sampled_from(["", "  ", "Dokumenterat"])
schedules = st.sampled_from([ALWAYS, IMY_SCHOOL_FACADE, SCHOOL_HOURS, NIGHTS_22_TO_02, Schedule()])

assessments = st.builds(
    AssessmentFacts,
    approved_on=maybe_date,
    last_intrusion_increase_on=maybe_date,
    stale=st.booleans(),
    alternatives_considered=st.integers(0, 3),
    incidents_relied_on=st.integers(0, 3),
    incident_week_minutes=st.none() | st.frozensets(st.integers(0, MINUTES_PER_WEEK - 1), max_size=30),
)
dpias = st.builds(
    DpiaFacts,
    criteria=st.frozensets(st.sampled_from(sorted(DPIA_CRITERIA))),
    approved_on=maybe_date,
    dpo_advice_recorded=st.booleans(),
    residual_risk=st.none() | st.sampled_from(sorted(RESIDUAL_RISKS)),
    prior_consultation_status=st.sampled_from(sorted(PRIOR_CONSULTATION_STATUSES)),
)
signs = st.builds(
    SignFacts,
    installed_count=st.integers(0, 3),
    mentions_sound=st.booleans(),
    mentions_retention=st.booleans(),
    layer2_available=st.booleans(),
    installed_on=maybe_date,
    last_inspected_on=maybe_date,
)
permits = st.none() | st.builds(
    LegacyPermit,
    imy_case_number=st.just("DI-2019-1"),
    decision_date=dates,
    hours=st.none() | schedules,
    expires_on=dates,
)
cameras = st.builds(
    CameraFacts,
    site_kind=st.sampled_from(sorted(SITE_KINDS)),
    is_parking_garage=st.booleans(),
    is_indoor=st.booleans(),
    public_access=st.booleans(),
    covers_toilet_or_changing_room=st.booleans(),
    captures_staff_workplace=st.booleans(),
    address=text,
    purpose=text,
    camera_type=st.sampled_from(sorted(CAMERA_TYPES)),
    records_sound=st.booleans(),
    uses_anpr=st.booleans(),
    uses_analytics=st.booleans(),
    uses_face_recognition=st.booleans(),
    is_ptz=st.booleans(),
    identifies_persons=st.booleans(),
    privacy_masking=st.sampled_from(sorted(PRIVACY_MASKINGS)),
    schedule=schedules,
    schedule_deviation_reason=text,
    retention_hours=st.sampled_from([0, 24, 72, 73, 168, 169, 720]),
    retention_justification=text,
    exemption_11_13=st.none() | st.sampled_from([*sorted(EXEMPTIONS_11_13), "unknown_code"]),
    exemption_justification=text,
    state=st.sampled_from(sorted(CAMERA_STATES)),
    installed_on=maybe_date,
    legacy_permit=permits,
    legal_task_reference=text,
    necessity_justification=text,
    controller_board=text,
    dpo_name=text,
    assessment=assessments,
    dpia=dpias,
    child_rights_assessment_completed_on=maybe_date,
    signs=signs,
    external_operator=st.booleans(),
    processor_agreement_valid=st.booleans(),
    mbl_negotiation_recorded=st.booleans(),
    serious_incident_basis=text,
)


# One-field departures from a fully documented camera: random facts nearly always hold several
# blockers at once, so these make sure each single blocker is seen alone by the gate properties.
BREAKS: list[dict[str, object]] = [
    {"controller_board": ""},
    {"dpo_name": ""},
    {"legal_task_reference": ""},
    {"necessity_justification": ""},
    {"identifies_persons": False},
    {"state": "planned", "installed_on": None},
    {"state": "in_operation", "installed_on": dt.date(2019, 5, 1)},
    {"exemption_11_13": "parking_garage_crime", "exemption_justification": "Garage"},
    {"is_parking_garage": True},
    {"schedule": ALWAYS},
    {"schedule": SCHOOL_HOURS},
    {"is_indoor": True, "public_access": False},
    {"covers_toilet_or_changing_room": True},
    {"captures_staff_workplace": True},
    {"external_operator": True},
    {"records_sound": True},
    {"retention_hours": 96},
    {"retention_hours": 240, "retention_justification": "Utredningstid"},
    {"child_rights_assessment_completed_on": None},
    {"site_kind": "public_place"},
    {"site_kind": "parking"},
    {"address": ""},
    {"assessment": AssessmentFacts()},
    {"dpia": DpiaFacts(residual_risk="high", prior_consultation_status="ongoing")},
    {"signs": SignFacts()},
]
nearly_documented = st.builds(
    lambda base, breaks: base(**{key: value for change in breaks for key, value in change.items()}),
    st.sampled_from([school, legacy]),
    st.lists(st.sampled_from(BREAKS), max_size=2),
)


@settings(max_examples=300)
@given(nearly_documented, dates)
def test_gate_on_nearly_documented_cameras(facts: CameraFacts, on_date: dt.date) -> None:
    has_blocker = any(finding.severity is Severity.BLOCKER for finding in evaluate(facts, on_date))
    assert activation_allowed(facts, on_date) is not has_blocker


@settings(max_examples=300)
@given(nearly_documented, dates)
def test_no_code_crosses_2025_04_01_for_nearly_documented_cameras(facts: CameraFacts, on_date: dt.date) -> None:
    found = {finding.code for finding in evaluate(facts, on_date)}
    assert not found & (NEW_REGIME_CODES if on_date < BOUNDARY else PERMIT_REGIME_CODES)


@settings(max_examples=300)
@given(cameras, dates)
def test_gate_is_false_exactly_when_a_blocker_finding_exists(facts: CameraFacts, on_date: dt.date) -> None:
    has_blocker = any(finding.severity is Severity.BLOCKER for finding in evaluate(facts, on_date))
    assert activation_allowed(facts, on_date) is not has_blocker


@settings(max_examples=300)
@given(cameras, dates)
def test_no_code_crosses_2025_04_01(facts: CameraFacts, on_date: dt.date) -> None:
    found = {finding.code for finding in evaluate(facts, on_date)}
    if on_date < BOUNDARY:
        assert not found & NEW_REGIME_CODES
    else:
        assert not found & PERMIT_REGIME_CODES


@settings(max_examples=200)
@given(cameras, dates)
def test_findings_are_the_failing_checks_fully_rendered(facts: CameraFacts, on_date: dt.date) -> None:
    checks = activation_checklist(facts, on_date)
    findings = evaluate(facts, on_date)
    assert sorted(f.code for f in findings) == sorted(c.code for c in checks if not c.passed)
    assert len({c.code for c in checks}) == len(checks)
    for finding in findings:
        assert finding.message and "%(" not in finding.message
        assert finding.message == render_message(finding.message_template, finding.params)
        assert finding.legal_reference and finding.why
    severities = [finding.severity for finding in findings]
    order = [Severity.BLOCKER, Severity.WARNING, Severity.INFO]
    assert severities == sorted(severities, key=order.index)


@given(cameras)
def test_school_cameras_always_need_a_dpia(facts: CameraFacts) -> None:
    if facts.site_kind in {"school", "preschool", "upper_secondary_school"}:
        assert dpia_required(facts)


def test_the_hard_coded_code_sets_match_the_rule_dates() -> None:
    new = {rule.code for rule in all_rules() if not rule.in_force(BOUNDARY - dt.timedelta(days=1))}
    old = {rule.code for rule in all_rules() if not rule.in_force(BOUNDARY)}
    assert new == NEW_REGIME_CODES
    assert old == PERMIT_REGIME_CODES
    for rule in all_rules():
        if rule.code in PERMIT_REGIME_CODES:
            assert rule.valid_to == dt.date(2025, 3, 31)
        if rule.code in NEW_REGIME_CODES:
            assert rule.valid_from == BOUNDARY
