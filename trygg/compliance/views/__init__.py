"""Compliance pages under /efterlevnad/ and the public pages; each view names its access rule.

- `checklists`: the checklist per camera, signs as PDF, the registers and the public information.
- `documents`: the three assessments written on Trygg's pages (list, create, edit, detail, preview).
- `workflow`: decisions by role (submit, withdraw, new version, the DPO's advice and decision, the queue).
"""

from trygg.compliance.views.checklists import (
    checklist,
    checklist_json,
    checklist_list_json,
    findings,
    imy_request,
    processing_csv,
    processing_record,
    public_index,
    public_site,
    register,
    register_csv,
    register_pdf,
    register_pdf_job,
    sign_pdf,
)
from trygg.compliance.views.documents import document_detail, document_edit, document_list, document_preview
from trygg.compliance.views.workflow import advice, decision, new_version, queue, submit, withdraw

__all__ = [
    "advice",
    "checklist",
    "checklist_json",
    "checklist_list_json",
    "decision",
    "document_detail",
    "document_edit",
    "document_list",
    "document_preview",
    "findings",
    "imy_request",
    "new_version",
    "processing_csv",
    "processing_record",
    "public_index",
    "public_site",
    "queue",
    "register",
    "register_csv",
    "register_pdf",
    "register_pdf_job",
    "sign_pdf",
    "submit",
    "withdraw",
]
