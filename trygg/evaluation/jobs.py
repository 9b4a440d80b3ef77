"""The programme evaluation computed as a background job (`trygg.jobs`), started from the programme page."""

from __future__ import annotations

from django.urls import reverse

from trygg.core.texts import deferred as _
from trygg.evaluation import programme_store
from trygg.jobs.models import Job
from trygg.jobs.runner import JobResult, Progress


def recompute_programme(job: Job, progress: Progress) -> JobResult:
    """Evaluate every camera site and store the result (`programme_store.recompute`).

    Progress is counted in the sites that have had cameras in operation, the sites the result lists, so
    the finished job's "7 av 7" are the page's 7 sites. Nothing is written until every site is evaluated,
    in one transaction: a cancelled or failed job leaves the stored result as it was. The texts are
    stored as msgids (`trygg.core.texts`) and shown in the reader's language.
    """
    progress(0, 0, _("Läser händelseregistret"))

    def sites_done(done: int, total: int) -> None:
        progress(done, total, _("Utvärderar platserna som har haft kameror i drift"))

    effect = programme_store.recompute(progress=sites_done)
    if not effect.sites_total:
        summary = _("Programmets effekt är beräknad, men ingen plats har haft kameror i drift.")
    else:
        summary = _("Programmets effekt är beräknad för platserna som har haft kameror i drift")
    return JobResult(url=reverse("evaluation:programme"), summary=summary)
