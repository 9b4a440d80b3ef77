"""Evaluation pages: list, new (from a site page), detail with the result, edit, and the programme.

Officers and the admin create and edit; the DPO and readers read; an administration contact reads
only evaluations whose treated sites are all its administration's. Views stay thin: the counts come
from `services` (the programme's from `programme_store`), the method and words from `verdict`, the chart from `charts`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.listing import Listing
from trygg.evaluation import charts, programme_store, services, verdict
from trygg.evaluation.errors import StatsError
from trygg.evaluation.forms import EvaluationForm
from trygg.evaluation.models import Evaluation, InterventionKind, add_months
from trygg.incidents.choices import IncidentKind
from trygg.jobs import runner
from trygg.jobs.models import Job, JobKind
from trygg.sites.models import Site

STATS_ERRORS = {
    "zero-count": gettext_lazy(
        "En av räknesiffrorna är 0, så kvoten kan inte skattas. Välj längre perioder, fler platser eller fler kontrollplatser."
    ),
    "too-short": gettext_lazy("Månadsserien är för kort för skattningen."),
}


def reads_all_evaluations(user) -> bool:
    """Those who see all sites, and readers (board members follow every site's effect, not its cameras)."""
    return roles.sees_everything(user) or roles.Role.READER in roles.roles_of(user)


def visible_evaluations(request: HttpRequest):
    """Evaluations the user may read: all for those who see all sites and readers; for an administration
    contact only those whose treated sites all belong to its administrations."""
    queryset = Evaluation.objects.all()
    user = request.user
    if reads_all_evaluations(user):
        return queryset
    if roles.Role.ADMINISTRATION_CONTACT in roles.roles_of(user):
        own = roles.administration_ids(user)
        return (
            queryset.filter(sites__administration__in=own)
            .exclude(sites__in=Site.objects.exclude(administration__in=own))
            .distinct()
        )
    return queryset.none()


@requires(roles.has_role)
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = visible_evaluations(request).prefetch_related(
        Prefetch("sites", queryset=Site.objects.order_by("name")), "control_sites"
    )
    # ?plats=<id> (the yearly review and the programme page link here): that site's evaluations, or an
    # offer to make one. A reader may ask for any site, as it reads every evaluation.
    site = None
    if request.GET.get("plats", "").isdigit() and len(request.GET["plats"]) < 10:
        sites = Site.objects.all()
        if not reads_all_evaluations(request.user):
            sites = roles.scope_queryset(request.user, sites)
        site = get_object_or_404(sites, pk=int(request.GET["plats"]))
        evaluations = evaluations.filter(sites=site).distinct()
    return render(
        request,
        "evaluation/evaluation_list.html",
        {
            "evaluations": evaluations,
            "site": site,
            "may_edit": roles.edits_register.test(request.user),
            # Links are shown only to those who may follow them (the contact may not read the programme).
            "may_follow_programme": roles.follows_programme.test(request.user),
        },
    )


def _initial_for(site: Site) -> dict:
    """A new evaluation of `site`: its cameras' first day in operation, 12 + 12 months, suggested controls."""
    started = services.first_operation([site])
    initial = {"sites": [site.pk], "title": _("Kamerorna vid %(site)s") % {"site": site.name}}
    if started is None:
        return initial
    periods = services.default_periods(started)
    controls = services.suggest_controls(
        [site], periods.before_start, add_months(periods.after_start, periods.after_months)
    )
    return initial | {
        "intervention_kind": InterventionKind.CAMERAS,
        "intervention_on": started,
        "before_start": periods.before_start,
        "before_months": periods.before_months,
        "after_start": periods.after_start,
        "after_months": periods.after_months,
        "control_sites": [control.pk for control in controls],
    }


@requires(roles.edits_register)
def evaluation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk) if pk else None
    initial = {}
    site = None
    if evaluation is None and request.GET.get("plats", "").isdigit():
        site = get_object_or_404(Site, pk=int(request.GET["plats"]))
        initial = _initial_for(site)
    form = EvaluationForm(request.POST or None, instance=evaluation, initial=initial)
    if request.method == "POST" and form.is_valid():
        after_end = add_months(form.cleaned_data["after_start"], form.cleaned_data["after_months"])
        until = services.data_until()
        if after_end > until:
            form.add_error(
                "after_months",
                _(
                    "Efterperioden slutar %(date)s, men händelseregistret har hela månader bara till %(until)s. "
                    "Välj en kortare efterperiod eller vänta."
                )
                % {"date": after_end, "until": until},
            )
        else:
            with transaction.atomic():
                evaluation = form.save()
            messages.success(request, _("Utvärderingen är sparad."))
            return redirect("evaluation:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"form": form, "evaluation": evaluation, "site": site, "suggested": bool(initial.get("control_sites"))},
    )


