"""Undoing an import pass whose process died: a killed worker, a web process stopped by its timeout.

An import pass commits its incidents in short batches (`services.import_rows`) and deletes them again
itself when it fails; a process that is killed cannot. Such a run stays "importing" with part of its
rows. Every progress write of a pass sets `ImportRun.progress_at` (a batch is a few seconds at most),
so a pass that has not moved for TRYGG_JOB_STALE_MINUTES is dead: its rows are deleted
(`services.remove_written`) and the run is marked failed with a Swedish reason. A stale check pass
wrote no incidents; it is only marked failed, so the user can start it again.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from trygg.incidents import services
from trygg.incidents.choices import ImportStatus
from trygg.incidents.models import ImportRun

RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


def stale_runs(now: dt.datetime, stale_after: dt.timedelta) -> QuerySet[ImportRun]:
    """Runs checking or importing whose last progress (or start) is more than `stale_after` before `now`."""
    cutoff = now - stale_after
    return (
        ImportRun.objects.filter(status__in=RUNNING)
        .annotate(last_sign=Coalesce("progress_at", "started_at", "created_at"))
        .filter(Q(last_sign__lt=cutoff))
        .order_by("pk")
    )


def recover(run: ImportRun) -> int:
    """Undo the dead pass of `run` and mark it failed; returns the incidents deleted (0 for a check).

    Safe to repeat (a crash during the clean-up leaves the rest for the next call)."""
    removed = services.remove_written(run) if run.status == ImportStatus.IMPORTING else 0
    run.refresh_from_db()
    if run.status == ImportStatus.IMPORTING:
        message = gettext(
            "Importen stannade mitt i arbetet (bakgrundsprocessen eller webbservern stoppades). "
            "Inget sparades; starta importen igen."
        )
    else:
        message = gettext(
            "Granskningen stannade mitt i arbetet (bakgrundsprocessen eller webbservern stoppades). "
            "Ladda upp filen igen."
        )
    run.status = ImportStatus.FAILED
    run.failure = message
    run.created_rows = 0
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "failure", "created_rows", "finished_at"])
    return removed


def recover_stale(now: dt.datetime, stale_after: dt.timedelta, runs: QuerySet[ImportRun] | None = None) -> list[int]:
    """Recover every stale run (of `runs`, default all); returns the ids of the runs recovered."""
    queryset = stale_runs(now, stale_after)
    if runs is not None:
        queryset = queryset.filter(pk__in=runs.values("pk"))
    recovered = []
    for run in queryset:
        recover(run)
        recovered.append(run.pk)
    return recovered
