"""The optional section "Effekt och omprövning" over a table of situations, and its honesty as properties.

The situations are made up (sites, numbers and dates invented for the test): a reduction that can be
told from chance, one that cannot, a site chosen after a peak (regression to the mean), no evaluation
at all, and reviews overdue. The rules come from reference/evaluation.md §5 (the honest-evaluation
checklist) and issue 14: every effect with its 95 % interval, "kan inte skiljas från slumpen" when the
interval spans no change, warnings named in plain Swedish, a cost per avoided incident only for a
reduction distinguishable from zero, and never a percentage without its interval.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.reports import drafting
from trygg.reports.drafting import EffectFacts, PooledEffect, ReviewYear, SiteEffect
from trygg.reports.tests.test_drafting import CONTEXT
from trygg.reports.tests.test_report_language import check_grammar, sentences

NB = "\xa0"

FEWER = SiteEffect(
    "Sporthallen", True, change=-45.0, change_low=-65.0, change_high=-20.0, treated_before=60, treated_after=25
)
UNCLEAR = SiteEffect(
    "Bryggan",
    True,
    change=-10.0,
    change_low=-40.0,
    change_high=30.0,
    treated_before=12,
    treated_after=10,
    warnings=("few_events",),
)
PEAK = SiteEffect(
    "Biblioteket",
    True,
    change=-30.0,
    change_low=-50.0,
    change_high=-5.0,
    treated_before=40,
    treated_after=20,
    warnings=("peak",),
)
MORE = SiteEffect("Torget", True, change=40.0, change_low=5.0, change_high=90.0, treated_before=30, treated_after=45)
WAITING = SiteEffect("Hamnen", False, reason="efterperioden har inte tagit slut")
REVIEWS = ReviewYear(due=5, reviewed=2, keep=1, change=1, remove=0, overdue=0)

DISTINGUISHABLE = EffectFacts(
    sites=(FEWER, UNCLEAR, WAITING),
    pooled=PooledEffect(
        change=-35.0,
        change_low=-50.0,
        change_high=-15.0,
        sites=2,
        i_squared=0.1,
        model="fixed",
        distinguishable=True,
        avoided=50.0,
        avoided_low=20.0,
        avoided_high=80.0,
        cost_total=Decimal("600000"),
        cost_per_avoided=Decimal("12000"),
    ),
    reviews=REVIEWS,
)
NOT_DISTINGUISHABLE = EffectFacts(
    sites=(UNCLEAR, FEWER),
    pooled=PooledEffect(
        change=-8.0,
        change_low=-30.0,
        change_high=20.0,
        sites=2,
        i_squared=0.6,
        model="random",
        distinguishable=False,
        avoided=10.0,
        avoided_low=-15.0,
        avoided_high=35.0,
        # A cost the programme would never give here: the section must not print it anyway.
        cost_total=Decimal("600000"),
        cost_per_avoided=Decimal("60000"),
    ),
    reviews=REVIEWS,
)
RTM = EffectFacts(
    sites=(PEAK,),
    pooled=PooledEffect(
        change=-30.0,
        change_low=-50.0,
        change_high=-5.0,
        sites=1,
        i_squared=0.0,
        model="fixed",
        distinguishable=True,
        avoided=20.0,
        avoided_low=-2.0,
        avoided_high=42.0,
        cost_total=Decimal("300000"),
    ),
    reviews=REVIEWS,
)
NOTHING = EffectFacts(sites=(), pooled=None, reviews=ReviewYear(due=3, reviewed=1, keep=1, overdue=2))
NOTHING_YET = EffectFacts(sites=(WAITING,), pooled=None, reviews=ReviewYear())
OVERDUE = dataclasses.replace(DISTINGUISHABLE, reviews=ReviewYear(due=6, reviewed=0, overdue=4))
MORE_THAN_EXPECTED = EffectFacts(
    sites=(MORE, FEWER),
    pooled=PooledEffect(
        change=12.0,
        change_low=2.0,
        change_high=25.0,
        sites=2,
        i_squared=0.3,
        model="fixed",
        distinguishable=True,
        avoided=-8.0,
        avoided_low=-15.0,
        avoided_high=-1.0,
        cost_total=Decimal("600000"),
    ),
)

SITUATIONS = {
    "distinguishable effect": (
        DISTINGUISHABLE,
        [
            "Sammanvägt för 2 platser blev det 35 % färre händelser än kontrollplatserna ger anledning att vänta "
            "(95 % konfidensintervall 15 till 50 % färre).",
            "Skillnaden kan skiljas från slumpen, men visar inte ensam att kamerorna orsakat den",
            "Resultaten skiljer sig lite mellan platserna (heterogenitet I² = 10 %).",
            f"Kostnaden per undviken händelse är omkring 12{NB}000{NB}kr: de kostnader som är bokförda för de "
            "utvärderade platsernas kameror och deras andel av gemensamma kostnader under efterperioderna, "
            f"600{NB}000{NB}kr, delat med 50 undvikna händelser (95 % konfidensintervall för "
            "antalet 20 till 80).",
            "Sporthallen: 45 % färre händelser än väntat (95 % konfidensintervall 20 till 65 % färre; 60 händelser "
            "året före och 25 året efter).",
            "Bryggan: förändringen kan inte skiljas från slumpen (−10 % jämfört med väntat, 95 % konfidensintervall "
            "−40 till +30 %; 12 händelser året före och 10 året efter).",
            "Varning: bara 12 händelser före kamerorna, färre än 20, så resultatet är mycket osäkert.",
            "Inte med i sammanvägningen: Hamnen (efterperioden har inte tagit slut).",
            "Under 2024 fram till den 29 oktober skulle 5 kameror omprövas.",
            "Under året har 2 omprövningar beslutats (behålla: 1, ändra: 1, avveckla: 0).",
            "Den 29 oktober 2024 är ingen omprövning försenad.",
        ],
        ["har minskat", "finns ingen utvärdering"],
    ),
    "not distinguishable": (
        NOT_DISTINGUISHABLE,
        [
            "Sammanvägt för 2 platser kan förändringen inte skiljas från slumpen.",
            "Skattningen är −8 % jämfört med vad kontrollplatserna ger anledning att vänta, men 95 % "
            "konfidensintervallet går från −30 till +20 % och rymmer både färre och fler händelser.",
            "Resultaten skiljer sig mycket mellan platserna (heterogenitet I² = 60 %)",
            "Någon kostnad per undviken händelse redovisas inte, eftersom effekten inte kan skiljas från noll.",
        ],
        ["Kostnaden per undviken", "60 000", "% färre händelser än kontrollplatserna"],
    ),
    "regression to the mean": (
        RTM,
        [
            "För den enda utvärderade platsen blev det 30 % färre händelser än kontrollplatserna ger anledning att "
            "vänta (95 % konfidensintervall 5 till 50 % färre).",
            "Bara en plats kan utvärderas ännu, så något sammanvägt resultat för programmet finns inte.",
            "Varning: platsen valdes efter en topp i antalet händelser, så en minskning efteråt kan vara en återgång "
            "till det vanliga (regression mot medelvärdet) och inte en effekt av kamerorna.",
            "Någon kostnad per undviken händelse redovisas inte, eftersom antalet undvikna händelser inte kan "
            "skiljas från noll.",
        ],
        ["1 platser", "heterogenitet", "Kostnaden per undviken"],
    ),
    "no evaluations": (
        NOTHING,
        [
            "Per den 29 oktober 2024 finns ingen utvärdering av kamerornas effekt: ingen plats har haft kameror i drift.",
            "Under 2024 fram till den 29 oktober skulle 3 kameror omprövas.",
            "En omprövning har beslutats under året (behålla: 1, ändra: 0, avveckla: 0).",
            "Den 29 oktober 2024 är omprövningen försenad för 2 kameror.",
        ],
        ["%", "Sammanvägt", "kostnad"],
    ),
    "nothing evaluable yet": (
        NOTHING_YET,
        [
            "Per den 29 oktober 2024 finns ingen utvärdering av kamerornas effekt: ingen plats har ännu tillräckliga "
            "uppgifter (Hamnen: efterperioden har inte tagit slut). Något påstående om effekten kan därför inte göras.",
            "Under 2024 fram till den 29 oktober skulle ingen kamera omprövas.",
            "Ingen omprövning har beslutats under året.",
        ],
        ["%", "Sammanvägt"],
    ),
    "reviews overdue": (
        OVERDUE,
        [
            "Under 2024 fram till den 29 oktober skulle 6 kameror omprövas.",
            "Ingen omprövning har beslutats under året.",
            "Den 29 oktober 2024 är omprövningen försenad för 4 kameror.",
        ],
        ["ingen omprövning försenad"],
    ),
    "more than expected": (
        MORE_THAN_EXPECTED,
        [
            "Sammanvägt för 2 platser blev det 12 % fler händelser än kontrollplatserna ger anledning att vänta "
            "(95 % konfidensintervall 2 till 25 % fler).",
            "Kameror kan också göra att fler händelser upptäcks och anmäls.",
            "Torget: 40 % fler händelser än väntat (95 % konfidensintervall 5 till 90 % fler;",
            "Någon kostnad per undviken händelse redovisas inte, eftersom effekten inte är en minskning.",
        ],
        ["Kostnaden per undviken", "kan skiljas från slumpen, men"],
    ),
}


def effect_text(facts: EffectFacts) -> str:
    ctx = dataclasses.replace(CONTEXT, effect=facts)
    return drafting.draft_sections(ctx, include_effect=True)["effect"]


@pytest.mark.parametrize("name", SITUATIONS)
def test_the_section_says_what_the_situation_allows(name):
    facts, must, never = SITUATIONS[name]
    text = effect_text(facts).replace("\n\n", " ")
    for phrase in must:
        assert phrase in text, f"{name}: {phrase}"
    for phrase in never:
        assert phrase not in text, f"{name}: must not say {phrase}"
    check_grammar(text)
    check_percentages(text)


def test_the_section_is_optional_and_comes_before_data_protection():
    assert "effect" not in drafting.draft_sections(CONTEXT)
    keys = list(drafting.draft_sections(CONTEXT, include_data_protection=True, include_effect=True))
    assert keys[-2:] == ["effect", "data_protection"]
    assert drafting.section_titles()["effect"] == "Effekt och omprövning"


def test_every_warning_has_plain_words():
    text = effect_text(
        EffectFacts(
            sites=(
                dataclasses.replace(
                    PEAK,
                    warnings=(
                        "few_events",
                        "peak_unchecked",
                        "no_control",
                        "overlapping_measures",
                        "recording_changed",
                    ),
                ),
            ),
            pooled=RTM.pooled,
        )
    )
    for phrase in (
        "färre än 20, så resultatet är mycket osäkert",
        "för kort historik för att pröva om platsen valdes efter en topp (regression mot medelvärdet)",
        "ingen jämförbar plats utan kameror, så förändringen kan inte tillskrivas kamerorna",
        "andra åtgärder infördes under samma tid, och deras effekt kan inte skiljas från kamerornas",
        "sättet att registrera händelser ändrades under perioden",
    ):
        assert phrase in text
    assert "few_events" not in text and "_" not in text


def test_translation_goes_through_the_callers_gettext():
    ctx = dataclasses.replace(CONTEXT, effect=DISTINGUISHABLE)
    marked = drafting.draft_sections(ctx, include_effect=True, _=lambda message: "»" + message)["effect"]
    paragraphs = marked.split("\n\n")
    assert all(p.startswith("»") for p in paragraphs)
    assert "»efterperioden har inte tagit slut" in marked  # the programme's reason is translated too


def test_snapshot_round_trip_with_the_effect():
    ctx = dataclasses.replace(CONTEXT, effect=DISTINGUISHABLE)
    assert drafting.from_data(drafting.to_data(ctx)) == ctx
    # A version frozen before the section existed reads back without it.
    data = drafting.to_data(CONTEXT)
    del data["effect"]
    assert drafting.from_data(data).effect is None


#
# No percentage without its interval, and "kan inte skiljas från slumpen" exactly when the interval spans 0.
#

PERCENT = re.compile(r"\d\s?%")
INTERVAL = re.compile(r"konfidensintervall(?:et går från| för antalet)? [−+]?\d+ till [−+]?\d+")


def check_percentages(text: str) -> None:
    """Every sentence stating a percentage (other than the 95 % level and I²) states its interval."""
    for s in sentences(text.replace(NB, " ")):
        rest = re.sub(r"95 % konfidensintervall", "konfidensintervall", s)
        rest = re.sub(r"I² = \d+ %", "", rest)
        if PERCENT.search(rest):
            assert INTERVAL.search(s), f"a percentage without its interval: {s}"


changes = st.tuples(
    st.floats(-95, 300, allow_nan=False), st.floats(-95, 300, allow_nan=False), st.floats(-95, 300, allow_nan=False)
).map(sorted)
warning_codes = st.lists(
    st.sampled_from(
        ["few_events", "peak", "peak_unchecked", "no_control", "overlapping_measures", "recording_changed"]
    ),
    unique=True,
    max_size=3,
)


@st.composite
def effect_facts(draw):
    sites = []
    for index in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            low, change, high = draw(changes)
            sites.append(
                SiteEffect(
                    f"Plats {index}",
                    True,
                    change=change,
                    change_low=low,
                    change_high=high,
                    treated_before=draw(st.integers(1, 200)),
                    treated_after=draw(st.integers(1, 200)),
                    warnings=tuple(draw(warning_codes)),
                )
            )
        else:
            sites.append(SiteEffect(f"Plats {index}", False, reason="en räknesiffra är 0"))
    included = [s for s in sites if s.included]
    pooled = None
    if included:
        low, change, high = draw(changes)
        avoided = draw(st.floats(-50, 200, allow_nan=False))
        pooled = PooledEffect(
            change=change,
            change_low=low,
            change_high=high,
            sites=len(included),
            i_squared=draw(st.floats(0, 1)),
            model="fixed",
            distinguishable=high < 0 or low > 0,
            avoided=avoided,
            avoided_low=avoided - 10,
            avoided_high=avoided + 10,
            cost_total=Decimal(draw(st.integers(0, 2_000_000))),
            cost_per_avoided=draw(st.none() | st.integers(1, 100_000).map(Decimal)),
        )
    reviews = ReviewYear(*draw(st.tuples(*[st.integers(0, 30)] * 6)))
    return EffectFacts(sites=tuple(sites), pooled=pooled, reviews=reviews)


@given(effect_facts())
def test_no_percentage_without_its_interval_and_chance_named_when_the_interval_spans_zero(facts):
    text = effect_text(facts)
    check_percentages(text)
    assert "har minskat" not in text and "har ökat" not in text
    for site in facts.sites:
        if not site.included:
            assert f"{site.site} (" in text or f"{site.site}: " in text
            continue
        said = next(s for s in sentences(text) if s.startswith(f"{site.site}:"))
        spans_zero = site.change_low <= 0 <= site.change_high
        assert ("kan inte skiljas från slumpen" in said) == spans_zero, said
        assert ("färre händelser än väntat" in said) == (site.change_high < 0), said
    pooled = facts.pooled
    if pooled is not None:
        assert ("kan förändringen inte skiljas från slumpen" in text) == (not pooled.distinguishable)
        # A cost per avoided incident only for a reduction distinguishable from zero.
        if "Kostnaden per undviken händelse" in text:
            assert pooled.distinguishable and pooled.change_high < 0 and pooled.cost_per_avoided is not None
    else:
        assert "finns ingen utvärdering av kamerornas effekt" in text
    assert "omprövning" in text
