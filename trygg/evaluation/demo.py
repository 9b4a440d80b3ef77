"""Demo data for effect evaluation: extra incidents and three evaluations that show the honest cases.

- Sporthallen (cameras in operation 2022-11-01): many incidents for years before, few after; with
  control sites the effect is distinguishable from chance.
- Rimbo bibliotek (camera in operation 2023-04-01): the year before the camera was a peak well above
  the years before it, so the result carries the regression-to-the-mean warning.
- Kvisthamraskolan's lighting (from 2022-09-01): no change that can be told from chance, and other
  measures (guards, graffiti removal) started in the window.

Invented and marked illustrative like the other demo incidents; deterministic and idempotent (stable
keys in the demo source; evaluations looked up by title).
"""

from __future__ import annotations

import datetime as dt
import random

from trygg.evaluation import services
from trygg.evaluation.models import Evaluation, InterventionKind, add_months
from trygg.incidents.demo import ILLUSTRATIVE, SOURCE_NAME, TEXTS
from trygg.incidents.models import Incident, IncidentSource
from trygg.sites.models import Measure, Site

# site: [(first month, last month, extra incidents per month, kinds)]
EXTRA = {
    "Sporthallen": [(dt.date(2020, 1, 1), dt.date(2022, 9, 1), 3, ("break_in", "vandalism", "graffiti"))],
    "Rimbo bibliotek": [(dt.date(2022, 3, 1), dt.date(2023, 2, 1), 2, ("graffiti", "vandalism"))],
}


def planned_extras(site_name: str) -> list[dict]:
    """The extra incidents of one site as field values, the same on every run."""
    rng = random.Random(f"trygg-demo-evaluation:{site_name}")  # noqa: S311 - demo data, not security
    rows = []
    for first, last, per_month, kinds in EXTRA.get(site_name, []):
        month = first
        while month <= last:
            # Around the monthly mean (mean − 1 … mean + 1), so the series does not look drawn with a ruler.
            for number in range(max(0, per_month + rng.choice((-1, 0, 0, 1)))):
                kind = rng.choice(kinds)
                day = month + dt.timedelta(days=rng.randrange(28))
                rows.append(
                    {
                        "kind": kind,
                        "occurred_on": day,
                        "occurred_time": dt.time(rng.choice([19, 21, 22, 23, 1, 2])),
                        "description": rng.choice(TEXTS[kind]) + " " + ILLUSTRATIVE,
                        "reported_by": "Fastighetsskötare",
                        "source_key": f"demo-eval:{site_name}:{month:%Y-%m}:{number}",
                    }
                )
            month = add_months(month, 1)
    return rows


def _evaluation(title: str, sites: list[Site], intervention_on: dt.date, **extra) -> None:
    if Evaluation.objects.filter(title=title).exists():
        return
    periods = services.default_periods(intervention_on)
    evaluation = Evaluation(
        title=title,
        intervention_on=intervention_on,
        before_start=periods.before_start,
        before_months=periods.before_months,
        after_start=periods.after_start,
        after_months=periods.after_months,
        **extra,
    )
    evaluation.full_clean(exclude=["sites", "control_sites"])
    evaluation.save()
    evaluation.sites.set(sites)
    controls = services.suggest_controls(
        sites, periods.before_start, add_months(periods.after_start, periods.after_months)
    )
    evaluation.control_sites.set(controls)


def load_evaluation_demo() -> int:
    """Add the extra incidents (one by one, change-logged) and the three evaluations; returns new incidents."""
    source = IncidentSource.objects.get(name=SOURCE_NAME)
    existing = set(
        Incident.objects.filter(source=source, source_key__startswith="demo-eval:").values_list("source_key", flat=True)
    )
    sites = {site.name: site for site in Site.objects.filter(name__in=[*EXTRA, "Kvisthamraskolan"])}
    created = 0
    for name in EXTRA:
        if name not in sites:
            continue
        for values in planned_extras(name):
            if values["source_key"] in existing:
                continue
            incident = Incident(site=sites[name], source=source, **values)
            incident.full_clean(validate_unique=False)
            incident.save()
            created += 1
    if "Sporthallen" in sites:
        _evaluation(
            "Kamerorna vid Sporthallen",
            [sites["Sporthallen"]],
            services.first_operation([sites["Sporthallen"]]),
            buffer_metres=1100,
            impact_model="Färre inbrott och mindre skadegörelse vid hallens fasader kvällar och nätter. "
            + ILLUSTRATIVE,
        )
    if "Rimbo bibliotek" in sites:
        _evaluation(
            "Kameran vid Rimbo bibliotek",
            [sites["Rimbo bibliotek"]],
            services.first_operation([sites["Rimbo bibliotek"]]),
            impact_model="Mindre klotter och skadegörelse på norra fasaden. " + ILLUSTRATIVE,
        )
    kvisthamra = sites.get("Kvisthamraskolan")
    lighting = Measure.objects.filter(site=kvisthamra, kind="lighting").first() if kvisthamra else None
    if lighting is not None:
        _evaluation(
            "Fasadbelysningen vid Kvisthamraskolan",
            [kvisthamra],
            lighting.started_on,
            intervention_kind=InterventionKind.MEASURE,
            measure=lighting,
            impact_model="Mindre skadegörelse kvällstid när fasaden är upplyst. " + ILLUSTRATIVE,
        )
    return created
