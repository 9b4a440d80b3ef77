"""KBL-9-ZONE-INTRUSION: a camera whose view reaches into a zone that must not be watched is blocked.

Hand-made facts: the documented school facade camera of cases.py, with the zones its view reaches.
"""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.cameras.schedule import ALL_DAYS, ALWAYS, IMY_SCHOOL_FACADE, WEEKDAYS, Schedule, WeeklyRule
from trygg.compliance.engine import (
    PrivacyMaskFacts,
    ZoneInView,
    activation_allowed,
    activation_checklist,
    describe_week_minutes,
    evaluate,
    render_message,
    zone_intrusions,
)

from .cases import AFTER, school

CODE = "KBL-9-ZONE-INTRUSION"
SCHOOLYARD = ZoneInView(name="Skolgården", rule="must_not_monitor", area_m2=263.04, share=0.994)
FACADE = ZoneInView(name="Fasad och 2 m", rule="only_outside_school_hours", area_m2=22.9, share=0.21)
MASKED_ON = dt.date(2025, 5, 10)


def check(facts, on=AFTER):
    return next(c for c in activation_checklist(facts, on) if c.code == CODE)


def test_a_view_into_the_schoolyard_blocks_and_says_where_and_how_much():
    facts = school(zones_in_view=(SCHOOLYARD,))
    result = check(facts)
    assert not result.passed and not activation_allowed(facts, AFTER)
    assert "”Skolgården” (får inte bevakas): 263 m², 99 % av det kameran ser" in result.reason
    assert "toleransen är 1 m² per område" in result.reason
    assert result.legal_reference.startswith("8 och 9 §§ kamerabevakningslagen")
    assert "art. 5.1 c" in result.legal_reference and "ej skolgård" in result.legal_reference


def test_a_view_without_protected_zones_passes():
    assert check(school(zones_in_view=())).passed
    # A zone the camera may watch never reaches the engine, and an unknown rule is refused.
    with pytest.raises(ValueError, match="zone rule"):
        ZoneInView(name="Entrén", rule="may_monitor", area_m2=10.0, share=0.1)


def test_an_uncomputed_view_blocks_rather_than_passes():
    result = check(school(zones_in_view=None))
    assert not result.passed
    assert "inte beräknat" in result.reason


@pytest.mark.parametrize(
    ("area", "tolerance", "passes"),
    [(1.0, 1.0, True), (1.01, 1.0, False), (0.99, 1.0, True), (5.0, 5.0, True), (5.01, 5.0, False), (0.01, 0.0, False)],
)
def test_the_tolerance_is_the_largest_area_that_is_not_intrusion(area, tolerance, passes):
    zone = ZoneInView(name="Skolgården", rule="must_not_monitor", area_m2=area, share=0.01)
    facts = school(zones_in_view=(zone,), intrusion_tolerance_m2=tolerance)
    assert check(facts).passed is passes
    assert activation_allowed(facts, AFTER) is passes


def test_the_tolerance_applies_per_zone_and_names_each_zone():
    neighbour = ZoneInView(name="Grannens tomt", rule="must_not_monitor", area_m2=12.44, share=0.002)
    tiny = ZoneInView(name="Lekplatsen", rule="must_not_monitor", area_m2=0.8, share=0.001)
    reason = check(school(zones_in_view=(SCHOOLYARD, neighbour, tiny))).reason
    assert "”Skolgården”" in reason and "”Grannens tomt” (får inte bevakas): 12,4 m², under 1 %" in reason
    assert "Lekplatsen" not in reason  # within the tolerance


def test_a_school_hours_zone_counts_only_when_the_camera_records_in_school_hours():
    # IMY's facade hours (weekdays 20–06, weekends 17–07) never meet school hours (weekdays 07–17).
    assert check(school(zones_in_view=(FACADE,), schedule=IMY_SCHOOL_FACADE)).passed
    # Round the clock it records all of school hours.
    always = school(zones_in_view=(FACADE,), schedule=ALWAYS, schedule_template="always")
    result = check(always)
    assert not result.passed
    assert (
        "”Fasad och 2 m” (får bevakas endast utanför skoltid): 22,9 m², 21 % av det kameran ser, "
        "under skoltid då kameran spelar in mån–fre 07–17" in result.reason
    )
    # Evenings from 16:30 overlap the last half hour of school on weekdays only.
    evenings = Schedule((WeeklyRule(ALL_DAYS, dt.time(16, 30), dt.time(22)),))
    assert "mån–fre 16.30–17" in check(school(zones_in_view=(FACADE,), schedule=evenings)).reason


def test_a_must_not_zone_counts_whatever_the_hours():
    assert not check(school(zones_in_view=(SCHOOLYARD,), schedule=IMY_SCHOOL_FACADE)).passed


def test_a_mask_with_an_image_that_covers_the_intrusion_passes():
    covered = ZoneInView(name="Skolgården", rule="must_not_monitor", area_m2=263.0, share=0.99, unmasked_m2=0.4)
    facts = school(
        zones_in_view=(covered,), privacy_mask_record=PrivacyMaskFacts(confirmed_on=MASKED_ON, image_count=1)
    )
    assert check(facts).passed and activation_allowed(facts, AFTER)
    # Before the mask was confirmed it did not count.
    assert not check(facts, MASKED_ON - dt.timedelta(days=1)).passed


