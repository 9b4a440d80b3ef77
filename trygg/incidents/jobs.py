"""A queued pass of an incident import (check or import) as a background job (`trygg.jobs`)."""

from __future__ import annotations

from django.urls import reverse

from trygg.core.texts import deferred as _
from trygg.incidents import services
from trygg.incidents.choices import ImportStatus
from trygg.incidents.models import ImportRun
from trygg.jobs.models import Job
from trygg.jobs.runner import JobFailed, JobResult, Progress


def process_run(job: Job, progress: Progress) -> JobResult:
    """Run the pass the import run `job.params["run"]` is queued for (`services.process`).

    The import pass commits its rows in short batches and deletes them all again if it fails or is
    cancelled (all or none, `services.import_rows`); the job shows the rows saved so far and can be
    cancelled between batches. A failed pass fails the job with the run's Swedish reason.
    """
    run = ImportRun.objects.get(pk=job.params["run"])
    progress(0, 0, _("Granskar eller importerar filen %(name)s") % {"name": run.original_name})

    def saved(created: int, total: int) -> None:
        progress(created, total, _("%(created)s av %(total)s händelser sparade") % {"created": created, "total": total})

    services.process(run, saved)
    run.refresh_from_db()
    if run.status == ImportStatus.FAILED:
        raise JobFailed(run.failure)
    return JobResult(url=reverse("incidents:import_run", args=[run.pk]))
