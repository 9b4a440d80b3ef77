"""The compliance section of the start page: what waits for the DPO, and what came back to the officer.

The DPO's overview leads with "Väntar på ditt råd eller beslut"; the officer's with "Skickat för
beslut" and "Återkommet med avslag" (with the reason). An admin sees both. A fixed number of
queries whatever the number of documents.
"""

from __future__ import annotations

from typing import Any

from trygg.compliance import decisions, documents
from trygg.core import roles


def documents_overview(user: Any) -> dict[str, Any] | None:
    """The sections for `user`, or None for roles that neither write nor decide assessments."""
    decides = decisions.may_decide(user)
    writes = decisions.may_write(user)
    if not (decides or writes) or not roles.sees_all_sites.test(user):
        return None
    return {
        "for_dpo": decides,
        "for_officer": writes,
        "waiting": documents.waiting_for_decision(user),
        "rejected": documents.returned_rejected(user) if writes else [],
    }
