"""Starting and running background jobs on the task queue (django-tasks).

    job = start(JobKind.REGISTER_PDF, user, {"on_date": "2025-06-01"}, request)

`start` writes a `Job` record and enqueues the task `run_job` with its id. With the database backend
(`django_tasks_db.DatabaseBackend`, the default) the worker `trygg db_worker` picks it up; in the tests
the immediate backend runs it at once. The work itself is a handler per kind (`HANDLERS`), called as
`handler(job, progress)`: it calls `progress(done, total, step)` between batches, which saves how far it
has come and raises `JobCancelled` when someone asked to cancel. It returns a `JobResult` (a file or a
link) or None. A handler leaves nothing half-done: either it writes nothing until the end (the PDF) or
each batch is a complete unit committed on its own (see each handler's docstring).

A handler raises `JobFailed` with a Swedish message for a failure the user can understand; any other
exception is logged with its traceback and the request id, and the user reads a Swedish message that
quotes the job's reference, never the exception's text.

Steps, summaries and failures are stored as their msgid and values (`trygg.core.texts`): a handler
writes them with `trygg.core.texts.deferred` as `_`, and the pages show them in the reader's language.
A text given already composed (a plain str) is stored and shown as it is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from trygg.core import middleware
from trygg.core.texts import Text
from trygg.core.texts import deferred as _
from trygg.jobs.models import ACTIVE_STATES, Job, JobKind, JobState

logger = logging.getLogger("trygg.jobs")

#: The work of each kind of job, as a dotted path (imported when the job runs).
HANDLERS: dict[str, str] = {
    JobKind.REGISTER_PDF: "trygg.compliance.jobs.register_pdf",
    JobKind.COVERAGE: "trygg.cameras.jobs.recompute_all",
    JobKind.INCIDENT_IMPORT: "trygg.incidents.jobs.process_run",
    JobKind.CAMERA_IMPORT: "trygg.cameras.jobs.import_file",
    JobKind.REPORT_FILE: "trygg.reports.jobs.report_file",
    JobKind.PROGRAMME_EFFECT: "trygg.evaluation.jobs.recompute_programme",
}


class JobCancelled(Exception):
    """Raised by `Progress` when the job was asked to stop; the handler's open unit is rolled back."""


