"""The pure rules engine of Trygg's compliance: which legal duties apply to a camera on a date.

Plain Python with no Django imports (DESIGN.md "pure core, thin shell"). The Django layer fills a
`CameraFacts` from its models and calls:

- `evaluate(facts, on_date)` → the failing duties (`Finding`), blockers first;
- `activation_checklist(facts, on_date)` → every applicable `Check`, passed or not;
- `activation_allowed(facts, on_date)` → the gate for `i drift`: no blocker fails;
- `all_rules()` / `rules_in_force(on_date)` → the rule book, for the page that shows it;
- `dpia_required(facts)` and `register_entry(facts, on_date)` for the DPIA and 10 § register;
- `zone_intrusions(facts, on_date)` → the protected zones the camera's view reaches into;
- `render_message(template, params, translate, format_number)` → a finding's message in a reader's language.

Rules are data with `valid_from`/`valid_to` (reference/legal.md is the specification).
"""

from trygg.compliance.engine.dpia import derived_dpia_criteria, dpia_criteria, dpia_required
from trygg.compliance.engine.evaluate import (
    Check,
    Finding,
    activation_allowed,
    activation_checklist,
    applicable_rules,
    evaluate,
)
from trygg.compliance.engine.facts import (
    AssessmentFacts,
    CameraFacts,
    DpiaFacts,
    LegacyPermit,
    OtherSiteDocument,
    PrivacyMaskFacts,
    SignFacts,
    ZoneInView,
    incident_minutes_from_ranges,
)
from trygg.compliance.engine.hours import describe_week_minutes
from trygg.compliance.engine.messages import render as render_message
from trygg.compliance.engine.register import RegisterEntry, register_entry
from trygg.compliance.engine.rules import (
    Rule,
    Severity,
    ZoneIntrusion,
    all_rules,
    exemption_applies,
    rule_by_code,
    rules_in_force,
    zone_intrusions,
)

__all__ = [
    "AssessmentFacts",
    "CameraFacts",
    "Check",
    "DpiaFacts",
    "Finding",
    "LegacyPermit",
    "OtherSiteDocument",
    "PrivacyMaskFacts",
    "RegisterEntry",
    "Rule",
    "Severity",
    "SignFacts",
    "ZoneInView",
    "ZoneIntrusion",
    "activation_allowed",
    "activation_checklist",
    "all_rules",
    "applicable_rules",
    "derived_dpia_criteria",
    "describe_week_minutes",
    "dpia_criteria",
    "dpia_required",
    "evaluate",
    "exemption_applies",
    "incident_minutes_from_ranges",
    "register_entry",
    "render_message",
    "rule_by_code",
    "rules_in_force",
    "zone_intrusions",
]