def test_a_mask_without_an_image_does_not_count():
    covered = ZoneInView(name="Skolgården", rule="must_not_monitor", area_m2=263.0, share=0.99, unmasked_m2=0.0)
    facts = school(zones_in_view=(covered,), privacy_mask_record=PrivacyMaskFacts(confirmed_on=MASKED_ON))
    result = check(facts)
    assert not result.passed
    assert "Maskeringen från 2025-05-10 räknas inte" in result.reason


def test_a_mask_that_leaves_part_of_the_zone_open_fails_with_the_open_area():
    grown = ZoneInView(name="Skolgården", rule="must_not_monitor", area_m2=300.0, share=0.99, unmasked_m2=37.0)
    facts = school(zones_in_view=(grown,), privacy_mask_record=PrivacyMaskFacts(confirmed_on=MASKED_ON, image_count=2))
    result = check(facts)
    assert not result.passed
    assert "300 m², 99 % av det kameran ser, varav 37 m² utanför maskeringen" in result.reason
    assert "täcker inte hela intrånget" in result.reason
    assert [item.counted_m2 for item in zone_intrusions(facts, AFTER)] == [37.0]


def test_no_exemption_lifts_the_check():
    facts = school(
        zones_in_view=(SCHOOLYARD,),
        state="planned",
        installed_on=None,
        site_kind="other",
        exemption_11_13="pharmacy",
        exemption_justification="Apotek",
    )
    assert CODE in {finding.code for finding in evaluate(facts, AFTER)}


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        (Schedule((WeeklyRule(WEEKDAYS, dt.time(7), dt.time(17)),)), "mån–fre 07–17"),
        (ALWAYS, "dygnet runt alla dagar"),
        (
            Schedule(
                (
                    WeeklyRule(frozenset({0, 2}), dt.time(8), dt.time(12, 30)),
                    WeeklyRule(frozenset({5}), dt.time(10), dt.time(12)),
                )
            ),
            "mån, ons 08–12.30; lör 10–12",
        ),
        (Schedule((WeeklyRule(frozenset({0}), dt.time(20), dt.time(6)),)), "mån 20–06"),
        (Schedule((WeeklyRule(frozenset({6}), dt.time(22), dt.time(2)),)), "sön 22–02"),
        (IMY_SCHOOL_FACADE, "mån–fre 20–06; lör, sön 17–07"),
        (
            Schedule((WeeklyRule(WEEKDAYS, dt.time(7), dt.time(9)), WeeklyRule(WEEKDAYS, dt.time(15), dt.time(17)))),
            "mån–fre 07–09 och 15–17",
        ),
        (Schedule(()), ""),
    ],
)
def test_hours_in_readable_swedish(schedule, text):
    assert describe_week_minutes(schedule.weekly_minutes()) == text


# A translation table as Django's gettext would give it, for the parts of the messages below.
ENGLISH = {
    "%(problem)s Ta bort intrånget genom att ändra riktning, bildvinkel, räckvidd eller bevakningstider, "
    "eller registrera en maskering som täcker det, bekräftad med datum och en bild från kameran "
    "(toleransen är %(tolerance)s m² per område).%(mask)s": "%(problem)s Tolerance %(tolerance)s m².%(mask)s",
    "Kamerans beräknade synfält når in i områden som inte får bevakas: %(zones)s.": "Into zones: %(zones)s.",
    "”%(zone)s” (%(rule)s): %(area)s m², %(share)s av det kameran ser": "“%(zone)s” (%(rule)s): %(area)s m², %(share)s",
    "får bevakas endast utanför skoltid": "only outside school hours",
    "%(percent)s %%": "%(percent)s%%",
    ", under skoltid då kameran spelar in %(hours)s": ", in school hours %(hours)s",
    ", varav %(open)s m² utanför maskeringen": ", %(open)s m² unmasked",
    " Maskeringen från %(date)s täcker inte hela intrånget.": " The mask of %(date)s falls short.",
    "mån": "Mon",
    "fre": "Fri",
}


def english_number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def test_the_message_is_kept_in_parts_that_another_language_translates_and_formats():
    # Stored findings are shown later in the reader's language: every part, and the numbers in its notation.
    zone = ZoneInView(
        name="Fasad och 2 m", rule="only_outside_school_hours", area_m2=22.94, share=0.214, unmasked_m2=3.25
    )
    facts = school(
        zones_in_view=(zone,),
        schedule=ALWAYS,
        schedule_template="always",
        privacy_mask_record=PrivacyMaskFacts(confirmed_on=MASKED_ON, image_count=1),
    )
    result = check(facts)
    assert result.reason == render_message(result.message_template, result.params)  # Swedish by default
    assert "22,9 m², 21 % av det kameran ser, under skoltid då kameran spelar in mån–fre 07–17, varav 3,2 m²" in (
        result.reason
    )
    english = render_message(result.message_template, result.params, lambda m: ENGLISH.get(m, m), english_number)
    assert english == (
        "Into zones: “Fasad och 2 m” (only outside school hours): 22.9 m², 21%, in school hours Mon–Fri 07–17, "
        "3.2 m² unmasked. Tolerance 1.0 m². The mask of 2025-05-10 falls short."
    )
