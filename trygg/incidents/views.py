"""The need pages under /behov/: sites' need profiles, the ranking, incidents and their import.

Views are thin: they check the request, call `needs` or `services`, and render. Every view names its
access rule (trygg.incidents.access); sites and incidents go through `roles.scope_queryset`.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.listing import Listing
from trygg.core.params import (
    PAGE,
    BadParameter,
    bad_request,
    check_form,
    choice_param,
    next_page_url,
    page_of,
    page_param,
    paged,
    query_without_page,
    record_param,
)
from trygg.incidents import access, listing, needs, recovery, services, stored
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.choices import WORKING_STATES, ImportMode, ImportStatus, IncidentKind
from trygg.incidents.forms import CommitForm, IncidentForm, MappingForm, RankingForm, UploadForm
from trygg.incidents.models import ImportRun, Incident, IncidentSource
from trygg.incidents.parsing import FIELD_LABELS, FIELDS, unused_columns
from trygg.incidents.profile import heat_cell_label
from trygg.jobs import recovery as job_recovery
from trygg.sites.models import Site

WEEKDAYS = [_("Måndag"), _("Tisdag"), _("Onsdag"), _("Torsdag"), _("Fredag"), _("Lördag"), _("Söndag")]


def _weekday_names() -> list[str]:
    return [str(name) for name in WEEKDAYS]


def _visible_sites(request: HttpRequest) -> Any:
    """Sites whose need the user may see: readers see every site's aggregates, contacts their own."""
    if access.is_reader(request.user) and not roles.is_staff_role(request.user):
        return Site.objects.all()
    return roles.scope_queryset(request.user, Site.objects.all())


#
# Overview and profiles
#


SITES_PER_PAGE = 50


@requires(access.sees_need)
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # The order needs every site's count of the last year: read from the stored counts per month.
    sites = needs.overview_sites(_visible_sites(request).select_related("administration"), today)
    try:
        page = paged(request, sites, SITES_PER_PAGE)
    except BadParameter as error:
        return bad_request(error, request)
    page.object_list = list(page.object_list)
    totals = needs.site_totals([s.pk for s in page.object_list])
    for site in page.object_list:
        site.total, site.cost = totals.get(site.pk, (0, None))
    context = {
        "sites": page,
        "listing": Listing(page, [], "", False, "", PAGE),
        "today": today,
        "may_record": access.may_record_incidents(request.user),
        "sees_ranking": access.sees_ranking(request.user),
        "sees_details": access.sees_incident_details(request.user),
    }
    return render(request, "incidents/index.html", context)


def _profile_site(request: HttpRequest, pk: int) -> Site:
    return get_object_or_404(_visible_sites(request).select_related("administration"), pk=pk)


@requires(access.sees_need)
def site_profile(request: HttpRequest, pk: int) -> HttpResponse:
    site = _profile_site(request, pk)
    today = timezone.localdate()
    result = needs.profile_for(site, today)
    details = access.sees_incident_details(request.user)
    weekdays = _weekday_names()
    heat_rows = [
        {
            "weekday": weekdays[day],
            "cells": [
                {
                    "hour": hour,
                    "value": value,
                    "label": heat_cell_label(value),
                    "level": _level(result.heat.share(day, hour)),
                }
                for hour, value in enumerate(result.heat.cells[day])
            ],
            "total": sum(result.heat.cells[day]),
        }
        for day in range(7)
    ]
    kinds = list(IncidentKind)
    years = list(result.by_year_and_kind)
    context = {
        "site": site,
        "today": today,
        "profile": result,
        "heat_rows": heat_rows,
        "hours": range(24),
        "kind_rows": [{"label": IncidentKind(kind).label, "tally": tally} for kind, tally in result.by_kind.items()],
        "year_kind_header": [k.label for k in kinds if any(result.by_year_and_kind[y].get(k) for y in years)],
        "year_kind_rows": [
            {
                "year": year,
                "counts": [
                    result.by_year_and_kind[year].get(k, 0)
                    for k in kinds
                    if any(result.by_year_and_kind[y].get(k) for y in years)
                ],
                "tally": result.by_year[year],
            }
            for year in years
        ],
        "schedules": [
            {
                "name": name,
                "coverage": coverage,
                "share": None if coverage.share_inside is None else round(coverage.share_inside * 100),
                "top_uncovered": [
                    {"weekday": weekdays[u.weekday], "hour": u.hour, "incidents": u.incidents}
                    for u in coverage.uncovered[:8]
                ],
            }
            for name, coverage in result.schedules.items()
        ],
        "details": details,
        "latest": (
            Incident.objects.filter(site=site)
            .select_related("source")
            .order_by("-occurred_on", "-occurred_time", "-pk")[:20]
            if details
            else []
        ),
        "may_record": access.may_record_incidents(request.user),
        "new": _new_incident(request, site),
    }
    return render(request, "incidents/profile.html", context)


