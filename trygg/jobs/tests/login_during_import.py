"""Run as a script against a SQLite *file* database (real settings: WAL, busy timeout, immediate
transactions): an incident import writes in one thread while another signs in. Prints JSON.

    python login_during_import.py {batched|one_transaction|killed}

The import stops after its first committed batch (the `on_batch` hook) until the login has been
tried, so the outcome does not depend on timing: with batches the login finds no write lock held;
in `one_transaction` mode the whole import is wrapped in one transaction (as before batching), the
lock is held, and the login fails after its busy timeout ("database is locked"). The test
`test_sqlite_file.py` runs it on a copy of the test database.

In `killed` mode the import runs as a background job, as the worker runs it, and the process kills
itself (SIGKILL: no clean-up of any kind runs) right after the first batch is committed, leaving the
job "running" and part of the rows written, for the test to start a worker on the file afterwards.
"""

from __future__ import annotations

import json
import sys
import threading


def main(mode: str) -> dict[str, object]:
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.test import Client

    from trygg.incidents import services
    from trygg.incidents.choices import ImportMode, ImportStatus
    from trygg.incidents.models import ImportRun, Incident, IncidentSource
    from trygg.incidents.tests.files import IMY_HEADERS, csv_bytes
    from trygg.sites.models import Site

    services.CHUNK = 50  # three batches
    user = get_user_model().objects.get(username="handlaggare")
    user.set_password("provlösenord-123")
    user.save()
    site = Site.objects.order_by("pk").first()
    rows = [IMY_HEADERS] + [
        [f"2024-03-{1 + n % 28:02d}", f"{n % 24:02d}:{n % 60:02d}", site.name, f"Klotter nummer {n}", "Nej"]
        for n in range(150)
    ]
    source = IncidentSource.objects.create(name="Samtidighetsprov")
    run = ImportRun(source=source, created_by=user, original_name="prov.csv", default_site=site)
    run.file.save("prov.csv", ContentFile(csv_bytes(rows)), save=False)
    run.save()
    services.inspect_upload(run)
    services.check(run)
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED and run.valid_rows == 150, (run.status, run.valid_rows, run.errors[:3])
    run.mode = ImportMode.VALID_ONLY
    run.save()

    if mode == "killed":
        import os
        import signal

        from trygg.jobs import runner
        from trygg.jobs.models import JobKind

        def die_after_the_first_batch(on_batch, created, total):
            real_call_outside(on_batch, created, total)  # the batch is committed and the job's progress saved
            print(json.dumps({"run": run.pk, "created": created}), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        real_call_outside = services._call_outside
        services._call_outside = die_after_the_first_batch
        run.status = ImportStatus.QUEUED_IMPORT
        run.save()
        job = runner.start(JobKind.INCIDENT_IMPORT, user, {"run": run.pk})
        runner.execute(job.pk)  # as the worker does; never returns
        return {"error": "the process was not killed"}

    paused, resume = threading.Event(), threading.Event()

    def between_batches(created: int, total: int) -> None:
        if not paused.is_set():
            paused.set()
            resume.wait(60)

    def importer() -> None:
        try:
            if mode == "one_transaction":
                with transaction.atomic():
                    services.import_rows(run, between_batches)
            else:
                services.import_rows(run, between_batches)
        finally:
            paused.set()
            connection.close()

    thread = threading.Thread(target=importer)
    thread.start()
    paused.wait(60)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=1000")  # the failing variant gives up after 1 s instead of 5 s
    try:
        response = Client().post("/konto/logga-in/", {"username": "handlaggare", "password": "provlösenord-123"})
        login = "ok" if response.status_code == 302 else f"status {response.status_code}"
    except Exception as error:
        login = f"{type(error).__name__}: {error}"
    finally:
        resume.set()
    thread.join(60)
    run.refresh_from_db()
    return {
        "login": login,
        "run": run.status,
        "created": run.created_rows,
        "incidents": Incident.objects.filter(import_run=run).count(),
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
