"""Coverage and intrusion of every camera recomputed as a background job (`trygg.jobs`)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from trygg.cameras.coverage import recompute
from trygg.cameras.models import Camera
from trygg.jobs.models import Job
from trygg.jobs.runner import JobResult, Progress

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
    progress(0, total, gettext("Räknar om täckningen"))
    for start in range(0, total, CHUNK):
        with transaction.atomic():
            recompute(cameras[start : start + CHUNK], problems=problems)
        done = min(start + CHUNK, total)
        progress(done, total, gettext("%(done)s av %(total)s kameror omräknade") % {"done": done, "total": total})
    if problems:
        progress(
            total,
            total,
            gettext("%(total)s kameror omräknade; för %(count)s kunde täckningen inte räknas.")
            % {"total": total, "count": len(problems)},
        )
    return JobResult(url=reverse("map"))