def _new_incident(request: HttpRequest, site: Site) -> Incident | None:
    """The incident just recorded (`?ny=<pk>`), to confirm it on the profile."""
    value = request.GET.get("ny", "")
    if not value.isdigit():
        return None
    return Incident.objects.filter(site=site, pk=int(value)).first()


def _level(share: float) -> int:
    """The colour step, 0–5, of a heat-map cell (0 = no incidents)."""
    if share <= 0:
        return 0
    return min(5, 1 + int(share * 5))


@requires(access.sees_need)
def site_profile_json(request: HttpRequest, pk: int) -> JsonResponse:
    site = _profile_site(request, pk)
    result = needs.profile_for(site, timezone.localdate())
    return JsonResponse(
        needs.profile_json(site, result, access.sees_incident_details(request.user)),
        json_dumps_params={"ensure_ascii": False},
    )


#
# Ranking
#


def _ranking(request: HttpRequest) -> tuple[RankingForm, stored.Ranked, dict[str, Any]]:
    """The form, the ranking of every site for its settings (stored, `trygg.incidents.stored`), and the values.

    Raises BadParameter naming the field when a setting is refused (a date outside 1900–2100, a number out
    of range): the ranking is never silently computed with other settings than those asked for.
    """
    data = request.GET.copy()
    if "as_of" in data and "datum" not in data:  # the date's name in older links
        data["datum"] = data.pop("as_of")[-1]
    form = RankingForm(data or None, initial={"as_of": timezone.localdate(), "years": 5, "half_life": 2, "harm": "ja"})
    check_form(form)
    values = form.settings_values()
    settings = needs.ranking_settings(values["as_of"], values["years"], values["half_life_years"], values["harm"])
    return form, stored.ranked(settings), values


def _page_rows(page: Any) -> list[tuple[pure_ranking.SiteRank, Site]]:
    """The page's stored rows as the ranking's rows, each with its site (one query for the page)."""
    sites = Site.objects.select_related("administration").in_bulk([r.site_id for r in page])
    return [(r.as_site_rank(), sites[r.site_id]) for r in page]


@requires(access.sees_ranking)
def ranking(request: HttpRequest) -> HttpResponse:
    """Every site ranked by its estimated need, SITES_PER_PAGE a page (`?sida=`), for the form's settings."""
    try:
        form, result, values = _ranking(request)
        # The ranking is of every site; the page shows it a page of SITES_PER_PAGE at a time.
        page = paged(request, result.ranks, SITES_PER_PAGE)
    except BadParameter as error:
        return bad_request(error, request)
    years = result.years[-5:]
    rows = [
        {
            "rank": row,
            "site": site,
            "per_year": [row.per_year.get(year, 0) for year in years],
            "shrink_percent": round((1 - row.weight_on_own_data) * 100),
        }
        for row, site in _page_rows(page)
    ]
    weights = result.settings.harm_weights
    context = {
        "form": form,
        "ranking": result,
        "rows": rows,
        "years": years,
        "values": values,
        "weights": [(IncidentKind(k).label, w) for k, w in (weights or {}).items()],
        "small_numbers": pure_ranking.SMALL_NUMBERS,
        "level_percent": round(result.settings.level * 100),
        "sees_details": roles.is_staff_role(request.user),
        "listing": Listing(page, [], "", False, query_without_page(request), PAGE),
    }
    return render(request, "incidents/ranking.html", context)


SITES_PER_JSON_PAGE = 200


