"""The record of a background job that Trygg shows to the person who started it.

The task queue (django-tasks with its database backend, see `trygg.jobs.runner`) only runs the work;
this record is what the pages read: what kind of job, who started it, its state, how far it has come
(done of total, with a step text), what it made (a file or a link), and why it failed. The step and the
failure are kept as the Swedish msgid and its values (`trygg.core.texts`) and shown in the reader's
language (`step_text`, `failure_text`): the job runs in Swedish, its page may be read in English. It is not an audited domain model: its progress changes every second while it runs, and the
work it does (an export, a recompute, an import) records its own events in the change log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core import texts
from trygg.core.choices import ColouredChoices, with_colours


class JobState(ColouredChoices):
    QUEUED = "queued", _("i kö")
    RUNNING = "running", _("pågår")
    DONE = "done", _("klart")
    FAILED = "failed", _("misslyckades")
    CANCELLED = "cancelled", _("avbrutet")


with_colours(JobState, {"queued": "grey", "running": "blue", "done": "green", "failed": "red", "cancelled": "amber"})

ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING})
QUEUE_PATIENCE_S = 60  # a worker polls every second or so; a job queued for longer has no worker


class JobKind(models.TextChoices):
    REGISTER_PDF = "register_pdf", _("Förteckningen enligt 10 § som PDF")
    COVERAGE = "coverage", _("Täckning och intrång för alla kameror")
    INCIDENT_IMPORT = "incident_import", _("Import av händelser")
    CAMERA_IMPORT = "camera_import", _("Import av kameror")
    REPORT_FILE = "report_file", _("Tjänsteutlåtandet som fil")
    PROGRAMME_EFFECT = "programme_effect", _("Programmets effekt")


def result_path(instance: Job, filename: str) -> str:
    return f"jobb/{instance.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField(_("slag"), max_length=40, choices=JobKind.choices)
    params = models.JSONField(_("indata"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("läge"), max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("klart"), default=0)
    total = models.PositiveIntegerField(_("totalt"), default=0)
    step = models.CharField(_("steg"), max_length=200, blank=True)  # a msgid, or a text composed before
    step_params = models.JSONField(_("stegets värden"), null=True, blank=True)
    result_file = models.FileField(_("resultat"), upload_to=result_path, blank=True)
    result_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    result_url = models.CharField(_("länk till resultatet"), max_length=300, blank=True)
    failure = models.TextField(_("orsak till felet"), blank=True)  # as `step`
    failure_params = models.JSONField(_("felets värden"), null=True, blank=True)
    notes = models.JSONField(_("meddelanden"), default=list, blank=True)
    pruned = models.BooleanField(_("filen rensad"), default=False)
    cancel_requested = models.BooleanField(_("avbrott begärt"), default=False)
    request_id = models.CharField(_("begärans id"), max_length=40, blank=True)
    task_id = models.CharField(_("köns id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    started_at = models.DateTimeField(_("startat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    # Written by the running process every minute (`runner.Heartbeat`): a running job without one for
    # TRYGG_JOB_STALE_MINUTES lost its worker and is marked failed (`trygg.jobs.recovery`).
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    # Ids of the rows a job has committed so far (a camera import's cameras), saved with each batch, so
    # the work of a job whose process died can be removed again (`trygg.jobs.recovery`).
    written = models.JSONField(_("sparade rader"), default=list, blank=True)

    class Meta:
        verbose_name = _("bakgrundsjobb")
        verbose_name_plural = _("bakgrundsjobb")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def step_text(self) -> str:
        """The step (or, when done, the summary) in the reader's language."""
        return texts.shown(self.step, self.step_params, gettext)

    @property
    def failure_text(self) -> str:
        """Why the job failed, in the reader's language."""
        return texts.shown(self.failure, self.failure_params, gettext)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def waiting_long(self) -> bool:
        """Queued for over a minute: the worker (`trygg db_worker`) may not be running; the page says so."""
        from django.utils import timezone

        return self.state == JobState.QUEUED and (timezone.now() - self.created_at).total_seconds() > QUEUE_PATIENCE_S

    @property
    def percent(self) -> int:
        """Whole per cent done (0–100); 100 when the job is done."""
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))