@requires(roles.has_role)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(visible_evaluations(request), pk=pk)
    facts, series, used = services.facts_for(evaluation)
    result = error = None
    try:
        result = verdict.evaluate(facts, _)
    except StatsError as problem:
        error = STATS_ERRORS.get(problem.code) or _("Siffrorna räcker inte för en skattning.")
        warnings = verdict.warnings_for(facts, sum(series.treated[_before_slice(facts)]), _)
    else:
        warnings = result.warnings
    chart = charts.series_svg(
        series.months,
        series.treated,
        series.control,
        (evaluation.before_start, evaluation.before_end, evaluation.after_start, evaluation.after_end),
        evaluation.intervention_on,
        charts.ChartText(
            title=_("Händelser per månad"),
            treated_label=_("Utvärderade platser"),
            control_label=_("Kontrollplatser"),
            intervention_label=_("Insatsen"),
            before_label=_("Före"),
            after_label=_("Efter"),
            y_label=_("Antal"),
        ),
    )
    rows = [
        {
            "month": month,
            "treated": treated,
            "control": series.control[i] if series.control is not None else None,
            "period": _("före")
            if evaluation.before_start <= month < evaluation.before_end
            else _("efter")
            if evaluation.after_start <= month < evaluation.after_end
            else "",
        }
        for i, (month, treated) in enumerate(zip(series.months, series.treated, strict=True))
    ]
    return render(
        request,
        "evaluation/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "result": result,
            "error": error,
            "warnings": warnings,
            "chart": chart,
            "rows": rows,
            "used": used,
            "kinds": [str(IncidentKind(kind).label) for kind in evaluation.kinds if kind in IncidentKind.values],
            "may_edit": roles.edits_register.test(request.user),
        },
    )


def _before_slice(facts: verdict.EvaluationFacts) -> slice:
    return slice(
        verdict.months_between(facts.series_start, facts.before_start),
        verdict.months_between(facts.series_start, facts.before_end),
    )


PROGRAMME_SITES_PER_PAGE = 100
PROGRAMME_PAGE_PARAM = "sida"  # as the other pages in Swedish; `?page=` of older links still works


@requires(roles.follows_programme)
def programme_evaluation(request: HttpRequest) -> HttpResponse:
    """The stored programme evaluation (`programme_store`), its sites a page at a time (`?sida=`), with when
    it was computed and whether the register changed since or it was computed on an earlier day; a fixed
    number of queries, whatever the sites. `?jobb=<id>`: the recompute job the user started, with its
    progress."""
    effect = programme_store.latest()
    job_id = request.GET.get("jobb", "")
    context = {
        "effect": effect,
        "may_recompute": roles.writes_reports.test(request.user),
        "job": Job.objects.filter(pk=int(job_id), kind=JobKind.PROGRAMME_EFFECT, started_by=request.user).first()
        if job_id.isdigit() and len(job_id) < 10
        else None,
    }
    if effect is not None:
        number = request.GET.get(PROGRAMME_PAGE_PARAM) or request.GET.get("page")
        page = Paginator(programme_store.site_rows(effect), PROGRAMME_SITES_PER_PAGE).get_page(number)
        params = request.GET.copy()
        for name in (PROGRAMME_PAGE_PARAM, "page", "jobb"):
            params.pop(name, None)
        context |= {
            "summary": programme_store.summary_of(effect, page, _),
            "stale": programme_store.staleness(effect),
            "listing": Listing(page, [], "", False, params.urlencode(), PROGRAMME_PAGE_PARAM),
        }
    return render(request, "evaluation/programme.html", context)


@require_POST
@requires(roles.writes_reports)
def programme_recompute(request: HttpRequest) -> HttpResponse:
    """Compute the programme evaluation again in the background; the page then shows the job's progress.

    A computation already queued or running is not queued twice (two tabs, two officers): the user's own
    is shown, someone else's is named in a message.
    """
    job = runner.active_job(JobKind.PROGRAMME_EFFECT)
    if job is None:
        job = runner.start(JobKind.PROGRAMME_EFFECT, request.user, {}, request)
    elif job.started_by_id != request.user.pk:
        starter = job.started_by
        messages.info(
            request,
            _(
                "Programmets effekt räknas redan om: %(name)s startade beräkningen %(time)s. "
                "Ladda om sidan när den är klar för att se det nya resultatet."
            )
            % {
                "name": (starter.get_full_name() or starter.username) if starter else _("någon annan"),
                "time": timezone.localtime(job.created_at).strftime("%H:%M"),
            },
        )
        return redirect("evaluation:programme")
    return redirect(f"{reverse('evaluation:programme')}?jobb={job.pk}")
