"""The board report's PDF/A or DOCX made as a background job (`trygg.jobs`), from the draft or a frozen version."""

from __future__ import annotations

from trygg.core.texts import deferred as _
from trygg.jobs.models import Job
from trygg.jobs.runner import JobFailed, JobResult, Progress
from trygg.reports import services
from trygg.reports.models import BoardReport, BoardReportVersion

FORMATS = ("pdf", "docx")


def filename(case_number: str, suffix: str) -> str:
    """`tjansteutlatande-<case number, safe>-<suffix>`; the same names as the direct downloads."""
    safe = "".join(c if c.isalnum() else "-" for c in case_number).strip("-") or "rapport"
    return f"tjansteutlatande-{safe}{suffix}"


def report_file(job: Job, progress: Progress) -> JobResult:
    """Draw the report of `job.params`: {"report": pk} (the draft) or {"version": pk}, and "format" ("pdf"/"docx").

    Writes nothing but the job's own file, at the end (one unit per job): a cancel or a failure leaves
    no file. An unusable Word template fails the job with its Swedish reason (`ReportTemplateError`).
    Who may ask for which report was checked when the job was started (`views.report_file_job`).
    """
    fmt = job.params["format"]
    if fmt not in FORMATS:
        raise JobFailed(_("Okänt filformat ”%(format)s”; välj PDF eller Word.") % {"format": fmt})
    progress(0, 3, _("Hämtar uppgifterna till tjänsteutlåtandet"))
    if "version" in job.params:
        version = BoardReportVersion.objects.select_related("report").get(pk=job.params["version"])
        context, document = services.version_parts(version)
        name = filename(document["case_number"], f"-v{version.version}.{fmt}")
    else:
        report = BoardReport.objects.get(pk=job.params["report"])
        context, document = services.draft_parts(report)
        name = filename(report.case_number, f"-utkast.{fmt}")
    progress(1, 3, _("Ritar PDF/A-filen") if fmt == "pdf" else _("Fyller i Word-mallen"))
    try:
        content = services.render_pdf(context, document) if fmt == "pdf" else services.render_docx(context, document)
    except services.ReportTemplateError as error:
        raise JobFailed(str(error)) from error
    progress(2, 3, _("Sparar filen"))
    return JobResult(content=content, filename=name)
