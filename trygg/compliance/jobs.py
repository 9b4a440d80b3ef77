"""The 10 § register PDF as a background job (`trygg.jobs`), started from the register page."""

from __future__ import annotations

import datetime as dt

from trygg.compliance import registers
from trygg.core.audit import audit_context
from trygg.core.texts import deferred as _
from trygg.jobs.models import Job
from trygg.jobs.runner import JobResult, Progress


def register_pdf(job: Job, progress: Progress) -> JobResult:
    """Draw the register as of `job.params["on_date"]` (ISO date) and log the export for the starter.

    Nothing is written until the whole PDF is drawn: a cancelled or failed job leaves no file and no
    change-log entry (one unit per job). Progress is counted in pages (pages known before drawing).
    """
    on_date = dt.date.fromisoformat(job.params["on_date"])
    imy_case_number = job.params.get("imy_case_number", "")
    progress(0, 0, _("Hämtar kamerorna och deras intresseavvägningar"))
    document = registers.register_document(on_date, imy_case_number)
    progress.check_cancelled()

    def page_drawn(page: int, pages: int) -> None:
        progress(page, pages, _("Ritar sida %(page)s av %(pages)s") % {"page": page, "pages": pages})

    pdf = registers.render_register(document, progress=page_drawn)
    with audit_context(user=job.started_by, source="job"):
        registers.log_register_export("pdf", on_date, job.started_by, imy_case_number=imy_case_number)
    return JobResult(content=pdf, filename=f"forteckning-{on_date.isoformat()}.pdf")
