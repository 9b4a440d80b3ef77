"""Evaluation pages: list, new (from a site page), detail with the result, edit, and the programme.

Officers and the admin create and edit; the DPO and readers read; an administration contact reads
only evaluations whose treated sites are all its administration's. Views stay thin: the counts come
from `services`, the method and words from `verdict`, the chart from `charts`.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.core import roles
from trygg.core.access import requires
from trygg.evaluation import charts, programme, services, verdict
from trygg.evaluation.errors import StatsError
from trygg.evaluation.forms import EvaluationForm
from trygg.evaluation.models import Evaluation, InterventionKind, add_months
from trygg.incidents.choices import IncidentKind
from trygg.sites.models import Site

STATS_ERRORS = {
    "zero-count": gettext_lazy(
        "En av räknesiffrorna är 0, så kvoten kan inte skattas. Välj längre perioder, fler platser eller fler kontrollplatser."
    ),
    "too-short": gettext_lazy("Månadsserien är för kort för skattningen."),
}


def visible_evaluations(request: HttpRequest):
    """Evaluations the user may read: all for those who see all sites and readers; for an administration
    contact only those whose treated sites all belong to its administrations."""
    queryset = Evaluation.objects.all()
    user = request.user
    if roles.sees_everything(user) or roles.Role.READER in roles.roles_of(user):
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
    # ?plats=<id> (the yearly review links here): that site's evaluations, or an offer to make one.
    site = None
    if request.GET.get("plats", "").isdigit() and len(request.GET["plats"]) < 10:
        site = get_object_or_404(roles.scope_queryset(request.user, Site.objects.all()), pk=int(request.GET["plats"]))
        evaluations = evaluations.filter(sites=site).distinct()
    return render(
        request,
        "evaluation/evaluation_list.html",
        {"evaluations": evaluations, "site": site, "may_edit": roles.edits_register.test(request.user)},
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


@requires(roles.follows_programme)
def programme_evaluation(request: HttpRequest) -> HttpResponse:
    summary = programme.evaluate_programme(_)
    return render(request, "evaluation/programme.html", {"summary": summary})
