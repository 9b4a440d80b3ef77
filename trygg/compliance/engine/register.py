"""The entry a camera gets in the register of ongoing surveillance (förteckning, 10 § KBL).

The register is generated from cameras and their latest approved assessment, never kept by hand
(reference/legal.md R1.5). This module builds one entry from the facts; the Django layer decides
which cameras are ongoing and exports the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trygg.compliance.engine.facts import NEW_REGIME_FROM, SITE_KINDS, CameraFacts
from trygg.compliance.engine.rules import exemption_applies


@dataclass(frozen=True)
class RegisterEntry:
    """The five items of 10 § kamerabevakningslagen (lydelse SFS 2025:220) for one camera."""

    address: str  # 1. address or comparable description of the location
    place_type: str  # 2. type of place
    purpose: str  # 3. purpose
    special_technology: tuple[str, ...]  # 4. sound or other special technology (empty = none)
    latest_assessment_on: dt.date | None  # 5. that a 9 § assessment is made, and its date


def register_entry(facts: CameraFacts, on_date: dt.date) -> RegisterEntry | None:
    """The camera's 10 § entry as of `on_date`, or None where 10 § does not apply.

    10 § applies from 2025-04-01 and not to surveillance exempted under 11–13 §§. Missing items stay
    empty (or None); the rule KBL-10-REGISTER reports them.
    """
    if on_date < NEW_REGIME_FROM or exemption_applies(facts, on_date):
        return None
    approved_on = facts.assessment.approved_on
    return RegisterEntry(
        address=facts.address.strip(),
        place_type=SITE_KINDS[facts.site_kind],
        purpose=facts.purpose.strip(),
        special_technology=facts.special_technology(),
        latest_assessment_on=approved_on if approved_on is not None and approved_on <= on_date else None,
    )
