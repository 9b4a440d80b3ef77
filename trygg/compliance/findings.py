"""Cameras whose checklist has a failing blocker or warning today: the start page's first few, and all of
them, paged, on "Lagkrav som behöver åtgärdas" (/efterlevnad/atgarder/).

Both read the stored checklists (`trygg.compliance.stored.findings`): the order and the count come from
an index, and only the rows shown are loaded, with their documents and the links to the pages that fix
them (`trygg.compliance.fixes`), so a page costs the same at 100 and at 10 000 cameras.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from trygg.compliance import facts, fixes, stored
from trygg.compliance.checklist import message_text
from trygg.compliance.models import StoredChecklist

# ?allvarlighet= on the paged list: the stored `finding_order` values of each severity.
SEVERITY_ORDERS = {"hinder": (0, 1), "varning": (2, 3)}


@dataclass
class Finding:
    """A camera's first failing blocker or warning, in the user's language, with the pages that fix it."""

    camera: Any
    severity: str
    title: str
    reason: str
    code: str = ""
    documents: Any = None
    fixes: list[tuple[str, str]] = field(default_factory=list)


def today(rows: QuerySet[StoredChecklist], severity: str = "") -> QuerySet[StoredChecklist]:
    """The findings among the stored checklists `rows` (scoped by the caller: `stored.stored_in_scope`), in
    the start page's order.

    `severity` is "hinder" or "varning" for one kind only, "" for both; KeyError for anything else
    (the view checks the parameter first).
    """
    rows = stored.findings(rows)
    if severity:
        rows = rows.filter(finding_order__in=SEVERITY_ORDERS[severity])
    return rows


def shown(rows: Any, user: Any) -> list[Finding]:
    """The findings of stored checklist rows already cut to what a page shows, each with its fix links.

    Messages are stored untranslated and translated here. Queries: the rows, then the documents of their
    cameras (`facts.load_documents`), whatever the number of rows.
    """
    rows = list(rows)
    documents = facts.load_documents([row.camera for row in rows])
    found = []
    for row in rows:
        first = row.finding
        finding = Finding(
            row.camera,
            first["severity"],
            gettext(first["title"]),
            message_text(first["message_template"], first["params"]),
            first["code"],
            documents[row.camera_id],
        )
        finding.fixes = fixes.fix_links(finding.code, finding.camera, finding.documents, user)
        found.append(finding)
    return found
