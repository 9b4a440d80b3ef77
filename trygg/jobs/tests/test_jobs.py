"""Background jobs: states, progress, cancel, Swedish failures, the register PDF job, the real worker."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from trygg.compliance import registers
from trygg.core.models import Administration, ObjectChange
from trygg.core.pdf import render_pdf
from trygg.core.texts import deferred
from trygg.jobs import runner
from trygg.jobs.models import Job, JobKind, JobState

pytestmark = pytest.mark.django_db

HANDLER = "register_pdf"  # a real kind whose handler the tests replace with their own
SEEN: list[tuple[str, int, int, str]] = []


def counting(job, progress):
    """Three batches; records what a page polling the job would read after each."""
    for done in range(1, 4):
        progress(done, 3, f"Steg {done}")
        stored = Job.objects.get(pk=job.pk)
        SEEN.append((stored.state, stored.done, stored.total, stored.step))
    return runner.JobResult(content=b"hej", filename="svar.txt", url="/karta/")


def batched_writes(job, progress):
    """Writes one administration per batch in one transaction; the user cancels after batch 2."""
    from django.db import transaction

    with transaction.atomic():
        for number in range(1, 6):
            Administration.objects.create(name=f"Jobbförvaltning {number}", short_name=f"JF{number}")
            if number == 2:
                Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # the Cancel button, meanwhile
            progress(number, 5, f"Batch {number}")


def crashing(job, progress):
    progress(1, 2, "Första steget")
    raise ValueError("division by zero in the English library")


def refusing(job, progress):
    raise runner.JobFailed("Filen saknar kolumnen ”Datum”.")


def use(monkeypatch, function):
    monkeypatch.setitem(runner.HANDLERS, HANDLER, f"{__name__}.{function.__name__}")
    monkeypatch.setattr(runner.Progress, "__init__", _every_call)


def _every_call(self, job, interval=0.0):
    self.job, self.interval, self._last = job, 0.0, 0.0


def test_a_job_goes_from_queued_to_done_with_its_progress_visible(monkeypatch, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    use(monkeypatch, counting)
    SEEN.clear()
    job = runner.start(HANDLER, demo_users["officer"], {"x": 1})
    job.refresh_from_db()
    assert SEEN == [("running", 1, 3, "Steg 1"), ("running", 2, 3, "Steg 2"), ("running", 3, 3, "Steg 3")]
    assert job.state == JobState.DONE and job.percent == 100 and job.finished_at and job.started_at
    assert job.result_file.read() == b"hej" and job.result_name == "svar.txt" and job.result_url == "/karta/"
    assert job.task_id  # the queue's own id, for the operator


def test_cancel_mid_way_rolls_back_the_open_unit(monkeypatch, demo_users):
    use(monkeypatch, batched_writes)
    job = runner.start(HANDLER, demo_users["officer"])
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert (job.done, job.total) == (2, 5)  # stopped at the first check after the request
    assert not Administration.objects.filter(name__startswith="Jobbförvaltning").exists()
    assert "Avbrutet" in job.step


def test_a_queued_job_cancelled_never_runs(monkeypatch, demo_users):
    use(monkeypatch, counting)
    job = Job.objects.create(kind=HANDLER, started_by=demo_users["officer"])
    runner.cancel(job)
    SEEN.clear()
    runner.execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not SEEN


def test_a_crash_is_told_in_swedish_and_logged_with_the_request_id(monkeypatch, demo_users, caplog):
    use(monkeypatch, crashing)

    class Request:
        request_id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"

    with caplog.at_level(logging.ERROR, logger="trygg.jobs"):
        job = runner.start(HANDLER, demo_users["officer"], request=Request())
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    with translation.override("sv"):
        failure = job.failure_text
    assert "tekniskt fel" in failure and Request.request_id in failure
    assert "division" not in failure and "ValueError" not in failure  # never the library's words
    record = next(r for r in caplog.records if r.name == "trygg.jobs")
    assert record.exc_info and "division by zero" in str(record.exc_info[1])
    assert record.request_id == Request.request_id


def test_a_refusal_shows_the_handlers_swedish_message(monkeypatch, demo_users, client_for):
    use(monkeypatch, refusing)
    job = runner.start(HANDLER, demo_users["officer"])
    html = client_for("officer").get(f"/jobb/{job.pk}/status/").content.decode()
    assert "Filen saknar kolumnen ”Datum”." in html and 'role="alert"' in html
    assert "hx-trigger" not in html  # a finished job is not polled


def test_the_fragment_polls_while_active_and_offers_cancel(demo_users, client_for):
    job = Job.objects.create(kind=JobKind.COVERAGE, started_by=demo_users["officer"], done=3, total=12, step="Räknar")
    client = client_for("officer")
    html = client.get(f"/jobb/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in html and f'<label for="job-{job.pk}-bar">Räknar (3 av 12)' in html
    assert f'<progress id="job-{job.pk}-bar" max="100" value="25">' in html and "Avbryt" in html
    response = client.post(f"/jobb/{job.pk}/avbryt/", HTTP_HX_REQUEST="true")
    job.refresh_from_db()
    assert job.cancel_requested and job.state == JobState.CANCELLED  # it had not started
    assert "hx-trigger" not in response.content.decode()
    # Someone else's job is unknown to you.
    assert client_for("dpo").get(f"/jobb/{job.pk}/status/").status_code == 404


def test_the_jobs_texts_are_kept_as_msgids_and_shown_in_the_readers_language(monkeypatch, demo_users, client_for):
    # Steps and failures were stored translated in the language of the moment: Swedish from the worker
    # (so read on the English page), English when the job was started from an English page.
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=dummy), translation.override("en"):
        queued = runner.start(HANDLER, demo_users["officer"])
    assert queued.step == "Väntar på bakgrundsprocessen"
    with translation.override("en"):
        assert queued.step_text == "Waiting for the background worker"
    # A step with values, written as handlers write it.
    drawn = Job.objects.create(kind=HANDLER, started_by=demo_users["officer"])
    runner.Progress(drawn)(3, 9, deferred("Ritar sida %(page)s av %(pages)s") % {"page": 3, "pages": 9})
    drawn.refresh_from_db()
    assert (drawn.step, drawn.step_params) == ("Ritar sida %(page)s av %(pages)s", {"page": 3, "pages": 9})
    with translation.override("sv"):
        assert drawn.step_text == "Ritar sida 3 av 9"
    client = client_for("officer")
    client.cookies["django_language"] = "en"
    status = client.get(f"/jobb/{drawn.pk}/status/").content.decode()
    assert f'<label for="job-{drawn.pk}-bar">Drawing page 3 of 9 (3 of 9)' in status
    # A failure with the job's reference in it.
    use(monkeypatch, crashing)
    failed = runner.start(HANDLER, demo_users["officer"])
    html = client.get(f"/jobb/{failed.pk}/").content.decode()
    assert "The job failed because of a technical error and nothing was saved." in html
    assert f"jobb-{failed.pk}" in html and "tekniskt fel" not in html and "Misslyckades" not in html


def test_the_job_lists_state_column_is_its_status_not_a_location(client_for):
    # "Läge" is both a state (the jobs' and the reviews' column) and a position (a site's); the jobs list
    # read "Location" in English.
    client = client_for("officer")
    client.cookies["django_language"] = "en"
    assert '<th scope="col">Status</th>' in client.get("/jobb/").content.decode()
    assert '<th scope="col">Status</th>' in client.get("/utvardering/omprovning/").content.decode()
    from trygg.sites.models import Site

    site = Site.objects.order_by("pk").first()
    assert "<dt>Location</dt>" in client.get(f"/platser/{site.pk}/").content.decode()


WORD = r"\w[\w\-:.()§,/]*"


def pdf_words(content: bytes) -> Counter:
    """Words of the PDF, less what each renderer repeats per page (the column heads, the marking in the
    page's top margin, "Sida n / m"), so two renderings that break pages differently compare equal."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    repeated = set(re.findall(WORD, " ".join([*registers.register_columns(), registers.secrecy_marking(), "Sida"])))
    return Counter(w for w in re.findall(WORD, text) if w not in repeated and not w.isdigit())


def test_register_pdf_job_has_the_same_text_as_the_html_rendering(client_for, settings, tmp_path):
    """The register drawn by the job holds the same words as the WeasyPrint rendering of the page it replaces."""
    settings.MEDIA_ROOT = tmp_path
    client = client_for("dpo")
    response = client.post("/efterlevnad/forteckning/pdf-jobb/?datum=2025-06-01")
    job = Job.objects.get(kind=JobKind.REGISTER_PDF)
    assert response.status_code == 302 and response["Location"].endswith(f"?datum=2025-06-01&jobb={job.pk}")
    assert job.state == JobState.DONE and job.started_by.username == "dataskydd"
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and f"/jobb/{job.pk}/fil/" in page
    download = client.get(f"/jobb/{job.pk}/fil/")
    assert download["Cache-Control"] == "no-store"
    new = b"".join(download.streaming_content)

    import datetime as dt

    before = render_pdf("compliance/register_pdf.html", registers.register_context(dt.date(2025, 6, 1)))
    assert pdf_words(new) == pdf_words(before)
    assert len(registers.register_rows(dt.date(2025, 6, 1))) > 3  # the comparison covers real rows
    assert ObjectChange.objects.filter(event="register.exported", user_name="dataskydd").count() == 1


def test_register_pdf_job_cancelled_leaves_no_file_and_no_log_entry(monkeypatch, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    original = registers.register_document

    def gathered_then_cancelled(*args, **kwargs):
        document = original(*args, **kwargs)
        Job.objects.update(cancel_requested=True)  # the user clicks Cancel while the rows are gathered
        return document

    monkeypatch.setattr(registers, "register_document", gathered_then_cancelled)
    job = runner.start(JobKind.REGISTER_PDF, demo_users["officer"], {"on_date": "2025-06-01"})
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and not job.result_file
    assert not list(tmp_path.rglob("*.pdf"))
    assert not ObjectChange.objects.filter(event="register.exported").exists()


def test_the_database_backend_and_its_worker_run_a_job(monkeypatch, demo_users, settings, tmp_path):
    """The production path: the task row stored by django-tasks-db, then taken by `db_worker`."""
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path
    use(monkeypatch, counting)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        job = runner.start(HANDLER, demo_users["officer"])
        assert Job.objects.get(pk=job.pk).state == JobState.QUEUED  # waits for the worker
        assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
        # The worker closes its database connection when done; here that is the test's own connection,
        # inside the test's transaction (PostgreSQL then answers "the connection is closed").
        from django.db.backends.base.base import BaseDatabaseWrapper

        monkeypatch.setattr(BaseDatabaseWrapper, "close", lambda self: None)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result_file.read() == b"hej"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_prune_jobs_removes_files_of_jobs_finished_more_than_n_days_ago(demo_users, settings, tmp_path):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    settings.TRYGG_JOB_FILES_DAYS = 7
    now = timezone.now()

    def job_with_file(name, state, finished_days_ago, **fields):
        job = Job.objects.create(kind=JobKind.REPORT_FILE, started_by=demo_users["officer"], state=state, **fields)
        job.result_file.save(name, ContentFile(b"%PDF"), save=False)
        job.result_name = name
        job.finished_at = now - dt.timedelta(days=finished_days_ago) if finished_days_ago is not None else None
        job.save()
        return job

    old = job_with_file("gammal.pdf", JobState.DONE, 8)
    recent = job_with_file("ny.pdf", JobState.DONE, 6)
    running = job_with_file("pagar.pdf", JobState.RUNNING, None)
    upload = Job.objects.create(
        kind=JobKind.CAMERA_IMPORT,
        started_by=demo_users["officer"],
        state=JobState.FAILED,
        finished_at=now - dt.timedelta(days=9),
        params={"upload": "ZGF0YQ==", "name": "kameror.csv"},
    )
    old_path = Path(old.result_file.path)

    out = io.StringIO()
    call_command("prune_jobs", "--dry-run", stdout=out)
    assert "2 jobb skulle rensas" in out.getvalue() and old_path.exists()

    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert "2 jobb rensades (avslutade för mer än 7 dagar sedan)." in out.getvalue()
    old.refresh_from_db()
    upload.refresh_from_db()
    assert not old_path.exists() and not old.result_file and old.pruned and old.result_name == "gammal.pdf"
    assert upload.params == {"name": "kameror.csv"} and upload.pruned
    assert Path(recent.result_file.path).exists() and Path(running.result_file.path).exists()
    html = render_job(old)
    assert "Filen är borttagen" in html and "/fil/" not in html

    call_command("prune_jobs", "--days", "0", stdout=io.StringIO())  # a shorter time, from the command line
    recent.refresh_from_db()
    assert recent.pruned and not recent.result_file


def render_job(job):
    from django.template.loader import render_to_string

    return render_to_string("jobs/_job.html", {"job": job})
