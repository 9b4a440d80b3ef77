"""KBL-9-SITE: an assessment or DPIA made for another site does not cover a camera that changed site."""

from __future__ import annotations

import datetime as dt

from trygg.compliance.engine import AssessmentFacts, DpiaFacts, OtherSiteDocument, activation_allowed, evaluate

from .cases import AFTER, BEFORE, public_place

CODE = "KBL-9-SITE"
SQUARE_ASSESSMENT = OtherSiteDocument(kind="assessment", site_name="Stora torget", approved_on=dt.date(2019, 5, 20))
SQUARE_DPIA = OtherSiteDocument(kind="dpia", site_name="Stora torget", approved_on=dt.date(2019, 5, 10))


def moved(**changes: object):
    """The square's camera, now at the town hall: its own site has no assessment and no DPIA of its own."""
    facts: dict[str, object] = {
        "site_name": "Kommunhuset",
        "site_kind": "municipal_building",
        "assessment": AssessmentFacts(),
        "dpia": DpiaFacts(criteria=frozenset({"large_scale"})),
        "other_site_documents": (SQUARE_ASSESSMENT, SQUARE_DPIA),
    }
    return public_place(**(facts | changes))


def finding(facts, on=AFTER):
    return next((f for f in evaluate(facts, on) if f.code == CODE), None)


def test_a_moved_camera_is_blocked_naming_both_sites_and_each_document():
    result = finding(moved())
    assert result is not None and result.severity == "blocker"
    assert not activation_allowed(moved(), AFTER)
    assert result.message.startswith(
        "Kameran hör nu till Kommunhuset, men intresseavvägningen (9 §) godkänd 2019-05-20 gäller Stora torget "
        "och konsekvensbedömningen (art. 35) godkänd 2019-05-10 gäller Stora torget."
    )
    # It is the first blocker: the checks after it read only the new site's (missing) documents.
    assert evaluate(moved(), AFTER)[0].code == CODE


def test_a_camera_at_its_own_site_has_no_such_check():
    assert finding(public_place()) is None


def test_a_dpia_elsewhere_counts_only_when_the_camera_needs_one():
    without_need = moved(dpia=DpiaFacts(), other_site_documents=(SQUARE_DPIA,))
    assert finding(without_need) is None  # one criterion (systematic monitoring) is not two
    assert finding(moved(other_site_documents=(SQUARE_DPIA,))) is not None


def test_the_assessment_elsewhere_counts_from_the_new_regime_and_not_when_exempt():
    only_assessment = moved(other_site_documents=(SQUARE_ASSESSMENT,))
    assert finding(only_assessment, BEFORE) is None  # the 9 § assessment is a duty from 2025-04-01
    assert finding(only_assessment) is not None
    exempt = moved(
        other_site_documents=(SQUARE_ASSESSMENT,),
        exemption_11_13="public_transport",
        exemption_justification="Busshållplatsen vid kommunhuset.",
    )
    assert finding(exempt) is None
    # A document approved after the date does not yet stand in the way.
    assert finding(moved(), dt.date(2019, 5, 1)) is None
