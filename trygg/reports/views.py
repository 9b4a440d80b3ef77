"""Board report pages: list, create, edit, draft again from data, freeze, download.

Officers (and the admin) write and freeze reports. The DPO and readers (the board, management)
read frozen versions and download the public DOCX and PDF/A. The annex with exact placements is
for those who see all sites (never readers). Administration contacts have no report pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.core.versions import save_versioned
from trygg.jobs import runner as jobs
from trygg.jobs.models import Job, JobKind
from trygg.programme.models import Assignment, ReportingPoint
from trygg.reports import drafting, services
from trygg.reports import jobs as report_jobs
from trygg.reports.forms import BoardReportForm
from trygg.reports.models import BoardReport, BoardReportVersion

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The checkbox that confirms locking a report (an irreversible step, issue 10).
FREEZE_CONFIRMATION = "bekrafta_lasning"
# The title of the person locking it, stored with the full name (issue 11).
FREEZE_TITLE = "titel"


def _file(content: bytes, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def _filename(case_number: str, suffix: str) -> str:
    return report_jobs.filename(case_number, suffix)


def _job_shown(request: HttpRequest) -> Job | None:
    """The report-file job named by `?jobb=`, if this user started it (else none: no one else's job is shown)."""
    job_id = request.GET.get("jobb", "")
    if not job_id.isdigit():
        return None
    return Job.objects.filter(pk=int(job_id), kind=JobKind.REPORT_FILE, started_by=request.user).first()


def _start_file_job(request: HttpRequest, params: dict[str, Any], back: str) -> HttpResponse:
    fmt = request.POST.get("format", "")
    if fmt not in report_jobs.FORMATS:
        messages.error(request, gettext("Välj filformat: PDF eller Word."))
        return redirect(back)
    job = jobs.start(JobKind.REPORT_FILE, request.user, params | {"format": fmt}, request)
    return redirect(f"{back}?jobb={job.pk}")


@require_POST
@requires(roles.writes_reports)
def report_file_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the draft's PDF or DOCX in the background; the report page then shows the job's progress."""
    report = get_object_or_404(BoardReport, pk=pk)
    return _start_file_job(request, {"report": report.pk}, reverse("reports:edit", args=[report.pk]))


@require_POST
@requires(roles.follows_programme)
def version_file_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a frozen version's PDF/A or DOCX in the background; its page then shows the job's progress."""
    version = _version(pk)
    return _start_file_job(request, {"version": version.pk}, reverse("reports:version", args=[version.pk]))


@requires(roles.follows_programme)
def report_list(request: HttpRequest) -> HttpResponse:
    writer = roles.writes_reports.test(request.user)
    reports = BoardReport.objects.select_related("assignment", "reporting_point").order_by("-report_date", "-pk")
    versions = BoardReportVersion.objects.select_related("report", "frozen_by").order_by("report", "-version")
    by_report: dict[int, list[BoardReportVersion]] = {}
    for version in versions:
        by_report.setdefault(version.report_id, []).append(version)
    rows = [(report, by_report.get(report.pk, [])) for report in reports if writer or by_report.get(report.pk)]
    return render(request, "reports/report_list.html", {"rows": rows, "may_write": writer})


def _initial_for_new() -> dict[str, object]:
    today = timezone.localdate()
    # This year's assignment (the latest plan year up to now); a plan of a later year only if nothing else.
    assignments = Assignment.objects.order_by("-plan_year", "pk")
    assignment = assignments.filter(plan_year__lte=today.year).first() or assignments.first()
    point = (
        ReportingPoint.objects.filter(assignment=assignment, year=today.year).order_by("due_on").last()
        if assignment
        else None
    )
    return {
        "assignment": assignment,
        "reporting_point": point,
        "title": gettext("Uppdragsrapportering – %(title)s") % {"title": assignment.title} if assignment else "",
        "year": today.year,
        "as_of": today,
        "report_date": today,
        "recipients": gettext("Enheten Trygghet och säkerhet"),
    }


@requires(roles.writes_reports)
def report_create(request: HttpRequest) -> HttpResponse:
    form = BoardReportForm(request.POST or None, initial=_initial_for_new())
    if request.method == "POST" and form.is_valid():
        report = form.save()
        services.redraft(report)
        messages.success(request, gettext("Tjänsteutlåtandet är skapat och avsnitten är skrivna ur data."))
        return redirect("reports:edit", report.pk)
    return render(request, "reports/report_form.html", {"form": form})


@requires(roles.writes_reports)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport.objects.select_related("assignment"), pk=pk)
    if report.is_frozen:
        form = BoardReportForm(instance=report, with_sections=True)
        for field in form.fields.values():
            field.disabled = True
        if request.method == "POST":
            messages.error(request, gettext("Tjänsteutlåtandet är låst. Skapa en ny version för att ändra det."))
            return redirect("reports:edit", report.pk)
    else:
        form = BoardReportForm(request.POST or None, instance=report, with_sections=True)
        if request.method == "POST" and form.is_valid() and save_versioned(form) is not None:
            messages.success(request, gettext("Tjänsteutlåtandet är sparat."))
            return redirect("reports:edit", report.pk)
    edited = [
        key
        for key in drafting.section_keys(report.include_data_protection, report.include_effect)
        if report.sections.get(key, "") != report.drafted.get(key, "")
    ]
    versions = list(report.versions.select_related("frozen_by").order_by("-version"))
    context = {
        "report": report,
        "form": form,
        "edited": edited,
        "versions": versions,
        "next_version": (versions[0].version if versions else 0) + 1,
        "freeze_confirmation": FREEZE_CONFIRMATION,
        "freeze_title": FREEZE_TITLE,
        "suggested_title": services.title_for(report, request.user),
        "undrawable": services.undrawable_characters(report),
        "locker_name": services.person_name(request.user),
        "job": _job_shown(request),
    }
    return render(request, "reports/report_edit.html", context)


