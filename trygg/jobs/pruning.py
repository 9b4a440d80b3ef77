"""Removing the files of finished jobs after some days (`trygg prune_jobs`, run daily by cron or a timer).

A job's file (a report, the register PDF) is a copy made for one download; the register itself stays
in Trygg. The job record stays (who made what, when), marked as pruned; so do its notes.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from trygg.jobs.models import ACTIVE_STATES, Job


def prunable(days: int, now: dt.datetime) -> QuerySet[Job]:
    """Finished jobs (done, failed, cancelled) with a file or stored input, finished more than `days` days
    before `now` (a timezone-aware datetime). Raises ValueError for a negative `days`."""
    if days < 0:
        raise ValueError(days)
    cutoff = now - dt.timedelta(days=days)
    return (
        Job.objects.exclude(state__in=ACTIVE_STATES)
        .filter(finished_at__lt=cutoff)
        .filter(~Q(result_file="") | Q(params__has_key="upload"))
        .order_by("pk")
    )


def prune(jobs: QuerySet[Job]) -> int:
    """Delete each job's file and the upload kept in its input; returns how many jobs were pruned.

    The row is changed only after its file is gone, so a failure part-way leaves a job that is simply
    pruned again on the next run (a missing file counts as deleted).
    """
    count = 0
    for job in jobs.iterator():
        if job.result_file:
            job.result_file.delete(save=False)  # the storage ignores a file already missing
        params = {key: value for key, value in job.params.items() if key != "upload"}
        Job.objects.filter(pk=job.pk).update(result_file="", params=params, pruned=True)
        count += 1
    return count
