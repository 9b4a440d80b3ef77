"""Demo incidents: a few years of damage reports at the seed's schools and the illustrative sites.

Invented, but consistent with the seed's story: at Kvisthamraskolan the measures tried (lighting from
2022-09-01, guards on weekend nights in 2023, graffiti removal from 2023-03-01) did not have the
intended effect, so incidents go on after them, mostly evenings, nights and weekends; during the
guards' year fewer happen on weekend nights and more on weekday evenings. Rodengymnasiet and Hallsta
skola have fewer incidents (the dialogue about 2025); the illustrative sites say so in each description.

Deterministic (a fixed seed per site) and idempotent: each incident has a stable key in the demo
source, and loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from trygg.demo import data
from trygg.incidents.models import HarmWeight, Incident, IncidentSource
from trygg.incidents.ranking import DEFAULT_HARM_WEIGHTS
from trygg.sites.models import Site

SOURCE_NAME = "Demodata: skadeanmälningar"
ILLUSTRATIVE = "Illustrativt exempel i demodata."
FIRST_YEAR = 2021
LAST_DAY = data.AS_OF - dt.timedelta(days=1)

TEXTS: dict[str, list[str]] = {
    "graffiti": [
        "Klotter på fasaden vid huvudentrén.",
        "Taggar med sprayfärg på gaveln mot parkeringen.",
        "Klotter på dörrar och fönster.",
        "Nytt klotter på fasaden, några dagar efter saneringen.",
    ],
    "vandalism": [
        "Krossad ruta.",
        "Sönderslagen fasadbelysning.",
        "Ytterdörr skadad; låset förstört.",
        "Krossade fönster på baksidan.",
        "Sönderslagna papperskorgar och cykelställ.",
    ],
    "arson": [
        "Anlagd brand i papperskorg vid fasaden.",
        "Brand i soptunna intill byggnaden; sotskador på fasaden.",
        "Försök att tända eld vid entrén.",
    ],
    "break_in": ["Inbrott via krossat fönster; datorer stulna.", "Inbrottsförsök; bruten dörr till förrådet."],
    "disorder": [
        "Ungdomar samlas kvällstid; nedskräpning och krossat glas.",
        "Ordningsstörning; fyrverkerier mot fasaden.",
        "Bråk och hög musik sent på kvällen.",
    ],
    "theft": ["Stöld av utrustning ur förrådet.", "Stöld av cyklar från cykelstället."],
    "threat_or_violence": ["Hot mot personal.", "Misshandel; polis tillkallad."],
    "other": ["Larm utan synlig skada.", "Okänd person i byggnaden efter stängning."],
}
REPORTERS = ["Vaktmästare", "Rektor", "Väktare", "Fastighetsskötare", "Personal", "Polisen"]
POLICE_SHARE = {
    "arson": 0.95,
    "break_in": 0.95,
    "threat_or_violence": 0.9,
    "theft": 0.7,
    "vandalism": 0.45,
    "graffiti": 0.2,
    "disorder": 0.3,
    "other": 0.1,
}
COSTS = {  # kronor, low–high; None = usually no cost
    "graffiti": (2_000, 18_000),
    "vandalism": (3_000, 30_000),
    "arson": (8_000, 120_000),
    "break_in": (10_000, 80_000),
    "theft": (2_000, 40_000),
    "disorder": None,
    "threat_or_violence": None,
    "other": None,
}


@dataclass(frozen=True)
class SitePlan:
    per_year: dict[int, int]  # incidents per calendar year (2024 until the demo's date)
    kinds: tuple[tuple[str, int], ...]  # kind, relative frequency
    pattern: str  # when in the week: school, nightlife, office, summer
    illustrative: bool = True


SCHOOL_KINDS = (
    ("graffiti", 34),
    ("vandalism", 34),
    ("arson", 7),
    ("break_in", 6),
    ("disorder", 12),
    ("theft", 5),
    ("other", 2),
)
PLANS: dict[str, SitePlan] = {
    "Kvisthamraskolan": SitePlan({2021: 31, 2022: 38, 2023: 47, 2024: 44}, SCHOOL_KINDS, "school", False),
    "Rodengymnasiet": SitePlan({2021: 9, 2022: 12, 2023: 14, 2024: 15}, SCHOOL_KINDS, "school", False),
    "Hallsta skola": SitePlan(
        {2021: 3, 2022: 4, 2023: 6, 2024: 5},
        (("vandalism", 40), ("graffiti", 30), ("arson", 15), ("break_in", 15)),
        "school",
        False,
    ),
    "Stora torget": SitePlan(
        {2021: 52, 2022: 58, 2023: 55, 2024: 49},
        (("disorder", 40), ("threat_or_violence", 25), ("vandalism", 20), ("theft", 15)),
        "nightlife",
    ),
    "Kommunhuset": SitePlan(
        {2021: 7, 2022: 6, 2023: 8, 2024: 6},
        (("threat_or_violence", 60), ("vandalism", 20), ("graffiti", 20)),
        "office",
    ),
    "Societetsparken": SitePlan(
        {2021: 26, 2022: 30, 2023: 27, 2024: 22},
        (("vandalism", 40), ("disorder", 30), ("graffiti", 20), ("arson", 10)),
        "summer",
    ),
    "Sporthallen": SitePlan(
        {2021: 22, 2022: 24, 2023: 16, 2024: 12},
        (("break_in", 30), ("vandalism", 35), ("graffiti", 20), ("theft", 15)),
        "school",
    ),
    "Rimbo bibliotek": SitePlan({2021: 8, 2022: 10, 2023: 7, 2024: 6}, (("graffiti", 60), ("vandalism", 40)), "school"),
    "Grisslehamns hamnplan": SitePlan(
        {2021: 2, 2022: 3, 2023: 4, 2024: 3}, (("vandalism", 60), ("disorder", 40)), "summer"
    ),
    "Norrtälje hamn": SitePlan(
        {2021: 14, 2022: 17, 2023: 19, 2024: 21},
        (("disorder", 50), ("vandalism", 25), ("theft", 15), ("threat_or_violence", 10)),
        "summer",
    ),
}
# Kvisthamraskolan's measures: guards did weekend nights in 2023 (data.KVISTHAMRA_MEASURES).
GUARDS = (dt.date(2023, 1, 15), dt.date(2023, 12, 31))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _day(rng: random.Random, year: int, pattern: str) -> dt.date:
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), LAST_DAY)
    while True:
        day = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
        if pattern == "summer" and day.month not in (5, 6, 7, 8, 9) and rng.random() < 0.6:
            continue  # harbours and parks are busiest in summer
        if pattern == "school" and day.weekday() < 4 and rng.random() < 0.35:
            continue  # more on Fridays and weekends
        return day


def _hour(rng: random.Random, day: dt.date, pattern: str, guarded: bool) -> int:
    if pattern == "office":
        return rng.choice([8, 9, 10, 11, 13, 14, 15, 16]) if rng.random() < 0.8 else rng.choice([20, 22, 1])
    if pattern == "nightlife":
        return rng.choice([19, 20, 21, 22, 22, 23, 23, 0, 0, 1, 1, 2, 3])
    if pattern == "school" and rng.random() < 0.08:
        return rng.choice([9, 11, 12, 14])  # a few during the school day (outside IMY's facade hours)
    weekend_night = day.weekday() >= 4
    if guarded and weekend_night and rng.random() < 0.5:
        return rng.choice([18, 19, 20])  # between the guards' rounds
    return rng.choice([18, 19, 20, 21, 21, 22, 22, 23, 23, 0, 1, 2, 3])


def _when(rng: random.Random, day: dt.date, pattern: str, guarded: bool) -> tuple:
    """(occurred_on, occurred_time, until_on, until_time): a moment, a date, or a discovered range."""
    draw = rng.random()
    if pattern in {"school", "summer"} and draw < 0.3:
        # Damage found in the morning: since Friday 16:00 on a Monday, else since 16:00 the day before.
        found = day if day.weekday() < 5 else day + dt.timedelta(days=7 - day.weekday())
        found = min(found, LAST_DAY)
        since = found - dt.timedelta(days=3 if found.weekday() == 0 else 1)
        return since, dt.time(16), found, dt.time(7)
    if draw < 0.42:
        return day, None, None, None
    hour = _hour(rng, day, pattern, guarded)
    return day, dt.time(hour, rng.choice([0, 10, 15, 20, 30, 40, 45, 50])), None, None


def plan_incidents(site_name: str, plan: SitePlan) -> list[dict]:
    """The demo incidents of one site as field values, the same on every run."""
    rng = random.Random(f"trygg-demo-incidents:{site_name}")  # noqa: S311 - demo data, not security
    rows = []
    for year in range(FIRST_YEAR, LAST_DAY.year + 1):
        for number in range(plan.per_year.get(year, 0)):
            kind = _weighted(rng, plan.kinds)
            day = _day(rng, year, plan.pattern)
            guarded = site_name == "Kvisthamraskolan" and GUARDS[0] <= day <= GUARDS[1]
            occurred_on, occurred_time, until_on, until_time = _when(rng, day, plan.pattern, guarded)
            description = rng.choice(TEXTS[kind])
            if plan.illustrative:
                description += " " + ILLUSTRATIVE
            police = rng.random() < POLICE_SHARE[kind]
            cost_range = COSTS[kind]
            cost = None
            if cost_range and rng.random() < 0.85:
                cost = Decimal(rng.randrange(cost_range[0], cost_range[1], 100))
            rows.append(
                {
                    "kind": kind,
                    "occurred_on": occurred_on,
                    "occurred_time": occurred_time,
                    "until_on": until_on,
                    "until_time": until_time,
                    "description": description,
                    "reported_to_police": police,
                    "police_report_number": f"5000-K{rng.randrange(100_000, 999_999)}-{occurred_on:%y}"
                    if police
                    else "",
                    "cost": cost,
                    "reported_by": rng.choice(REPORTERS),
                    "source_key": f"demo:{site_name}:{year}:{number}",
                }
            )
    # One large fire at Hallsta skola: few incidents, one expensive (the ranking must not be fooled).
    if site_name == "Hallsta skola":
        rows.append(
            {
                "kind": "arson",
                "occurred_on": dt.date(2023, 8, 12),
                "occurred_time": dt.time(1, 40),
                "until_on": None,
                "until_time": None,
                "description": "Anlagd brand i förrådsbyggnaden intill skolan; förrådet totalförstört.",
                "reported_to_police": True,
                "police_report_number": "5000-K812345-23",
                "cost": Decimal("640000"),
                "reported_by": "Räddningstjänsten",
                "source_key": f"demo:{site_name}:2023:brand",
            }
        )
    return rows


def _load_harm_weights() -> None:
    """The default harm weights as rows, so the register shows them and officers can change them."""
    for kind, weight in DEFAULT_HARM_WEIGHTS.items():
        if not HarmWeight.objects.filter(kind=kind).exists():
            harm = HarmWeight(kind=kind, weight=Decimal(str(weight)), reason="Standardvikt i Trygg (demodata).")
            harm.full_clean()
            harm.save()


def load_incident_demo() -> int:
    """Load the demo incidents (saved one by one, so the change log has them); returns how many were new."""
    _load_harm_weights()
    source, _created = IncidentSource.objects.get_or_create(
        name=SOURCE_NAME,
        defaults={"kind": "system", "description": "Påhittade skadeanmälningar för demonstrationen."},
    )
    existing = set(Incident.objects.filter(source=source).values_list("source_key", flat=True))
    sites = {site.name: site for site in Site.objects.filter(name__in=PLANS)}
    created = 0
    for name, plan in PLANS.items():
        site = sites.get(name)
        if site is None:
            continue
        for values in plan_incidents(name, plan):
            if values["source_key"] in existing:
                continue
            incident = Incident(site=site, source=source, **values)
            incident.full_clean(validate_unique=False)
            incident.save()
            created += 1
    return created
