"""Compliance pages: the checklist per camera, signs, the registers, public information.

Views are thin: they parse the request, ask the service modules of `trygg.compliance`, and render. Every view
names its access rule; camera pages are scoped to what the user may see (`scope_queryset`).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from trygg.cameras.models import Camera
from trygg.compliance import checklist as checklists
from trygg.compliance import facts, fixes, public, registers, stored
from trygg.compliance import findings as found
from trygg.compliance.choices import PaperSize
from trygg.compliance.models import ProcessingRecord
from trygg.core import export_cache, roles
from trygg.core.access import requires
from trygg.core.limits import echo
from trygg.core.models import Organisation
from trygg.core.params import BadParameter, bad_request, date_param, next_page_url, page_of, page_param
from trygg.jobs import runner as jobs
from trygg.jobs.models import Job, JobKind
from trygg.sites.models import Site

# The list of checklists as data is paged: a page's work does not grow with the number of cameras.
CAMERAS_PER_JSON_PAGE = 500


def _camera(request: HttpRequest, pk: int) -> Camera:
    return get_object_or_404(roles.scope_queryset(request.user, Camera.objects.select_related("site")), pk=pk)


@requires(roles.is_staff_role)
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    camera = _camera(request, pk)
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    compliance = facts.compliance_for(camera, on_date, as_it_was=True)
    data = checklists.checklist_data(compliance)
    checks = data["checks"]
    fixes.with_fix_links(checks, camera, compliance.documents, request.user)
    context = {
        "camera": camera,
        "on_date": on_date,
        "data": data,
        "blockers": [c for c in checks if c["severity"] == "blocker" and not c["passed"]],
        "warnings": [c for c in checks if c["severity"] != "blocker" and not c["passed"]],
        "passed": [c for c in checks if c["passed"]],
        "compliance": compliance,
        "state_label": compliance.lifecycle.state,
        "papers": PaperSize.choices,
        "past": on_date < timezone.localdate(),
        "may_edit": roles.edits_register.test(request.user),
    }
    return render(request, "compliance/checklist.html", context)


FINDINGS_PER_PAGE = 50


@requires(roles.is_staff_role)
def findings(request: HttpRequest) -> HttpResponse:
    """The page "Lagkrav som behöver åtgärdas": every camera the user may see with a failing blocker or
    warning today, FINDINGS_PER_PAGE a page, optionally one severity (`?allvarlighet=hinder|varning`)."""
    severity = request.GET.get("allvarlighet", "")
    try:
        if severity not in ("", *found.SEVERITY_ORDERS):
            raise BadParameter(
                gettext("Fältet ”Allvar” ska vara ”hinder”, ”varning” eller tomt (fick ”%(value)s”).")
                % {"value": echo(severity)}
            )
        in_scope = stored.stored_in_scope(request.user)
        rows = found.today(in_scope, severity)
        page = page_of(Paginator(rows, FINDINGS_PER_PAGE), page_param(request))
    except BadParameter as error:
        return bad_request(error, request)
    context = {
        "page": page,
        "findings": found.shown(page.object_list, request.user),
        "severity": severity,
        "severities": [("", _("Hinder och varningar")), ("hinder", _("Hinder")), ("varning", _("Varningar"))],
        "computed_on": stored.oldest_computed_on(in_scope),
    }
    return render(request, "compliance/findings.html", context)


@requires(roles.is_staff_role)
def checklist_json(request: HttpRequest, pk: int) -> HttpResponse:
    camera = _camera(request, pk)
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    return JsonResponse(checklists.checklist_data(facts.compliance_for(camera, on_date, as_it_was=True)))


@requires(roles.is_staff_role)
def checklist_list_json(request: HttpRequest) -> HttpResponse:
    """Every camera the user may see with its gate status on the date, CAMERAS_PER_JSON_PAGE a page
    (`?page=2`; `total_cameras`, `pages` and the address of the `next` page), in a fixed number of queries.

    Today's results are stored; for another date only the page's cameras are judged as they were."""
    try:
        on_date = date_param(request)
        number = page_param(request)
        cameras = roles.scope_queryset(request.user, Camera.objects.all())
        if on_date == timezone.localdate():
            page = page_of(
                Paginator(stored.stored_in_scope(request.user).order_by("camera__identifier"), CAMERAS_PER_JSON_PAGE),
                number,
            )
        else:
            page = page_of(
                Paginator(cameras.order_by("identifier").values_list("pk", flat=True), CAMERAS_PER_JSON_PAGE), number
            )
    except BadParameter as error:
        return bad_request(error, request)
    paging = {
        "date": on_date.isoformat(),
        "total_cameras": page.paginator.count,
        "page": number,
        "pages": page.paginator.num_pages,
        "next": next_page_url(request, page),
    }
    if on_date == timezone.localdate():
        # Today's results are stored (trygg.compliance.stored), each with the date it was computed.
        # The link is made once and each camera's id put in (reverse per camera was most of the time).
        placeholder = 2_147_483_647
        before, after = reverse("compliance:checklist_json", args=[placeholder]).split(str(placeholder))
        rows = [
            {
                "camera": identifier,
                "url": f"{before}{pk}{after}",
                "state": state or None,
                "activation_allowed": allowed,
                "assessment_stale": stale,
                "blockers": blockers,
                "warnings": warnings,
                "computed_on": computed_on.isoformat(),
            }
            for pk, identifier, state, allowed, stale, blockers, warnings, computed_on in page.object_list.values_list(
                "camera_id",
                "camera__identifier",
                "state",
                "activation_allowed",
                "assessment_stale",
                "blockers",
                "warnings",
                "computed_on",
            )
        ]
        return JsonResponse({**paging, "cameras": rows})
    rows = []
    on_page = cameras.filter(pk__in=list(page.object_list)).order_by("identifier")
    for item in facts.compliance_for_many(facts.cameras_for_compliance(on_page), on_date, as_it_was=True):
        checks = item.checklist()
        rows.append(
            {
                "camera": item.camera.identifier,
                "url": reverse("compliance:checklist_json", args=[item.camera.pk]),
                "state": item.lifecycle.state,
                "activation_allowed": all(c.passed for c in checks if c.severity == "blocker"),
                "assessment_stale": bool(item.increases),
                "blockers": [c.code for c in checks if c.severity == "blocker" and not c.passed],
                "warnings": [c.code for c in checks if c.severity != "blocker" and not c.passed],
                "computed_on": on_date.isoformat(),
            }
        )
    return JsonResponse({**paging, "cameras": rows})


@requires(roles.is_staff_role)
def sign_pdf(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    camera = _camera(request, pk)
    if paper not in PaperSize.values:
        raise Http404
    url = request.build_absolute_uri(reverse("compliance_public:public_site", args=[camera.site_id]))
    response = HttpResponse(public.sign_pdf(camera, paper, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skylt-{camera.identifier}-{paper}.pdf"'
    return response


@requires(roles.sees_all_sites)
def register(request: HttpRequest) -> HttpResponse:
    try:
        on_date = date_param(request)
        context = registers.register_page_context(on_date, page_param(request))
    except BadParameter as error:
        return bad_request(error, request)
    job_id = request.GET.get("jobb", "")
    context["job"] = (
        Job.objects.filter(pk=int(job_id), kind=JobKind.REGISTER_PDF, started_by=request.user).first()
        if job_id.isdigit()
        else None
    )
    return render(request, "compliance/register.html", context)


@requires(roles.sees_all_sites)
def register_csv(request: HttpRequest) -> HttpResponse:
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    body, _details = export_cache.get_or_build(
        "register_csv", request, lambda: ("".join(registers.register_csv_lines(on_date)).encode(), {})
    )
    registers.log_register_export("csv", on_date, request.user)
    # Written once per state of the data and date (trygg.core.export_cache), then served as it is.
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="forteckning-{on_date.isoformat()}.csv"'
    return response


@requires(roles.sees_all_sites)
def register_pdf(request: HttpRequest) -> HttpResponse:
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    response = HttpResponse(registers.register_pdf(on_date), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="forteckning-{on_date.isoformat()}.pdf"'
    registers.log_register_export("pdf", on_date, request.user)
    return response


@require_POST
@requires(roles.sees_all_sites)
def register_pdf_job(request: HttpRequest) -> HttpResponse:
    """Start drawing the register PDF in the background; the register page then shows its progress."""
    try:
        on_date = date_param(request)  # in the form's action, as on the page
    except BadParameter as error:
        return bad_request(error, request)
    job = jobs.start(JobKind.REGISTER_PDF, request.user, {"on_date": on_date.isoformat()}, request)
    return redirect(f"{reverse('compliance:register')}?datum={on_date.isoformat()}&jobb={job.pk}")


class ImyRequestForm(forms.Form):
    imy_case_number = forms.CharField(
        label=_("IMY:s diarienummer"),
        max_length=50,
        help_text=_("Diarienumret på IMY:s begäran, t.ex. IMY-2025-1234."),
        error_messages={"required": _("Fyll i fältet ”IMY:s diarienummer”.")},
    )
    on_date = forms.DateField(
        label=_("förteckningen per datum"),
        initial=timezone.localdate,
        error_messages={
            "required": _("Fyll i fältet ”förteckningen per datum”."),
            "invalid": _("Fältet ”förteckningen per datum” ska vara ett datum som ÅÅÅÅ-MM-DD."),
        },
    )


@requires(roles.sees_all_sites)
def imy_request(request: HttpRequest) -> HttpResponse:
    """The register handed to IMY on request (10 § KBL); the export is itself logged."""
    form = ImyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        on_date = form.cleaned_data["on_date"]
        case_number = form.cleaned_data["imy_case_number"].strip()
        pdf = registers.register_pdf(on_date, imy_case_number=case_number)
        registers.log_register_export("pdf", on_date, request.user, imy_case_number=case_number)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="forteckning-imy-{on_date.isoformat()}.pdf"'
        return response
    return render(request, "compliance/imy_request.html", {"form": form})


@requires(roles.sees_all_sites)
def processing_record(request: HttpRequest) -> HttpResponse:
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    context = {"summary": registers.processing_summary(on_date), "may_edit": roles.edits_register.test(request.user)}
    return render(request, "compliance/processing_record.html", context)


@requires(roles.sees_all_sites)
def processing_csv(request: HttpRequest) -> HttpResponse:
    try:
        on_date = date_param(request)
    except BadParameter as error:
        return bad_request(error, request)
    response = HttpResponse(registers.processing_csv(on_date), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="art30-kamerabevakning-{on_date.isoformat()}.csv"'
    return response


PUBLIC_PAGE_STATES = facts.ONGOING_STATES | {"installed"}


PUBLIC_SITES_PER_PAGE = 100


def _public_sites(on_date: dt.date, states: frozenset[str] = facts.ONGOING_STATES) -> QuerySet[Site]:
    """Sites with a camera in one of `states` on the date (by default in operation or paused), as one query
    with the cameras as a subquery: no list of ids passes through Python.

    For today the test is EXISTS over the site's cameras' stored state (the index on the camera's site), so
    one site's page or a page of names probes only those sites' cameras, whatever the number of cameras.
    """
    from trygg.cameras.services import cameras_with_state_on

    if on_date >= timezone.localdate():
        return Site.objects.filter(Exists(Camera.objects.filter(site=OuterRef("pk"), state__in=states)))
    cameras = cameras_with_state_on(on_date).filter(state_on_date__in=states)
    return Site.objects.filter(pk__in=cameras.values("site_id"))


@requires(roles.public)
def public_index(request: HttpRequest) -> HttpResponse:
    """Sites with camera surveillance, for the public: names only, PUBLIC_SITES_PER_PAGE a page by name,
    optionally those whose name contains `?sok=` (two queries whatever the number of sites)."""
    today = timezone.localdate()
    search = request.GET.get("sok", "").strip()[:100]
    sites = _public_sites(today)
    if search:
        sites = sites.filter(name__icontains=search)
    try:
        page = page_of(
            Paginator(sites.order_by("name", "pk").only("pk", "name"), PUBLIC_SITES_PER_PAGE), page_param(request)
        )
    except BadParameter as error:
        return bad_request(error, request)
    return render(request, "compliance/public_index.html", {"page": page, "search": search, "today": today})


@requires(roles.public)
def public_site(request: HttpRequest, pk: int) -> HttpResponse:
    """The full art. 13 information for one site (layer 2), without any camera position.

    A site whose cameras are only planned (or removed) answers 404 like a site without cameras, so
    stepping through ids does not reveal where cameras are coming. An installed camera is on the wall
    with its sign, whose link leads here, so its site answers.
    """
    today = timezone.localdate()
    if not _public_sites(today, PUBLIC_PAGE_STATES).filter(pk=pk).exists():
        raise Http404
    site = get_object_or_404(Site, pk=pk)
    organisation = Organisation.current()
    record = public.current_record(organisation) or ProcessingRecord.objects.order_by("pk").first()
    context = {
        "info": public.public_site_information(site, today),
        "organisation": organisation,
        "record": record,
        "contacts": public.public_contacts(organisation, record),
    }
    return render(request, "compliance/public_site.html", context)
