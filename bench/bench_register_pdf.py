"""Benchmark: the 10 § register PDF for a large municipality (default 10 000 cameras), as the job draws it.

    .venv/bin/python bench/bench_register_pdf.py                  # 10 000 cameras at 2 000 sites, fresh SQLite
    .venv/bin/python bench/bench_register_pdf.py --cameras 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TRYGG_TEST_DB_NAME=bench_register \\
        .venv/bin/python bench/bench_register_pdf.py             # against PostgreSQL (a scratch database)

Loads the demo into a fresh database, then copies the demo camera TORG-01 (in operation, with an approved
assessment) N times over N/5 sites, with its transitions and assessment. The copies are written in bulk
(no change-log rows): the register reads cameras, transitions and documents, not the log. Prints the time
to gather the rows (facts, once per camera), to draw the PDF (ReportLab), the pages and the size, and fails
(exit 1) when the whole takes more than --limit seconds (30 by default, the target of issue 15).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print where gathering the rows spends its time")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds allowed for rows + PDF")
    args = parser.parse_args()

    os.environ.setdefault("TRYGG_DEMO", "1")
    database = os.environ.get("DATABASE_URL", "")
    if database:
        name = os.environ.get("TRYGG_TEST_DB_NAME", "bench_register")
        os.environ["DATABASE_URL"] = database.rsplit("/", 1)[0] + "/" + name
        _create_postgres_database(database, name)
    else:
        os.environ["TRYGG_DATA_DIR"] = tempfile.mkdtemp(prefix="trygg-bench-register-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from trygg.demo.load import load_demo

    load_demo()
    started = time.perf_counter()
    _copy_cameras(args.cameras)
    print(f"data: {args.cameras} cameras in {time.perf_counter() - started:.1f} s")

    import datetime as dt

    from trygg.compliance import registers

    on_date = dt.date(2025, 6, 1)
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(registers.register_document, on_date)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    started = time.perf_counter()
    document = registers.register_document(on_date)
    gathered = time.perf_counter() - started
    pages = []
    started = time.perf_counter()
    pdf = registers.render_register(document, progress=lambda page, total: pages.append(total))
    drawn = time.perf_counter() - started
    total = gathered + drawn
    print(
        f"register PDF, {len(document.rows)} rows: rows {gathered:.1f} s, drawing {drawn:.1f} s, "
        f"total {total:.1f} s; {pages[-1]} pages, {len(pdf) / 1e6:.1f} MB"
    )
    if total > args.limit:
        print(f"FAIL: {total:.1f} s > {args.limit:.0f} s")
        return 1
    return 0


def _create_postgres_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _copy_cameras(count: int) -> None:
    from django.db import transaction

    from trygg.cameras.models import Camera, CameraTransition
    from trygg.compliance.models import SurveillanceAssessment
    from trygg.sites.models import Site

    template = Camera.objects.get(identifier="TORG-01")
    transitions = list(template.transitions.order_by("sequence"))
    assessment = SurveillanceAssessment.objects.filter(camera=template).order_by("-pk").first()
    site_template = template.site
    with transaction.atomic():
        sites = []
        for number in range(max(1, count // 5)):
            site = Site(**_fields(site_template, name=f"Benchplats {number}", address=f"Storgatan {number}"))
            sites.append(site)
        sites = Site.objects.bulk_create(sites, batch_size=500)
        cameras = Camera.objects.bulk_create(
            [
                Camera(**_fields(template, identifier=f"B-{number:05d}", site_id=sites[number % len(sites)].pk))
                for number in range(count)
            ],
            batch_size=500,
        )
        CameraTransition.objects.bulk_create(
            [copy for camera in cameras for copy in _copies(transitions, camera.pk)],
            batch_size=500,
        )
        if assessment is not None:
            SurveillanceAssessment.objects.bulk_create(
                [
                    SurveillanceAssessment(**_fields(assessment, camera_id=camera.pk, series=uuid.uuid4()))
                    for camera in cameras
                ],
                batch_size=200,
            )


def _fields(instance, **changes):
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return values


def _copies(transitions, camera_id):
    return [type(t)(**_fields(t, camera_id=camera_id)) for t in transitions]


if __name__ == "__main__":
    sys.exit(main())
