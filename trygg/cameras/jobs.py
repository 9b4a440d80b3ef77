"""Background jobs of cameras (`trygg.jobs`): coverage and intrusion of every camera recomputed, and the
import of a file of existing cameras (its commit step, with TRYGG_IMPORT_IN_WORKER)."""

from __future__ import annotations

import base64

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from trygg.cameras import imports
from trygg.cameras.coverage import recompute
from trygg.cameras.models import Camera
from trygg.core.texts import deferred as _
from trygg.jobs.models import Job
from trygg.jobs.runner import JobFailed, JobResult, Progress

CHUNK = 500


def recompute_all(job: Job, progress: Progress) -> JobResult:
    """Recompute the stored coverage of all cameras, site by site, `CHUNK` cameras per transaction.

    Each chunk is one committed unit: its cameras' computed fields are written together or not at all.
    A cancel stops between chunks; the cameras done by then keep their new (correct) coverage and the
    others their previous one, so no camera is ever half-written. Problems per camera are reported in
    the step text, as `trygg compute_coverage` prints them.
    """
    cameras = list(Camera.objects.order_by("site_id", "pk"))
    total = len(cameras)
    problems: dict[int, str] = {}
    progress(0, total, _("Räknar om täckningen"))
    for start in range(0, total, CHUNK):
        with transaction.atomic():
            recompute(cameras[start : start + CHUNK], problems=problems)
        done = min(start + CHUNK, total)
        progress(done, total, _("%(done)s av %(total)s kameror omräknade") % {"done": done, "total": total})
    if problems:
        progress(
            total,
            total,
            _("%(total)s kameror omräknade; för %(count)s kunde täckningen inte räknas.")
            % {"total": total, "count": len(problems)},
        )
    return JobResult(url=reverse("map"))


def import_file(job: Job, progress: Progress) -> JobResult:
    """Import the cameras of the file in `job.params` ("upload": base64, "name", "osm", "only_valid").

    The file is checked again (the register may have changed since the preview) and written in short
    batches (`imports.import_cameras`), so other users can save meanwhile: a cancel, a crash or, with
    all-or-nothing, one row at fault leaves no camera of the file (those written are removed again; the
    ids written so far are kept on the job, so a worker that dies is undone when the next one starts). A refusal fails the job with the Swedish reason and the first
    rows at fault; the rows skipped and the cameras registered with something missing are the job's notes.
    """
    data = base64.b64decode(job.params["upload"])
    name = job.params["name"]
    only_valid = bool(job.params.get("only_valid"))
    progress(0, 0, _("Granskar filen %(name)s igen") % {"name": name})
    result = imports.preview_upload(data, name, job.params.get("osm") or {})
    if result.file_problem:
        raise JobFailed(_("Inget importerades: %(problem)s") % {"problem": result.file_problem})

    def row_saved(done: int, total: int) -> None:
        progress(done, total, _("%(done)s av %(total)s kameror sparade") % {"done": done, "total": total})

    def batch_written(ids: list[int]) -> None:
        Job.objects.filter(pk=job.pk).update(written=ids)

    outcome = imports.import_cameras(
        result, only_valid=only_valid, user=job.started_by, progress=row_saved, on_batch=batch_written
    )
    if outcome.refused and not only_valid:
        rows = "; ".join(
            gettext("rad %(row)s: %(problems)s") % {"row": number, "problems": " ".join(problems)}
            for number, problems in outcome.refused[:MAX_ROWS_TOLD]
        )
        more = len(outcome.refused) - MAX_ROWS_TOLD
        tail = " " + gettext("… och %(count)s till.") % {"count": more} if more > 0 else ""
        raise JobFailed(f"{imports.refused_text(outcome)} {rows}{tail}")
    return JobResult(
        url=reverse("cameras:list"), summary=imports.done_text(outcome), notes=imports.warning_texts(outcome)
    )


MAX_ROWS_TOLD = 10  # rows at fault named in a failed job's reason; the preview lists them all
