"""The activation gate, the checklist, exemptions, DPIA criteria, the 10 § entry and the helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from trygg.cameras.schedule import ALWAYS, IMY_SCHOOL_FACADE, MINUTES_PER_DAY
from trygg.compliance.engine import (
    AssessmentFacts,
    CameraFacts,
    DpiaFacts,
    Severity,
    SignFacts,
    activation_allowed,
    activation_checklist,
    all_rules,
    derived_dpia_criteria,
    dpia_required,
    evaluate,
    incident_minutes_from_ranges,
    register_entry,
    rules_in_force,
)
from trygg.compliance.engine.rules import add_months, format_hours, undocumented_minutes

from .cases import AFTER, BEFORE, FIRST_NEW_DAY, LAST_PERMIT_DAY, codes, legacy, school


def test_documented_school_facade_camera_inside_imy_hours_passes_on_2025_06_01() -> None:
    facts = school()
    assert facts.schedule.within(IMY_SCHOOL_FACADE)
    checklist = activation_checklist(facts, dt.date(2025, 6, 1))
    assert all(check.passed and check.reason == "" for check in checklist)
    assert evaluate(facts, dt.date(2025, 6, 1)) == []
    assert activation_allowed(facts, dt.date(2025, 6, 1))
    # The checklist shows what was checked, not only what failed.
    shown = {check.code for check in checklist}
    assert {
        "KBL-9-ASSESSMENT",
        "GDPR-35-DPIA",
        "BK-3-CHILD-RIGHTS",
        "IMY-SCHOOL-FACADE-HOURS",
        "KBL-15-SIGNS",
        "KBL-10-REGISTER",
    } <= shown
    assert "KBL-15-SOUND-NOTICE" not in shown  # no sound: the check does not apply


def test_gate_refuses_then_allows_as_documents_are_approved() -> None:
    on_date = dt.date(2025, 6, 1)
    facts = school(
        state="installed",
        assessment=AssessmentFacts(alternatives_considered=3, incidents_relied_on=7),
        dpia=DpiaFacts(),
        child_rights_assessment_completed_on=None,
        signs=SignFacts(),
    )
    steps = [
        (
            "9 § assessment approved",
            {"assessment": dataclasses.replace(facts.assessment, approved_on=dt.date(2025, 5, 2))},
        ),
        ("DPIA approved", {"dpia": DpiaFacts(approved_on=dt.date(2025, 5, 3))}),
        ("DPO advice recorded", {"dpia": DpiaFacts(approved_on=dt.date(2025, 5, 3), dpo_advice_recorded=True)}),
        ("child-rights assessment done", {"child_rights_assessment_completed_on": dt.date(2025, 5, 4)}),
        (
            "signs up",
            {
                "signs": SignFacts(
                    installed_count=2,
                    installed_on=dt.date(2025, 5, 20),
                    includes_controller_contact=True,
                    includes_dpo_contact=True,
                )
            },
        ),
        (
            "layer 2 published",
            {
                "signs": SignFacts(
                    installed_count=2,
                    installed_on=dt.date(2025, 5, 20),
                    includes_controller_contact=True,
                    includes_dpo_contact=True,
                    layer2_available=True,
                )
            },
        ),
    ]
    blockers_before = {f.code for f in evaluate(facts, on_date) if f.severity is Severity.BLOCKER}
    assert blockers_before == {
        "KBL-9-ASSESSMENT",
        "GDPR-35-DPIA",
        "GDPR-35-DPO-ADVICE",
        "BK-3-CHILD-RIGHTS",
        "KBL-15-SIGNS",
        "GDPR-13-LAYER2",
    }
    for label, change in steps:
        assert not activation_allowed(facts, on_date), f"allowed before: {label}"
        facts = dataclasses.replace(facts, **change)
        blockers_now = {f.code for f in evaluate(facts, on_date) if f.severity is Severity.BLOCKER}
        assert len(blockers_now) == len(blockers_before) - 1, label
        blockers_before = blockers_now
    assert activation_allowed(facts, on_date)
    # An approval dated after the activation date does not count.
    assert not activation_allowed(facts, dt.date(2025, 5, 3))


def test_intrusion_increasing_change_closes_the_gate_until_reassessed() -> None:
    facts = school(
        assessment=AssessmentFacts(
            approved_on=dt.date(2025, 5, 1),
            last_intrusion_increase_on=dt.date(2025, 5, 20),
            alternatives_considered=1,
            incidents_relied_on=1,
            incident_week_minutes=frozenset({22 * 60}),
        )
    )
    assert activation_allowed(facts, dt.date(2025, 5, 19))
    assert not activation_allowed(facts, dt.date(2025, 5, 20))
    reassessed = dataclasses.replace(
        facts, assessment=dataclasses.replace(facts.assessment, approved_on=dt.date(2025, 5, 25))
    )
    assert activation_allowed(reassessed, dt.date(2025, 5, 25))


def test_warnings_and_info_do_not_close_the_gate() -> None:
    facts = school(schedule=ALWAYS, identifies_persons=False, address="")
    found = {f.code: f.severity for f in evaluate(facts, AFTER)}
    assert found == {
        "IMY-SCHOOL-FACADE-HOURS": Severity.WARNING,
        "KBL-3-SCOPE-IDENTIFICATION": Severity.WARNING,
        "KBL-10-REGISTER": Severity.INFO,
    }
    assert activation_allowed(facts, AFTER)


def test_non_identifying_camera_is_flagged_for_the_dpo_and_never_exempted() -> None:
    facts = school(identifies_persons=False, privacy_masking="thermal_only", assessment=AssessmentFacts())
    findings = {f.code: f for f in evaluate(facts, AFTER)}
    assert "KBL ev. ej tillämplig – dataskyddsombudet bekräftar" in findings["KBL-3-SCOPE-IDENTIFICATION"].message
    assert "endast värmebild" in findings["KBL-3-SCOPE-IDENTIFICATION"].message
    assert "KBL-9-ASSESSMENT" in findings  # every other duty still applies
    assert not activation_allowed(facts, AFTER)


def test_historical_deviation_is_a_warning_for_review_never_unlawful() -> None:
    facts = school(state="in_operation", installed_on=dt.date(2019, 5, 1))
    finding = next(f for f in evaluate(facts, BEFORE) if f.code == "KBL-OLD-7-HISTORICAL-DEVIATION")
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("Historisk avvikelse – granskas")
    assert "olaglig" not in finding.message.lower()
    assert activation_allowed(facts, BEFORE)


def test_legacy_permit_satisfies_the_old_regime_until_it_lapses() -> None:
    planned = {"state": "planned", "installed_on": None}
    assert activation_allowed(legacy(**planned), LAST_PERMIT_DAY)
    assert not activation_allowed(school(**planned), LAST_PERMIT_DAY)
    # From 2025-04-01 the permit is worth nothing: the 9 § assessment is what counts.
    no_assessment = AssessmentFacts(alternatives_considered=1, incidents_relied_on=1)
    assert "KBL-9-ASSESSMENT" in codes(legacy(**planned, assessment=no_assessment), FIRST_NEW_DAY)


def test_outdoor_is_never_read_as_no_permit_needed() -> None:
    # The permit question follows public_access as recorded, not indoor/outdoor.
    outdoor_public = school(state="planned", installed_on=None)
    outdoor_roof = school(state="planned", installed_on=None, public_access=False)
    assert "KBL-OLD-7-PERMIT" in codes(outdoor_public, BEFORE)
    assert "KBL-OLD-7-PERMIT" not in codes(outdoor_roof, BEFORE)


def test_valid_exemption_skips_8_to_10_but_keeps_signs_and_gdpr() -> None:
    garage = school(
        site_kind="parking",
        is_parking_garage=True,
        exemption_11_13="parking_garage_crime",
        exemption_justification="Skadegörelse på bilar i garaget",
        assessment=AssessmentFacts(),
        signs=SignFacts(),
        external_operator=True,
    )
    found = codes(garage, AFTER)
    assert not found & {"KBL-9-ASSESSMENT", "KBL-8-INCIDENTS", "KBL-8-ALTERNATIVES", "KBL-10-REGISTER"}
    assert {"KBL-15-SIGNS", "GDPR-13-LAYER2", "GDPR-28-PROCESSOR"} <= found
    assert register_entry(garage, AFTER) is None
    # The same claim for an open parking lot is refused, and the 9 § duty is back.
    lot = dataclasses.replace(garage, is_parking_garage=False)
    assert {"KBL-11-13-EXEMPTION", "KBL-9-ASSESSMENT"} <= codes(lot, AFTER)


def test_dpia_criteria_derived_from_the_camera() -> None:
    assert derived_dpia_criteria(school()) == {"systematic_monitoring", "vulnerable_subjects"}
    square = school(site_kind="public_place")
    assert {"systematic_monitoring", "large_scale"} <= derived_dpia_criteria(square)
    lot = school(site_kind="parking")
    assert derived_dpia_criteria(lot) == {"systematic_monitoring"}
    assert not dpia_required(lot)
    assert dpia_required(dataclasses.replace(lot, uses_analytics=True))  # + innovative technology
    assert dpia_required(dataclasses.replace(lot, dpia=DpiaFacts(criteria=frozenset({"large_scale"}))))
    indoor_office = school(site_kind="municipal_building", is_indoor=True, public_access=False)
    assert not dpia_required(indoor_office)
    assert derived_dpia_criteria(dataclasses.replace(indoor_office, uses_face_recognition=True)) == {
        "innovative_technology",
        "sensitive_data",
    }


def test_register_entry_has_the_five_items_of_10_paragraph() -> None:
    entry = register_entry(school(records_sound=True, uses_analytics=True), AFTER)
    assert entry is not None
    assert entry.address == "Kvisthamraskolan, fasad mot skolgården"
    assert entry.place_type == "skola"
    assert entry.purpose.startswith("Förebygga skadegörelse")
    assert entry.special_technology == ("ljud", "rörelse- eller beteendeanalys")
    assert entry.latest_assessment_on == dt.date(2025, 5, 1)
    assert register_entry(school(), BEFORE) is None
    assert register_entry(school(), dt.date(2025, 4, 15)).latest_assessment_on is None  # approved later


def test_rule_book_is_data_with_sources() -> None:
    rules = all_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    for rule in rules:
        assert rule.legal_reference and rule.message and rule.why and rule.title
        assert rule.why.endswith(".") and rule.why.count(". ") == 0, f"{rule.code}: why is one sentence"
        assert rule.severity in Severity
    assert {rule.code for rule in rules_in_force(BEFORE)} != {rule.code for rule in rules_in_force(AFTER)}
    assert rules_in_force(dt.date(2017, 1, 1)) == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"site_kind": "schoolyard"}, "site_kind"),
        ({"camera_type": "bullet"}, "camera_type"),
        ({"state": "active"}, "state"),
        ({"retention_hours": -1}, "retention_hours"),
        ({"privacy_masking": "blur"}, "privacy_masking"),
    ],
)
def test_facts_outside_the_vocabulary_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        school(**changes)


def test_nested_facts_are_validated() -> None:
    with pytest.raises(ValueError, match="dpia criterion"):
        DpiaFacts(criteria=frozenset({"children"}))
    with pytest.raises(ValueError, match="residual_risk"):
        DpiaFacts(residual_risk="hög")
    with pytest.raises(ValueError, match="incident_week_minutes"):
        AssessmentFacts(incident_week_minutes=frozenset({7 * MINUTES_PER_DAY}))
    with pytest.raises(ValueError, match="installed_count"):
        SignFacts(installed_count=-1)


def test_mounted_on_reads_state_then_installation_date() -> None:
    assert school(state="paused").is_mounted_on(BEFORE)
    assert not school(state="planned", installed_on=None).is_mounted_on(BEFORE)
    assert school(state="planned", installed_on=dt.date(2024, 1, 1)).is_mounted_on(BEFORE)
    assert not school(state="decommissioned", installed_on=dt.date(2024, 1, 1)).is_mounted_on(BEFORE)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 12, 1), 6) == dt.date(2025, 6, 1)


def test_format_hours_uses_swedish_decimal_comma() -> None:
    assert format_hours(180) == "3"
    assert format_hours(90) == "1,5"
    assert format_hours(0) == "0"


def test_incident_hours_count_by_clock_hour_on_any_day() -> None:
    tuesday_22_30 = 1 * MINUTES_PER_DAY + 22 * 60 + 30
    saturday_22_00 = 5 * MINUTES_PER_DAY + 22 * 60
    saturday_21_59 = saturday_22_00 - 1
    scheduled = frozenset({saturday_22_00, saturday_21_59})
    assert undocumented_minutes(scheduled, frozenset({tuesday_22_30})) == {saturday_21_59}
    assert undocumented_minutes(scheduled, None) == scheduled


def test_incident_minutes_from_ranges_wraps_past_sunday() -> None:
    sunday_23_00 = 6 * MINUTES_PER_DAY + 23 * 60
    minutes = incident_minutes_from_ranges(((sunday_23_00, 60),))  # Sunday 23:00 to Monday 01:00
    assert len(minutes) == 120
    assert 0 in minutes and 59 in minutes and sunday_23_00 in minutes and 60 not in minutes


def test_finding_can_be_translated_later_from_template_and_params() -> None:
    finding = next(f for f in evaluate(school(retention_hours=96), AFTER) if f.code == "GDPR-5-RETENTION")
    assert finding.params == {"hours": "96"}
    assert "%(hours)s" in finding.message_template
    assert finding.message == "Lagringstiden är 96 timmar, längre än tumregeln 72 timmar, och saknar motivering."


def test_checks_for_facts_evaluated_pass_through_the_public_camera_facts_type() -> None:
    assert isinstance(school(), CameraFacts)