@requires(access.sees_ranking)
def ranking_json(request: HttpRequest) -> HttpResponse:
    """The ranking as data, SITES_PER_JSON_PAGE sites a page (`?sida=2`; `?page=` as before), with the total
    number of sites and the address of the next page."""
    try:
        number = page_param(request)
        _form, result, _values = _ranking(request)
        paginator = Paginator(result.ranks, SITES_PER_JSON_PAGE)
        page = page_of(paginator, number)
    except BadParameter as error:
        return bad_request(error)
    settings = result.settings
    following = next_page_url(request, page)
    return JsonResponse(
        {
            "total_sites": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "next": following,
            "as_of": settings.as_of.isoformat(),
            "years": settings.years,
            "half_life_years": settings.half_life_years,
            "harm_weights": settings.harm_weights,
            "prior": {
                "mean": result.prior.mean,
                "shape": result.prior.shape,
                "rate": result.prior.rate,
                "phi": result.prior.phi,
            },
            "interval_level": settings.level,
            "sites": [
                {
                    "rank": r.rank,
                    "plausible_ranks": [r.rank_best, r.rank_worst],
                    "site": {"id": r.site, "name": site.name},
                    "incidents": r.count,
                    "incidents_per_year": {str(y): n for y, n in r.per_year.items()},
                    "weighted": round(r.weighted, 4),
                    "exposure_years": round(r.exposure, 4),
                    "raw_rate": round(r.raw_rate, 4),
                    "rate": round(r.rate, 4),
                    "interval": [round(r.low, 4), round(r.high, 4)],
                    "weight_on_own_data": round(r.weight_on_own_data, 4),
                    "cost": str(r.cost),
                    "cost_per_year": str(r.cost_per_year),
                    "small_numbers": r.small_numbers,
                }
                for r, site in _page_rows(page)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


#
# Incidents
#


# With more sites than this in the user's scope, the list's site filter is a name search, not a choice.
SITE_OPTIONS = 50


@requires(access.sees_incident_details)
def incident_list(request: HttpRequest) -> HttpResponse:
    """Incidents the user may see, newest first, 50 a page (`?sida=`), by site (`?plats=<id>`, or
    `?platsnamn=` part of a site's name) and kind (`?typ=`); a bad page number, a site that is not one of
    the user's or an unknown kind is refused (400, Swedish, naming the field).

    Queries do not grow with the number of sites or incidents (`trygg.incidents.listing`).
    """
    sites = roles.scope_queryset(request.user, Site.objects.all())
    # None: every site; else the sites shown, as a plain list the index on the site can use.
    site_ids = None if roles.sees_everything(request.user) else list(sites.values_list("pk", flat=True))
    name = request.GET.get("platsnamn", "").strip()[:100]
    incidents = Incident.objects.select_related("site", "source")
    try:
        # A site the user may not see is refused like one that does not exist: 400 naming the field.
        site = record_param(request, "plats", gettext("Plats"), sites)
        kind = choice_param(request, "typ", gettext("Typ av händelse"), IncidentKind.choices)
        if site is not None:
            site_ids, name = [site.pk], ""
        elif name:
            site_ids = list(sites.filter(name__icontains=name).values_list("pk", flat=True))
        if kind:
            incidents = incidents.filter(kind=kind)
        page = listing.incident_page(incidents, site_ids, page_param(request))
    except BadParameter as error:
        return bad_request(error, request)
    options = list(sites.order_by("name").only("pk", "name")[: SITE_OPTIONS + 1])
    context = {
        "page": page,
        "site": site,
        "site_name": name,
        # A choice of every site while they are few; else a search on the name (the list stays small).
        "sites": options if len(options) <= SITE_OPTIONS else None,
        "kind": kind,
        "kinds": IncidentKind.choices,
        "may_record": access.may_record_incidents(request.user),
    }
    return render(request, "incidents/incident_list.html", context)


@requires(access.may_record_incidents)
def incident_add(request: HttpRequest) -> HttpResponse:
    initial = {}
    if (site_id := request.GET.get("plats", "")).isdigit():
        initial["site"] = int(site_id)
    form = IncidentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        incident = form.save(commit=False)
        incident.recorded_by = request.user
        with transaction.atomic():
            incident.save()
        # The profile confirms it (base.html's message list is not yet a valid list for screen readers).
        return redirect(reverse("incidents:site_profile", args=[incident.site_id]) + f"?ny={incident.pk}")
    return render(request, "incidents/incident_form.html", {"form": form})


#
# Import
#


def _runs(request: HttpRequest) -> Any:
    runs = ImportRun.objects.select_related("source", "default_site", "created_by")
    if roles.sees_everything(request.user):
        return runs
    return runs.filter(created_by=request.user)


def _run(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(_runs(request), pk=pk)


@requires(access.may_record_incidents)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            source = form.cleaned_data["source"]
            if source is None and form.manages_sources:
                source = IncidentSource.objects.create(name=form.cleaned_data["new_source"].strip())
            upload = form.cleaned_data["file"]
            run = ImportRun.objects.create(
                source=source,
                file=upload,
                original_name=upload.name[:255],
                default_site=form.cleaned_data["default_site"],
                created_by=request.user,
            )
        services.inspect_upload(run)
        return redirect(
            "incidents:import_run" if run.status == ImportStatus.FAILED else "incidents:import_mapping", pk=run.pk
        )
    context = {"form": form, "runs": _runs(request)[:10]}
    return render(request, "incidents/import_upload.html", context)


@requires(access.may_record_incidents)
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status not in {ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED} or not run.headers:
        return redirect("incidents:import_run", pk=run.pk)
    form = MappingForm(
        request.POST or None,
        initial=run.mapping,
        headers=run.headers,
        has_default_site=run.default_site_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        run.mapping = form.mapping()
        run.mode = ImportMode.ALL
        run.save(update_fields=["mapping", "mode"])
        if access.manages_import_sources.test(request.user):
            source = run.source
            source.column_mapping = run.mapping  # remembered for the next file from this source
            source.save()
        services.enqueue(run, ImportStatus.QUEUED_CHECK)
        return redirect("incidents:import_run", pk=run.pk)
    preview = []
    try:
        table = services.open_table(run)
        for number, cells in table.rows():
            preview.append({"row": number, "cells": ["" if c is None else c for c in cells[: len(run.headers)]]})
            if len(preview) >= 5:
                break
    except (services.tabular.FileProblem, OSError, ValueError):
        preview = []  # the file is unreadable or gone; checking it will say why
    context = {
        "run": run,
        "form": form,
        "remembers_mapping": access.manages_import_sources.test(request.user),
        "fields": [(form[name], gettext(FIELD_LABELS[name])) for name in FIELDS],
        "preview": preview,
    }
    return render(request, "incidents/import_mapping.html", context)


def _run_context(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    percent = None
    return {
        "run": run,
        "working": run.status in WORKING_STATES,
        "percent": percent,
        "may_import_all": services.may_import(run, ImportMode.ALL) is None,
        "may_import_valid": services.may_import(run, ImportMode.VALID_ONLY) is None,
        "why_not_all": services.may_import(run, ImportMode.ALL),
        "modes": ImportMode,
        "unused_columns": unused_columns(run.headers, run.mapping) if run.headers else [],
        "choosable_sites": services.sites_to_choose(run) if run.status == ImportStatus.CHECKED else [],
    }


@requires(access.may_record_incidents)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    if run.status in recovery.RUNNING and recovery.recover_stale(
        timezone.now(), job_recovery.stale_after(), ImportRun.objects.filter(pk=run.pk)
    ):
        run.refresh_from_db()  # its process died: undone, and the page says so
    return render(request, "incidents/import_run.html", _run_context(request, run))


@require_POST
@requires(access.may_record_incidents)
def import_sites(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's choice of site for the place texts that named none ("text i filen → plats"); the file
    is then checked again."""
    run = _run(request, pk)
    if run.status != ImportStatus.CHECKED:
        return redirect("incidents:import_run", pk=run.pk)
    with transaction.atomic():
        problem = services.confirm_sites(run, request.POST)
    if problem:
        context = _run_context(request, run) | {"sites_problem": problem}
        return render(request, "incidents/import_run.html", context, status=400)
    services.enqueue(run, ImportStatus.QUEUED_CHECK)
    return redirect("incidents:import_run", pk=run.pk)


@requires(access.may_record_incidents)
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls (htmx) while a pass is running."""
    run = _run(request, pk)
    response = render(request, "incidents/_import_progress.html", _run_context(request, run))
    if run.status not in WORKING_STATES and request.htmx:
        response["HX-Refresh"] = "true"  # the pass is over: show the whole preview or result
    return response


@require_POST
@requires(access.may_record_incidents)
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    form = CommitForm(request.POST)
    # A refused choice goes back to the run page, which says why (`may_import`).
    if not form.is_valid() or services.may_import(run, form.cleaned_data["mode"]):
        return redirect("incidents:import_run", pk=run.pk)
    mode = form.cleaned_data["mode"]
    run.mode = mode
    services.enqueue(run, ImportStatus.QUEUED_IMPORT)
    return redirect("incidents:import_run", pk=run.pk)


@requires(access.may_record_incidents)
def import_rejected(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = _run(request, pk)
    if run.status == ImportStatus.UPLOADED or not run.headers:
        raise Http404
    if run.error_rows and not (run.file and run.file.storage.exists(run.file.name)):
        raise Http404(gettext("Filen finns inte längre kvar."))
    response = StreamingHttpResponse(services.rejected_rows_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="avvisade-rader-{run.pk}.csv"'
    return response
