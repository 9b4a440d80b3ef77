"""Benchmark: importing a municipal damage-report export of 100 000 rows (CSV or XLSX).

    .venv/bin/python bench/bench_incident_import.py                 # 100 000 rows, CSV, fresh SQLite
    .venv/bin/python bench/bench_incident_import.py --rows 20000 --format xlsx
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TRYGG_BENCH_DB=bench_incidents \\
        .venv/bin/python bench/bench_incident_import.py             # against PostgreSQL

The file is generated from a fixed seed in the layout of a Swedish Excel export (semicolons,
Windows-1252, decimal commas, thousand spaces, d/m/yyyy dates, clock ranges for damage found in
the morning), with 0.5 % bad rows, 0.5 % duplicates and a few empty rows. The benchmark runs both
passes of the import as the web page does (check, then import the valid rows) on a fresh database,
and prints the wall time of each pass and the peak memory: Python allocations during the passes
(tracemalloc) and the process's peak resident size.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SITES = [f"Benchskola {i}" for i in range(1, 41)]
HEADERS = [
    "Ärendenummer",
    "Skadedatum",
    "Tid från",
    "Tid till",
    "Objekt",
    "Skadetyp",
    "Beskrivning",
    "Kostnad",
    "K-nummer",
]
KINDS = ["Skadegörelse", "Klotter", "Inbrott", "Brand", "Stöld", "Hot", "Ordningsstörning", "Övrigt"]


def generate_rows(count: int, seed: int = 20241029):
    rng = random.Random(seed)
    previous = None
    for number in range(1, count + 1):
        if number % 997 == 0:
            yield ["", "", "", "", "", "", "", "", ""]  # an empty row now and then
            continue
        if previous is not None and number % 200 == 0:
            yield previous  # a duplicate
            continue
        day = rng.randrange(1, 29)
        month = rng.randrange(1, 13)
        year = rng.choice([2021, 2022, 2023, 2024])
        kind = rng.choice(KINDS)
        if rng.random() < 0.3:
            start, end = "16:00", "07:00"
        else:
            start, end = f"{rng.randrange(0, 24):02d}:{rng.choice(['00', '15', '30', '45'])}", ""
        cost = f"{rng.randrange(500, 90000):,}".replace(",", " ") + "," + f"{rng.randrange(0, 100):02d}"
        date = f"{day}/{month}/{year}"
        if number % 211 == 0:
            date = f"{day + 31}/{month}/{year}"  # a bad date, to be rejected
        row = [
            f"SK-{number:07d}",
            date,
            start,
            end,
            rng.choice(SITES),
            kind,
            f"{kind} vid fasaden, rapport {number}",
            cost,
            f"5000-K{rng.randrange(100000, 999999)}-{year % 100}" if rng.random() < 0.3 else "",
        ]
        previous = row
        yield row


def write_file(path: Path, count: int, file_format: str) -> None:
    if file_format == "csv":
        import csv

        with path.open("w", encoding="cp1252", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(HEADERS)
            writer.writerows(generate_rows(count))
    else:
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADERS)
        for row in generate_rows(count):
            sheet.append(row)
        workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument(
        "--trace-memory", action="store_true", help="also trace Python allocations (tracemalloc; several times slower)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ["TRYGG_DATA_DIR"] = str(workdir)
    os.environ["TRYGG_MEDIA_ROOT"] = str(workdir / "media")
    if os.environ.get("DATABASE_URL"):
        name = os.environ.get("TRYGG_BENCH_DB", "trygg_bench_incidents")
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        _recreate_postgres(os.environ["DATABASE_URL"], name)
        os.environ["DATABASE_URL"] = f"{base}/{name}"

    import django

    django.setup()
    from django.core.files.base import File
    from django.core.management import call_command

    from trygg.core.models import Administration
    from trygg.incidents import services
    from trygg.incidents.models import ImportRun, Incident, IncidentSource
    from trygg.sites.models import Site

    call_command("migrate", verbosity=0)
    administration = Administration.objects.create(name="Bench", short_name="B")
    for i, name in enumerate(SITES):
        Site.objects.create(
            name=name, kind="school", administration=administration, longitude=18.7, latitude=59.7 + i / 1000
        )

    path = workdir / f"skador.{args.format}"
    started = time.perf_counter()
    write_file(path, args.rows, args.format)
    print(
        f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB {args.format}) in {time.perf_counter() - started:.1f} s"
    )

    source = IncidentSource.objects.create(name="Skadeanmälningar (bench)")
    with path.open("rb") as handle:
        run = ImportRun.objects.create(source=source, original_name=path.name, file=File(handle, name=path.name))
    services.inspect_upload(run)
    rss_before_check = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run.mapping = run.mapping | {"external_id": "Ärendenummer"}
    run.save()

    if args.trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    services.check(run)
    check_time = time.perf_counter() - started
    _size, check_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    rss_after_check = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"check:  {check_time:6.2f} s  {run.processed_rows:,} rows read, {run.valid_rows:,} valid, "
        f"{run.error_rows:,} with errors, {run.duplicate_rows:,} duplicates, {run.empty_rows:,} empty"
    )
    run.mode = "valid_only"
    run.save()
    # Each batch is one transaction: its time is how long SQLite's write lock is held at most at once.
    batch_times: list[float] = []
    commit_batch = services._commit_batch

    def timed_batch(*batch_args: object) -> int:
        begun = time.perf_counter()
        try:
            return commit_batch(*batch_args)
        finally:
            batch_times.append(time.perf_counter() - begun)

    services._commit_batch = timed_batch
    started = time.perf_counter()
    services.import_rows(run)
    import_time = time.perf_counter() - started
    services._commit_batch = commit_batch
    _size, import_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.status == "done", run.failure
    print(
        f"import: {import_time:6.2f} s  {run.created_rows:,} incidents created ({Incident.objects.count():,} in the database)"
    )
    batch_times.sort()
    print(
        f"        {len(batch_times)} batches of {services.CHUNK} rows, each its own transaction: "
        f"median {1000 * batch_times[len(batch_times) // 2]:.0f} ms, longest {1000 * batch_times[-1]:.0f} ms "
        f"(the longest time a login waits for the write lock)"
    )

    run.refresh_from_db()
    started = time.perf_counter()
    services.check(run)
    again = time.perf_counter() - started
    print(f"re-check of the same file: {again:.2f} s, {run.existing_rows:,} already imported, {run.valid_rows} new")

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"total {check_time + import_time:.2f} s for {args.rows:,} rows "
        f"({args.rows / (check_time + import_time):,.0f} rows/s) on {_database_label()}; "
        f"peak resident size: {rss_before_check:.0f} MB before, {rss_after_check:.0f} MB after checking, "
        f"{peak_rss_mb:.0f} MB at the end"
    )
    if args.trace_memory:
        print(f"peak Python allocations: check {check_peak / 1e6:.1f} MB, import {import_peak / 1e6:.1f} MB")
    shutil.rmtree(workdir, ignore_errors=True)


def _database_label() -> str:
    from django.db import connection

    return connection.vendor


def _recreate_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
