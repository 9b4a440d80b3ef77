"""A job or import pass whose process died is undone and marked failed, and the pages say so."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trygg.incidents import services
from trygg.incidents.choices import ImportMode, ImportStatus
from trygg.incidents.models import ImportRun, Incident, IncidentSource
from trygg.incidents.tests.files import IMY_HEADERS, csv_bytes
from trygg.jobs import recovery, runner
from trygg.jobs.models import Job, JobKind, JobState
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(minutes=11)  # beyond the default stale limit of 10 minutes


def imported_run(user, rows: int = 12) -> ImportRun:
    """A run whose rows are written, then put back to "importing" as a killed process leaves it."""
    site = Site.objects.order_by("pk").first()
    table = [IMY_HEADERS] + [[f"2024-05-{1 + n:02d}", "21:30", site.name, f"Klotter {n}", "Nej"] for n in range(rows)]
    run = ImportRun(source=IncidentSource.objects.create(name="Återställning"), created_by=user, original_name="a.csv")
    run.default_site = site
    run.file.save("a.csv", ContentFile(csv_bytes(table)), save=False)
    run.save()
    services.inspect_upload(run)
    services.check(run)
    run.refresh_from_db()
    run.mode = ImportMode.VALID_ONLY
    run.save()
    services.import_rows(run)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING, finished_at=None)
    assert Incident.objects.filter(import_run=run).count() == rows
    return run


def running_job(user, kind=JobKind.INCIDENT_IMPORT, params=None, last_sign=None) -> Job:
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        params=params or {},
        started_by=user,
        state=JobState.RUNNING,
        started_at=now,
        heartbeat_at=last_sign or now,
    )


def test_a_stale_import_is_undone_and_its_job_failed(demo_users):
    officer = demo_users["officer"]
    run = imported_run(officer)
    ImportRun.objects.filter(pk=run.pk).update(progress_at=timezone.now() - LONG_AGO)
    job = running_job(officer, params={"run": run.pk}, last_sign=timezone.now() - LONG_AGO)
    found = recovery.recover()
    assert (found.jobs, found.import_runs) == ([job.pk], [run.pk])
    run.refresh_from_db()
    job.refresh_from_db()
    assert (run.status, run.created_rows, Incident.objects.filter(import_run=run).count()) == ("failed", 0, 0)
    assert job.state == JobState.FAILED and job.finished_at is not None
    assert recovery.recover() == recovery.Recovered([], [])  # nothing left to do the second time


def test_a_live_import_and_job_are_left_alone(demo_users):
    officer = demo_users["officer"]
    run = imported_run(officer)
    ImportRun.objects.filter(pk=run.pk).update(progress_at=timezone.now() - dt.timedelta(minutes=9))
    job = running_job(officer, params={"run": run.pk}, last_sign=timezone.now() - dt.timedelta(minutes=9))
    assert recovery.recover() == recovery.Recovered([], [])
    run.refresh_from_db()
    assert run.status == ImportStatus.IMPORTING and Incident.objects.filter(import_run=run).count() == 12
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


def test_the_stale_limit_is_a_setting(demo_users, settings):
    settings.TRYGG_JOB_STALE_MINUTES = 30
    job = running_job(demo_users["officer"], kind=JobKind.COVERAGE, last_sign=timezone.now() - LONG_AGO)
    assert recovery.recover().jobs == []
    settings.TRYGG_JOB_STALE_MINUTES = 10
    assert recovery.recover().jobs == [job.pk]


def test_the_import_page_of_a_dead_import_says_it_stopped_and_nothing_was_saved(client_for, demo_users):
    run = imported_run(demo_users["officer"])
    ImportRun.objects.filter(pk=run.pk).update(progress_at=timezone.now() - LONG_AGO)
    html = client_for("officer").get(reverse("incidents:import_run", args=[run.pk])).content.decode()
    assert "Importen stannade mitt i arbetet" in html and "Inget sparades" in html
    assert Incident.objects.filter(import_run=run).count() == 0


def test_the_job_page_of_a_dead_job_says_it_failed_instead_of_running(client_for, demo_users):
    job = running_job(demo_users["officer"], kind=JobKind.COVERAGE, last_sign=timezone.now() - LONG_AGO)
    html = client_for("officer").get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Bakgrundsprocessen stoppades medan jobbet pågick" in html
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED


def test_another_users_dead_job_is_not_touched_by_my_page(client_for, demo_users):
    job = running_job(demo_users["dpo"], kind=JobKind.COVERAGE, last_sign=timezone.now() - LONG_AGO)
    assert client_for("officer").get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_while_its_work_takes_long(demo_users):
    job = running_job(demo_users["officer"], kind=JobKind.COVERAGE, last_sign=timezone.now() - LONG_AGO)
    with runner.Heartbeat(job.pk, interval=0.05):
        deadline = time.monotonic() + 10
        while Job.objects.get(pk=job.pk).heartbeat_at < timezone.now() - dt.timedelta(minutes=1):
            assert time.monotonic() < deadline, "no heartbeat written"
            time.sleep(0.05)
    assert recovery.recover().jobs == []


def test_a_job_queued_for_over_a_minute_says_the_worker_may_not_run(client_for, demo_users):
    job = Job.objects.create(kind=JobKind.COVERAGE, started_by=demo_users["officer"])  # queued, no worker
    page = client_for("officer").get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Bakgrundsprocessen (trygg db_worker) är kanske inte igång" not in page  # just queued
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(seconds=61))
    page = client_for("officer").get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "Bakgrundsprocessen (trygg db_worker) är kanske inte igång" in page


def test_the_worker_goes_on_after_the_database_was_busy(monkeypatch):
    from django.core.management import call_command
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker as library

    from trygg.jobs.management.commands import db_worker

    calls = []

    def handle(self, *args, **options):
        calls.append(options["batch"])
        if len(calls) == 1:
            raise OperationalError("database is locked")

    database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr(library.Command, "handle", handle)
    monkeypatch.setattr(db_worker.time, "sleep", lambda seconds: None)
    with override_settings(TASKS=database):
        call_command("db_worker", "--batch")
    assert calls == [True, True]

    def broken(self, *args, **options):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(library.Command, "handle", broken)
    with override_settings(TASKS=database), pytest.raises(OperationalError, match="no such table"):
        call_command("db_worker", "--batch")
