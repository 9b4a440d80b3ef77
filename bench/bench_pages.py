"""Benchmark: the summarising pages and JSON/CSV endpoints at a large city's scale (issue 15).

    .venv/bin/python bench/bench_pages.py                          # 1 000 and 10 000 cameras, SQLite
    .venv/bin/python bench/bench_pages.py --sizes 1000 --repeat 3  # one size only (no growth check)
    .venv/bin/python bench/bench_pages.py --incidents-per-camera 100   # 1 000 000 incidents at 10 000 cameras
    .venv/bin/python bench/bench_pages.py --keep-data /tmp/trygg-bench   # build once, reuse on later runs
    .venv/bin/python bench/bench_pages.py --database-url postgres://postgres@127.0.0.1:5432/trygg_bench

Each size runs in its own process on its own database: a fresh SQLite file in a temporary
TRYGG_DATA_DIR (or, with --database-url, a PostgreSQL database named after the URL with the size
appended, dropped and created anew). The database gets the demo (users, organisation, indicator),
then generated data through the models from a fixed seed: one site per five cameras (spread over
the demo's administrations, kinds and area kinds), cameras with their life-cycle rows (planned →
designed → installed → in operation, some paused or decommissioned), a triangle of visible coverage
per camera, and incidents at the sites over three years.

Benchmark data only: sites, cameras, transitions and incidents are written with ``bulk_create``,
which skips the change log and the coverage recompute (AuditedModel's signals), so a build of
10 000 cameras and 100 000 incidents takes a minute instead of hours. Stored results that pages read
(the cameras' checklist results, the incidents' stored counts and today's default ranking of sites)
are then computed once with the same functions the management commands use, as after a deployment
and the nightly `trygg recompute_incident_counts`.

Every page of the issue's table is requested with Django's test Client, logged in as each role
(admin, officer, administration contact, DPO, reader): p50/p95 of --repeat requests, the number of
SQL queries and the response size. A page slower than --budget seconds is measured once. The table
shows both sizes and the growth ratio (large/small) of p50 and of the query count.

Exit status 1 (this script's own check; no test depends on timings) when a page grows with N: its
p50 ratio above --max-growth while the large p50 is above --floor-ms, or its query count grows.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("admin", "officer", "administration_contact", "dpo", "reader")
USERNAMES = {
    "admin": "admin",
    "officer": "handlaggare",
    "administration_contact": "forvaltning",
    "dpo": "dataskydd",
    "reader": "lasare",
}
# The table: (name, url; {site} is a generated site with many incidents).
PAGES = (
    ("dashboard", "/"),
    ("findings list", "/efterlevnad/atgarder/"),
    ("checklists JSON", "/efterlevnad/kameror/checklista.json"),
    ("map GeoJSON", "/karta/data.geojson"),
    ("map, wide view", "/karta/data.geojson?bbox=16.5,58.9,21.0,60.7"),
    ("map, town view", "/karta/data.geojson?bbox=18.66,59.745,18.72,59.775"),
    ("cameras CSV", "/kameror/kameror.csv"),
    ("camera list", "/kameror/"),
    ("register page", "/efterlevnad/forteckning/"),
    ("register CSV", "/efterlevnad/forteckning.csv"),
    ("need ranking", "/behov/rangordning/"),
    ("need ranking JSON", "/behov/rangordning.json"),
    ("site need profile", "/behov/platser/{site}/"),
    ("needs overview", "/behov/"),
    ("art. 30 record", "/efterlevnad/behandling/"),
    # Every other list, detail and data page a role opens, and the APIs (issue 15: "every page and API").
    # {camera} is a camera in operation at {site}; {public_site} a site the public page shows; {report},
    # {evaluation} and {project} the demo's first of each.
    ("site list", "/platser/"),
    ("site page", "/platser/{site}/"),
    ("site map data", "/platser/{site}/karta.geojson"),
    ("camera page", "/kameror/{camera}/"),
    ("camera form", "/kameror/{camera}/andra/"),
    ("camera checklist", "/efterlevnad/kameror/{camera}/checklista/"),
    ("camera coverage", "/kameror/{camera}/tackning.geojson"),
    ("map page", "/karta/"),
    ("projects", "/projekteringar/"),
    ("project page", "/projekteringar/{project}/"),
    ("decision queue", "/efterlevnad/beslut/"),
    ("9 § assessments", "/efterlevnad/intresseavvagningar/"),
    ("DPIAs", "/efterlevnad/konsekvensbedomningar/"),
    ("child-rights list", "/efterlevnad/barnrattsprovningar/"),
    ("art. 30 CSV", "/efterlevnad/behandling.csv"),
    ("incident list", "/behov/handelser/"),
    ("site profile JSON", "/behov/platser/{site}/profil.json"),
    ("indicator", "/uppfoljning/indikator/"),
    ("indicator CSV", "/uppfoljning/indikator.csv"),
    ("assignments", "/uppfoljning/uppdrag/"),
    ("budget", "/uppfoljning/budget/"),
    ("deadlines", "/uppfoljning/tidsfrister/"),
    ("reports", "/rapporter/"),
    ("report draft", "/rapporter/{report}/"),
    ("evaluations", "/utvardering/"),
    ("evaluation page", "/utvardering/{evaluation}/"),
    ("programme effect", "/utvardering/programmet/"),
    ("reviews due", "/utvardering/omprovning/"),
    ("jobs", "/jobb/"),
    ("change log", "/admin/core/objectchange/"),
    ("public index", "/kamerabevakning/"),
    ("public site", "/kamerabevakning/platser/{public_site}/"),
    ("open data", "/oppna-data/"),
    ("open GeoJSON", "/oppna-data/kamerabevakning.geojson"),
    ("open CSV", "/oppna-data/kamerabevakning.csv"),
    ("OSM GeoJSON", "/oppna-data/openstreetmap.geojson"),
    ("Kolada JSON", "/oppna-data/indikator/kolada.json"),
    ("OGC cameras", "/ogc/collections/cameras/items?f=json"),
    ("OGC coverage", "/ogc/collections/coverage/items?f=json"),
    ("OGC sites", "/ogc/collections/sites/items?f=json"),
    ("API sites", "/api/v1/sites/"),
    ("API cameras", "/api/v1/cameras/"),
    ("API camera", "/api/v1/cameras/{camera}/"),
    ("API incidents", "/api/v1/incidents/"),
    ("API projects", "/api/v1/projects/"),
    ("API 9 § assessments", "/api/v1/assessments/surveillance/"),
    ("API register", "/api/v1/register/"),
    ("API indicator", "/api/v1/indicator/"),
    ("API budget", "/api/v1/budget/"),
)
CAMERAS_PER_SITE = 5
SEED = 20261201
CENTRE = (18.70, 59.76)  # Norrtälje


#
# Building the data (child process)
#


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ.setdefault("TRYGG_DEMO", "1")
    import django

    django.setup()


def build(cameras: int, incidents_per_camera: int) -> dict[str, float]:
    """Migrate, load the demo and generate `cameras` cameras; returns seconds per step."""
    from django.core.management import call_command

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    from trygg.demo.load import load_demo

    load_demo()
    timings["migrate + demo"] = time.perf_counter() - start

    import datetime as dt

    from django.db import transaction

    from trygg.cameras.models import Camera, CameraTransition
    from trygg.core.models import Administration
    from trygg.incidents.models import Incident
    from trygg.sites.choices import AreaKind, SiteKind, Vulnerability
    from trygg.sites.models import Site

    rng = random.Random(SEED)
    administrations = list(Administration.objects.order_by("pk"))
    kinds = [value for value, _label in SiteKind.choices]
    area_kinds = [value for value, _label in AreaKind.choices]
    vulnerabilities = [value for value, _label in Vulnerability.choices]
    n_sites = max(1, cameras // CAMERAS_PER_SITE)
    # The extent grows with the count so density stays as in a real municipality.
    spread = 0.25 * math.sqrt(cameras / 10_000)
    start = time.perf_counter()
    with transaction.atomic():
        sites = Site.objects.bulk_create(
            Site(
                name=f"Bänkplats {i:05d}",
                kind=kinds[i % len(kinds)],
                administration=administrations[i % len(administrations)],
                address=f"Bänkvägen {i}",
                area_kind=area_kinds[i % len(area_kinds)],
                vulnerability=vulnerabilities[i % len(vulnerabilities)],
                longitude=CENTRE[0] + rng.uniform(-spread, spread) * 2,
                latitude=CENTRE[1] + rng.uniform(-spread, spread),
            )
            for i in range(n_sites)
        )
        if not sites[0].pk:  # backends without RETURNING ids
            sites = list(Site.objects.filter(name__startswith="Bänkplats ").order_by("name"))
    timings["sites"] = time.perf_counter() - start

    # Life cycles: the state each camera ends in, with the path through the states before it.
    paths = {
        "planned": ["planned"],
        "designed": ["planned", "designed"],
        "installed": ["planned", "designed", "installed"],
        "in_operation": ["planned", "designed", "installed", "in_operation"],
        "paused": ["planned", "designed", "installed", "in_operation", "paused"],
        "decommissioned": ["planned", "designed", "installed", "in_operation", "decommissioned"],
    }
    weights = {"planned": 8, "designed": 6, "installed": 4, "in_operation": 70, "paused": 5, "decommissioned": 7}
    states = list(weights)
    start = time.perf_counter()
    rows = []
    for i in range(cameras):
        site = sites[i % n_sites]
        lon = site.longitude + rng.uniform(-0.0008, 0.0008)
        lat = site.latitude + rng.uniform(-0.0004, 0.0004)
        bearing = rng.uniform(0, 360)
        d = 0.0003
        left, right = math.radians(bearing - 35), math.radians(bearing + 35)
        triangle = [
            [lon, lat],
            [lon + d * 2 * math.sin(left), lat + d * math.cos(left)],
            [lon + d * 2 * math.sin(right), lat + d * math.cos(right)],
            [lon, lat],
        ]
        state = rng.choices(states, [weights[s] for s in states])[0]
        rows.append(
            Camera(
                identifier=f"B{i:06d}",
                site=site,
                state=state,
                longitude=lon,
                latitude=lat,
                mount="wall",
                mount_height_m=4.0,
                bearing_deg=bearing,
                hfov_deg=70.0,
                range_m=25.0,
                camera_type="fixed",
                schedule_template="imy_school_facade" if "school" in site.kind else "always",
                retention_hours=rng.choice([72, 72, 48, 168]),
                purpose="Förebygga skadegörelse och brand.",
                secret_placement=rng.random() < 0.3,
                visible_coverage={"type": "Polygon", "coordinates": [triangle[::-1]]},
                visible_area_m2=300.0,
                coverage_computed_at=None,
            )
        )
    with transaction.atomic():
        created = Camera.objects.bulk_create(rows, batch_size=2000)
        if not created[0].pk:
            created = list(Camera.objects.filter(identifier__startswith="B").order_by("identifier"))
        transitions = []
        for camera in created:
            day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
            previous = ""
            for sequence, to_state in enumerate(paths[camera.state]):
                transitions.append(
                    CameraTransition(
                        camera=camera, from_state=previous, to_state=to_state, occurred_on=day, sequence=sequence
                    )
                )
                previous = to_state
                day += dt.timedelta(days=rng.randrange(20, 200))
        CameraTransition.objects.bulk_create(transitions, batch_size=5000)
    timings["cameras + transitions"] = time.perf_counter() - start

    start = time.perf_counter()
    kinds_incident = ["vandalism", "break_in", "arson", "graffiti", "theft", "threat_or_violence", "disorder"]
    total = cameras * incidents_per_camera
    first_day = dt.date(2023, 1, 1)
    batch: list[Incident] = []
    with transaction.atomic():
        for i in range(total):
            # Incidents concentrate on some sites (a few sites carry most of the need).
            site = sites[min(int(rng.paretovariate(1.2)) - 1, n_sites - 1) if i % 2 else rng.randrange(n_sites)]
            hour = rng.randrange(24)
            batch.append(
                Incident(
                    site=site,
                    kind=kinds_incident[i % len(kinds_incident)],
                    occurred_on=first_day + dt.timedelta(days=rng.randrange(0, 1000)),
                    occurred_time=dt.time(hour, rng.randrange(60)) if i % 5 else None,
                    reported_to_police=i % 3 == 0,
                )
            )
            if len(batch) >= 10_000:
                Incident.objects.bulk_create(batch)
                batch = []
        Incident.objects.bulk_create(batch)
    timings["incidents"] = time.perf_counter() - start

    start = time.perf_counter()
    try:
        from trygg.compliance import stored

        stored.recompute_all()
        timings["stored checklists"] = time.perf_counter() - start
    except ImportError:
        pass  # before the stored checklist existed

    start = time.perf_counter()
    try:
        from trygg.incidents import stored as stored_counts

        stored_counts.rebuild()  # the incidents were bulk-created, without the signals that count them
        timings["stored incident counts"] = time.perf_counter() - start
        start = time.perf_counter()
        stored_counts.refresh_default_ranking()  # as the nightly `trygg recompute_incident_counts` does
        timings["stored ranking"] = time.perf_counter() - start
    except ImportError:
        pass  # before the stored incident counts existed

    start = time.perf_counter()
    try:
        from trygg.evaluation import programme_store

        programme_store.recompute()  # as the nightly `trygg recompute_programme_effect` does
        timings["stored programme effect"] = time.perf_counter() - start
    except ImportError:
        pass  # before the stored programme effect existed

    from django.db import connection

    if connection.vendor == "postgresql":
        # Right after a bulk load PostgreSQL has no planner statistics and picks poor plans until
        # autovacuum's analyse has run, as it would long before anyone opens a page in production.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - start
    return timings


#
# Measuring (child process)
#


def _objects(site) -> dict[str, int]:
    """Ids for the pages' placeholders: the busiest site, a camera in operation there, demo objects."""
    from trygg.cameras.models import Camera
    from trygg.evaluation.models import Evaluation
    from trygg.programme.models import Project
    from trygg.reports.models import BoardReport
    from trygg.sites.models import Site

    camera = Camera.objects.filter(site=site, state="in_operation").order_by("pk").first() or Camera.objects.first()
    public_site = Site.objects.filter(cameras__state="in_operation").order_by("pk").first()  # a demo site
    return {
        "site": site.pk,
        "camera": camera.pk,
        "public_site": public_site.pk,
        "report": BoardReport.objects.order_by("pk").first().pk,
        "evaluation": Evaluation.objects.order_by("pk").first().pk,
        "project": Project.objects.order_by("pk").first().pk,
    }


