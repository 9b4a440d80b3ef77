"""The programme evaluation computed as a background job (`trygg.jobs`), started from the programme page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from trygg.evaluation import programme_store
from trygg.jobs.models import Job
from trygg.jobs.runner import JobResult, Progress


def recompute_programme(job: Job, progress: Progress) -> JobResult:
    """Evaluate every camera site and store the result (`programme_store.recompute`).

    Progress is counted in sites of the register. Nothing is written until every site is evaluated,
    in one transaction: a cancelled or failed job leaves the stored result as it was.
    """
    progress(0, 0, gettext("Läser händelseregistret"))

    def sites_done(done: int, total: int) -> None:
        progress(done, total, gettext("%(done)s av %(total)s platser utvärderade") % {"done": done, "total": total})

    effect = programme_store.recompute(progress=sites_done)
    return JobResult(
        url=reverse("evaluation:programme"),
        summary=gettext("Programmets effekt beräknad för %(count)s platser med kameror i drift.")
        % {"count": effect.sites_total},
    )