@require_POST
@requires(roles.writes_reports)
def report_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport, pk=pk)
    if report.is_frozen:
        messages.error(request, gettext("Tjänsteutlåtandet är låst. Skapa en ny version för att ändra det."))
        return redirect("reports:edit", report.pk)
    kept = services.redraft(report)
    titles = drafting.section_titles(gettext)
    if kept:
        messages.warning(
            request,
            gettext("Avsnitten är skrivna om ur data, utom de du har ändrat: %(sections)s.")
            % {"sections": ", ".join(titles[key] for key in kept)},
        )
    else:
        messages.success(request, gettext("Avsnitten är skrivna om ur data."))
    return redirect("reports:edit", report.pk)


@require_POST
@requires(roles.writes_reports)
def report_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport, pk=pk)
    if report.is_frozen:
        messages.error(request, gettext("Tjänsteutlåtandet är redan låst."))
        return redirect("reports:edit", report.pk)
    # Locking cannot be undone (a locked version is never changed): the officer confirms it on the form.
    if request.POST.get(FREEZE_CONFIRMATION) != "ja":
        messages.error(
            request,
            gettext(
                "Tjänsteutlåtandet är inte låst. Kryssa i rutan ”Jag har läst igenom texten och vill låsa den” "
                "för att bekräfta låsningen."
            ),
        )
        return redirect("reports:edit", report.pk)
    title = request.POST.get(FREEZE_TITLE, "").strip()
    if not title:
        messages.error(
            request,
            gettext(
                "Tjänsteutlåtandet är inte låst. Fyll i ”Din titel”: den står med ditt namn i den låsta versionen."
            ),
        )
        return redirect("reports:edit", report.pk)
    try:
        version = services.freeze(report, request.user, title)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:edit", report.pk)
    messages.success(request, gettext("Version %(version)s är låst och kan laddas ned.") % {"version": version.version})
    return redirect("reports:version", version.pk)


@require_POST
@requires(roles.writes_reports)
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport, pk=pk)
    if report.is_frozen:
        services.reopen(report)
        messages.success(request, gettext("En ny version är öppen för ändringar; de låsta versionerna finns kvar."))
    return redirect("reports:edit", report.pk)


def _docx_or_message(
    request: HttpRequest, context: drafting.ReportContext, document: dict[str, Any], filename: str, back: HttpResponse
) -> HttpResponse:
    """The DOCX, or — when the Word template cannot be used — the page `back` with the reason in Swedish."""
    try:
        return _file(services.render_docx(context, document), DOCX, filename)
    except services.ReportTemplateError as error:
        messages.error(request, str(error))
        return back


@requires(roles.writes_reports)
def draft_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport, pk=pk)
    context, document = services.draft_parts(report)
    filename = _filename(report.case_number, "-utkast.docx")
    return _docx_or_message(request, context, document, filename, redirect("reports:edit", report.pk))


@requires(roles.writes_reports)
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(BoardReport, pk=pk)
    context, document = services.draft_parts(report)
    return _file(
        services.render_pdf(context, document),
        "application/pdf",
        _filename(report.case_number, "-utkast.pdf"),
        inline=True,
    )


def _version(pk: int) -> BoardReportVersion:
    return get_object_or_404(BoardReportVersion.objects.select_related("report", "frozen_by"), pk=pk)


@requires(roles.follows_programme)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    context, document = services.version_parts(version)
    titles = drafting.section_titles(gettext)
    sections = [
        (titles[key], drafting.paragraphs(document["sections"].get(key, ""))) for key in document["section_keys"]
    ]
    return render(
        request,
        "reports/version_detail.html",
        {
            "version": version,
            "report_context": context,
            "document": document,
            "report_date": dt.date.fromisoformat(document["report_date"]),
            "sections": sections,
            "may_see_annex": roles.sees_everything(request.user),
            "may_write": roles.writes_reports.test(request.user),
            "job": _job_shown(request),
        },
    )


@requires(roles.follows_programme)
def version_docx(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    context, document = services.version_parts(version)
    filename = _filename(document["case_number"], f"-v{version.version}.docx")
    return _docx_or_message(request, context, document, filename, redirect("reports:version", version.pk))


@requires(roles.follows_programme)
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    context, document = services.version_parts(version)
    suffix = f"-v{version.version}.pdf"
    return _file(services.render_pdf(context, document), "application/pdf", _filename(document["case_number"], suffix))


@requires(roles.sees_all_sites)
def version_annex(request: HttpRequest, pk: int) -> HttpResponse:
    """Exact placements: secret under OSL 18 kap. 8 §, so never for readers."""
    version = _version(pk)
    context, document = services.version_parts(version)
    suffix = f"-v{version.version}-bilaga-sekretess.pdf"
    filename = _filename(document["case_number"], suffix)
    response = _file(services.render_annex_pdf(context, document), "application/pdf", filename)
    patch_cache_control(response, private=True, no_store=True)  # secret: no cache may keep a copy
    log_download(request, "download.report_annex", version, version=version.version, file=filename)
    return response