class JobFailed(Exception):
    """A failure the user can act on; `message` is Swedish, a `Text` (shown in the reader's language) or
    already composed (shown as it is)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class JobResult:
    """What a job made: a file (`content` saved as `filename`), a link (`url`), and lines for the user
    (`notes`, Swedish, already translated: e.g. the rows an import skipped) and the `summary` shown as the
    last step (a `Text`, see the module's docstring)."""

    content: bytes | None = None
    filename: str = ""
    url: str = ""
    notes: list[str] = field(default_factory=list)
    summary: str = ""


class Progress:
    """Saves how far a job has come and stops it when cancelled: `progress(done, total, step)`.

    Writes at most every `interval` seconds (and always at the first and the last step), each time
    in its own short statement outside any transaction of the handler's, so the page polling it sees
    it at once. Raises `JobCancelled` when the job's cancel request is set.
    """

    def __init__(self, job: Job, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, step: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= self.interval or done == 0 or done >= total:
            self._last = now
            fields = {"done": done, "total": total, **text_fields("step", step)}
            for name, value in fields.items():
                setattr(self.job, name, value)
            Job.objects.filter(pk=self.job.pk).update(**fields, heartbeat_at=timezone.now())
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled


class Heartbeat:
    """Writes `Job.heartbeat_at` every `interval` seconds from a thread while the job runs, so a job in a
    long step (a PDF being laid out) still shows it is alive and only a dead one goes stale
    (`trygg.jobs.recovery`). Use as a context manager; the first beat comes after `interval`."""

    def __init__(self, job_id: int, interval: float = 60.0) -> None:
        self.job_id = job_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"trygg-job-{job_id}-heartbeat", daemon=True)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # a missed beat (a busy database) must never stop the job; try again
                    logger.warning("Heartbeat of job %s missed", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def text_fields(name: str, text: str) -> dict[str, Any]:
    """The fields `<name>` and `<name>_params` of a job that keep `text`: its msgid and values when it is
    a `Text` (shown later in the reader's language), else the text as it is (params None)."""
    if isinstance(text, Text) and (text.params is not None or text.msgid == str(text)):
        return {name: text.msgid[:200] if name == "step" else text.msgid, f"{name}_params": text.params}
    return {name: text[:200] if name == "step" else str(text), f"{name}_params": None}


def start(kind: str, user: Any, params: dict[str, Any] | None = None, request: Any = None) -> Job:
    """Record a job of `kind` started by `user` and put it on the queue; returns the job (state queued).

    `params` must be JSON (dates as ISO strings). The request's id is kept so a failure's log lines can
    be found from the request that started it. Raises KeyError for an unknown kind.
    """
    if kind not in HANDLERS:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        started_by=user if getattr(user, "is_authenticated", False) else None,
        request_id=str(getattr(request, "request_id", "") or ""),
        **text_fields("step", _("Väntar på bakgrundsprocessen")),
    )

    # The database backend stores the task in the same database: inside a transaction both rows are
    # committed together, so a worker never takes a task whose job it cannot see yet.
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def active_job(kind: str, params: dict[str, Any] | None = None) -> Job | None:
    """The oldest job of `kind` with `params` that is queued or running, by anyone, or None: a page offers
    it instead of queuing the same work twice. Reads the active jobs of that kind (a few rows)."""
    wanted = params or {}
    active = Job.objects.filter(kind=kind, state__in=ACTIVE_STATES).select_related("started_by")
    return next((job for job in active.order_by("created_at", "pk") if job.params == wanted), None)


def cancel(job: Job) -> None:
    """Ask a job to stop: a queued job is cancelled at once, a running one at its next batch."""
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.CANCELLED, finished_at=timezone.now(), **text_fields("step", _("Avbrutet innan det startade"))
    )
    job.refresh_from_db()


def _finish(job: Job, state: str, **fields: Any) -> None:
    for text in ("step", "failure"):
        if text in fields:
            fields |= text_fields(text, fields[text])
    for name, value in fields.items():
        setattr(job, name, value)
    job.state = state
    job.finished_at = timezone.now()
    job.save()


def execute(job_id: int) -> None:
    """Run the job `job_id` now, in this process (the task body); a job not queued is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED, cancel_requested=False).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    token = middleware._request_id.set(job.request_id or f"jobb-{job.pk}")
    try:
        with translation.override(settings.LANGUAGE_CODE), Heartbeat(job.pk):
            _run(job)
    finally:
        middleware._request_id.reset(token)


def _run(job: Job) -> None:
    handler: Callable[[Job, Progress], JobResult | None] = import_string(HANDLERS[job.kind])
    progress = Progress(job)
    try:
        progress(0, 0, _("Startar"))
        result = handler(job, progress)
    except JobCancelled:
        _finish(job, JobState.CANCELLED, step=_("Avbrutet; inget av det påbörjade sparades."))
    except JobFailed as failed:
        _finish(job, JobState.FAILED, failure=failed.message, step=_("Misslyckades"))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            JobState.FAILED,
            step=_("Misslyckades"),
            failure=_(
                "Jobbet misslyckades av ett tekniskt fel och inget sparades. Försök igen, eller ge systemförvaltaren referensen %(reference)s."
            )
            % {"reference": job.request_id or f"jobb-{job.pk}"},
        )
    else:
        if result is not None:
            if result.content is not None:
                job.result_file.save(result.filename, ContentFile(result.content), save=False)
                job.result_name = result.filename
            job.result_url = result.url
            job.notes = result.notes
        step = result.summary if result is not None and result.summary else _("Klart")
        _finish(job, JobState.DONE, done=max(job.done, job.total), step=step)


@task()
def run_job(job_id: int) -> None:
    """The task the queue runs: the job `job_id` (see `execute`)."""
    execute(job_id)
