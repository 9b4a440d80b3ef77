"""Jobs whose process died are marked failed, and the work they left half-done is undone.

A worker killed mid-job (SIGKILL, out of memory, a power cut) never marks its job; the job would show
"pågår" for ever. The running process writes `Job.heartbeat_at` every minute (`runner.Heartbeat`) and
at each progress step, so a running job without a sign of life for TRYGG_JOB_STALE_MINUTES has lost its
process. `recover` first undoes the data such processes leave (an incident import's batches, a camera
import's cameras, kept in `Job.written`), then marks those jobs failed with a Swedish reason. It runs when a worker starts
(`trygg db_worker`), with `trygg prune_jobs` (daily), and for one job when its page is opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from trygg.core.texts import deferred as _
from trygg.incidents import recovery as incident_recovery
from trygg.jobs.models import Job, JobKind, JobState
from trygg.jobs.runner import text_fields


@dataclass(frozen=True)
class Recovered:
    """What `recover` did: ids of the jobs marked failed and of the import runs undone."""

    jobs: list[int]
    import_runs: list[int]


def stale_after() -> dt.timedelta:
    """TRYGG_JOB_STALE_MINUTES (default 10) as a timedelta."""
    return dt.timedelta(minutes=settings.TRYGG_JOB_STALE_MINUTES)


def stale_jobs(now: dt.datetime, after: dt.timedelta) -> QuerySet[Job]:
    """Running jobs whose last heartbeat (or start) is more than `after` before `now`."""
    return (
        Job.objects.filter(state=JobState.RUNNING)
        .annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
        .filter(last_sign__lt=now - after)
        .order_by("pk")
    )


def recover(
    now: dt.datetime | None = None, after: dt.timedelta | None = None, jobs: QuerySet[Job] | None = None
) -> Recovered:
    """Undo what dead processes left and mark their jobs failed; `jobs` limits it to some jobs (a page).

    `now` defaults to the current time, `after` to `stale_after()`. Import runs are undone whether a job
    or a web request ran them (`trygg.incidents.recovery`); with `jobs` given, only those jobs' runs.
    """
    now = now or timezone.now()
    after = after or stale_after()
    dead = stale_jobs(now, after)
    if jobs is not None:
        dead = dead.filter(pk__in=jobs.values("pk"))
        run_ids = [job.params.get("run") for job in dead if job.params.get("run")]
        runs = incident_recovery.stale_runs(now, after).filter(pk__in=run_ids)
        undone = incident_recovery.recover_stale(now, after, runs)
    else:
        undone = incident_recovery.recover_stale(now, after)
    marked = []
    undone_text = _(
        "Bakgrundsprocessen stoppades medan jobbet pågick, så jobbet blev inte klart. Det som hann sparas togs "
        "bort; starta det igen."
    )
    for job in dead:
        if job.kind == JobKind.CAMERA_IMPORT and job.written:
            from trygg.cameras.imports import remove_cameras

            remove_cameras(job.written, job.started_by)
        imports = (JobKind.CAMERA_IMPORT, JobKind.INCIDENT_IMPORT)
        claimed = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.FAILED,
            finished_at=now,
            **text_fields("step", _("Misslyckades")),
            **text_fields(
                "failure",
                undone_text
                if job.kind in imports
                else _("Bakgrundsprocessen stoppades medan jobbet pågick, så jobbet blev inte klart. Starta det igen."),
            ),
        )
        if claimed:
            marked.append(job.pk)
    return Recovered(marked, undone)