def measure(repeat: int, budget_s: float, roles: list[str], pages: list[str] | None) -> list[dict]:
    """Each page for each role: status, p50/p95 seconds, queries, bytes."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from trygg.incidents.models import Incident
    from trygg.sites.models import Site

    setup_test_environment()
    settings.DEBUG = False
    # The site with most incidents: the slowest site profile.
    from django.db.models import Count

    site = Site.objects.annotate(n=Count("incidents")).order_by("-n").first()
    objects = _objects(site)
    results = []
    users = get_user_model().objects
    for role in roles:
        client = Client()
        client.force_login(users.get(username=USERNAMES[role]))
        for name, url in PAGES:
            if pages and name not in pages:
                continue
            url = url.format(**objects)
            samples = []
            queries = size = status = 0
            for _attempt in range(repeat):
                # The log keeps 9 000 queries; a full log would make the count below 0 (the page's own cost).
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    elapsed = time.perf_counter() - start
                samples.append(elapsed)
                status, queries, size = response.status_code, len(ctx.captured_queries), len(body)
                if status != 200 or elapsed > budget_s:
                    break
            samples.sort()
            results.append(
                {
                    "role": role,
                    "page": name,
                    "status": status,
                    "n": len(samples),
                    "p50": statistics.median(samples),
                    "p95": samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)],
                    "queries": queries,
                    "bytes": size,
                }
            )
            print(f"  {role:24} {name:20} {status} {results[-1]['p50'] * 1000:9.0f} ms", file=sys.stderr, flush=True)
    results.append({"incidents": Incident.objects.count()})
    return results


def child(args: argparse.Namespace) -> None:
    _setup_django()
    built = Path(os.environ["TRYGG_DATA_DIR"]) / "built.json"
    if args.keep_data and built.exists():
        timings = json.loads(built.read_text())
        print(f"reused the database of {args.one} cameras in {built.parent}", file=sys.stderr)
    else:
        timings = build(args.one, args.incidents_per_camera)
        if args.keep_data:
            built.write_text(json.dumps(timings))
    print(f"built {args.one} cameras: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()), file=sys.stderr)
    results = measure(args.repeat, args.budget, args.roles.split(","), args.pages.split(";") if args.pages else None)
    print("RESULT " + json.dumps({"cameras": args.one, "build": timings, "results": results}))


#
# Running each size and comparing (parent process)
#


def _postgres_database(base_url: str, size: int) -> str:
    """A fresh PostgreSQL database for one size: the URL's database name with the size appended."""
    import psycopg

    head, _slash, name = base_url.rpartition("/")
    name = f"{name or 'trygg_bench'}_{size}"
    with psycopg.connect(f"{head}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{head}/{name}"


def run_size(size: int, args: argparse.Namespace) -> dict:
    env = {**os.environ, "TRYGG_DEMO": "1"}
    with contextlib.ExitStack() as stack:
        if args.keep_data:
            # One directory per size and incident count, kept for the next run (and for profiling a page).
            data_dir = Path(args.keep_data) / f"{size}-{args.incidents_per_camera}"
            data_dir.mkdir(parents=True, exist_ok=True)
        else:
            data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="trygg-bench-"))
        env["TRYGG_DATA_DIR"] = str(data_dir)
        if args.database_url:
            env["DATABASE_URL"] = _postgres_database(args.database_url, size)
        else:
            env.pop("DATABASE_URL", None)
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--incidents-per-camera",
            str(args.incidents_per_camera),
            "--repeat",
            str(args.repeat),
            "--budget",
            str(args.budget),
            "--roles",
            args.roles,
        ]
        if args.pages:
            command += ["--pages", args.pages]
        if args.keep_data:
            command += ["--keep-data", args.keep_data]
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def report(runs: list[dict], max_growth: float, floor_ms: float) -> int:
    """Print the table; return the number of pages that grow with N."""
    sizes = [run["cameras"] for run in runs]
    incidents = [next(r["incidents"] for r in run["results"] if "incidents" in r) for run in runs]
    print("sizes: " + ", ".join(f"{c} cameras / {i} incidents" for c, i in zip(sizes, incidents, strict=True)))
    header = f"{'role':23} {'page':19}"
    for size in sizes:
        header += f" | {size:>6} p50 ms   p95 q       bytes"
    if len(runs) == 2:
        header += " | ×p50  ×q"
    print(header)
    print("-" * len(header))
    keyed = [{(r["role"], r["page"]): r for r in run["results"] if "role" in r} for run in runs]
    growing = 0
    for key in keyed[0]:
        line = f"{key[0]:23} {key[1]:19}"
        rows = [k.get(key) for k in keyed]
        for row in rows:
            if row is None:
                line += " | " + " " * 33
            elif row["status"] != 200:
                line += f" | {'HTTP ' + str(row['status']):>33}"
            else:
                line += f" | {row['p50'] * 1000:13.0f} {row['p95'] * 1000:6.0f} {row['queries']:3d} {row['bytes']:11d}"
        if len(rows) == 2 and all(r and r["status"] == 200 for r in rows):
            small, large = rows
            ratio = large["p50"] / max(small["p50"], 1e-6)
            q_ratio = large["queries"] / max(small["queries"], 1)
            flag = (ratio > max_growth and large["p50"] * 1000 > floor_ms) or large["queries"] > small["queries"]
            growing += flag
            line += f" | {ratio:4.1f} {q_ratio:4.1f}" + ("  GROWS" if flag else "")
        print(line)
    return growing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="camera counts, comma-separated (default 1000,10000)")
    parser.add_argument("--incidents-per-camera", type=int, default=10, help="default 10 (100 000 at 10 000)")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and role (default 5)")
    parser.add_argument("--budget", type=float, default=5.0, help="a page slower than this (s) is measured once")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--pages", default="", help="page names separated by ';' (default all)")
    parser.add_argument("--max-growth", type=float, default=2.0, help="largest allowed p50 ratio large/small")
    parser.add_argument("--floor-ms", type=float, default=50.0, help="pages faster than this never count as growing")
    parser.add_argument("--database-url", default="", help="PostgreSQL base URL; the size is appended to its name")
    parser.add_argument(
        "--keep-data",
        default="",
        metavar="DIR",
        help="keep each size's SQLite database under DIR and reuse it on the next run (default: build anew)",
    )
    parser.add_argument("--json", default="", help="also write the raw results to this file")
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.keep_data and args.database_url:
        parser.error("--keep-data keeps SQLite files; with --database-url each size's database is made anew")
    if args.one:
        child(args)
        return 0
    runs = [run_size(int(size), args) for size in args.sizes.split(",")]
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    growing = report(runs, args.max_growth, args.floor_ms)
    if growing:
        print(f"{growing} page(s) grow with the number of cameras (ratio > {args.max_growth} or more queries).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
