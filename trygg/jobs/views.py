"""Job pages: a job's progress (full page and the fragment htmx polls), cancel, and its result file.

A job is seen only by the person who started it (others get 404, as for an unknown job); the work it
started was checked against that person's rights when it was started. Any role may have jobs (a reader
makes a frozen board report's PDF/A as a job), so the pages need a role, not a staff role.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.jobs import recovery, runner
from trygg.jobs.models import Job, JobKind


def _job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk, started_by=request.user)
    if job.state == "running" and recovery.recover(jobs=Job.objects.filter(pk=job.pk)).jobs:
        job.refresh_from_db()  # its process died: the page says so instead of "pågår" for ever
    return job


@requires(roles.has_role)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(started_by=request.user).order_by("-created_at", "-pk")[:50]
    context = {"jobs": jobs, "may_recompute": roles.edits_register.test(request.user)}
    return render(request, "jobs/job_list.html", context)


@require_POST
@requires(roles.edits_register)
def start_coverage(request: HttpRequest) -> HttpResponse:
    """Recompute the coverage of every camera in the background (as `trygg compute_coverage` does)."""
    job = runner.start(JobKind.COVERAGE, request.user, {}, request)
    return redirect("jobs:detail", pk=job.pk)


@requires(roles.has_role)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": _job(request, pk)})


# The event a job's fragment raises (htmx's HX-Trigger) when the job has ended: a page that offers to
# start the job again (the programme page's "Räkna om nu") listens for it and shows its own parts anew.
JOB_ENDED_EVENT = "job-ended"


def _fragment(request: HttpRequest, job: Job) -> HttpResponse:
    response = render(request, "jobs/_job.html", {"job": job})
    if not job.active:
        response["HX-Trigger"] = JOB_ENDED_EVENT
    return response


@requires(roles.has_role)
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment (`jobs/_job.html`) the pages poll every second while the job is active; the
    last one, of an ended job, raises `JOB_ENDED_EVENT`."""
    response = _fragment(request, _job(request, pk))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(roles.has_role)
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a job: a queued one at once (its fragment then raises `JOB_ENDED_EVENT`), a running one at
    its next step (its polled fragment does)."""
    job = _job(request, pk)
    runner.cancel(job)
    if request.htmx:
        return _fragment(request, job)
    return redirect("jobs:detail", pk=job.pk)


@requires(roles.has_role)
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if not job.result_file or not job.result_file.storage.exists(job.result_file.name):
        raise Http404
    response = FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)
    response["Cache-Control"] = "no-store"
    return response
