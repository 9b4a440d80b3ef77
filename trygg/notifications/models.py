"""Each user's choice of e-mail reminders, and the log of what was sent (so nothing goes out twice)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import AuditedModel
from trygg.notifications import selection
from trygg.notifications.choices import ReminderKind

DAYS_VALIDATORS = [MaxValueValidator(selection.MAX_DAYS_AHEAD)]
DAYS_HELP = _("Hur många dagar före datumet påminnelsen kommer (0 = samma dag).")


class ReminderPreference(AuditedModel):
    """A user's påminnelser: which kinds to get by e-mail, how many days ahead, and in which language.

    A user without a row gets no e-mail. The address is the user's own (`User.email`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    deadlines = models.BooleanField(_("tidsfrister"), default=False)
    deadlines_days = models.PositiveSmallIntegerField(
        _("dagar i förväg för tidsfrister"), default=7, validators=DAYS_VALIDATORS, help_text=DAYS_HELP
    )
    reviews = models.BooleanField(_("översyn av bedömningar"), default=False)
    reviews_days = models.PositiveSmallIntegerField(
        _("dagar i förväg för översyn"), default=30, validators=DAYS_VALIDATORS, help_text=DAYS_HELP
    )
    sign_inspections = models.BooleanField(_("inspektion av skyltar"), default=False)
    sign_inspections_days = models.PositiveSmallIntegerField(
        _("dagar i förväg för inspektion av skyltar"), default=14, validators=DAYS_VALIDATORS, help_text=DAYS_HELP
    )
    queue = models.BooleanField(_("väntar på dataskyddsombudets råd eller beslut"), default=False)
    language = models.CharField(_("språk i e-posten"), max_length=10, choices=settings.LANGUAGES, default="sv")

    class Meta:
        verbose_name = _("val av påminnelser")
        verbose_name_plural = _("val av påminnelser")

    def __str__(self) -> str:
        return gettext("Påminnelser för %(user)s") % {"user": self.user}

    def chosen(self) -> dict[str, int]:
        """{kind: days ahead} of the kinds this user has chosen (the queue has 0: it has no window)."""
        days = {
            ReminderKind.DEADLINES: (self.deadlines, self.deadlines_days),
            ReminderKind.REVIEWS: (self.reviews, self.reviews_days),
            ReminderKind.SIGN_INSPECTIONS: (self.sign_inspections, self.sign_inspections_days),
            ReminderKind.QUEUE: (self.queue, 0),
        }
        return {str(kind): ahead for kind, (on, ahead) in days.items() if on}


class SentReminder(models.Model):
    """One reminder sent to one user: the thing, its due date and when it went out.

    The unique key (user, thing, due date) is what makes sending idempotent: the row is written in
    the same transaction as the decision to send, and a second run on the same day finds it. It is a
    log like the change log, so it is not itself audited.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("typ"), max_length=30, choices=ReminderKind.choices)
    item_key = models.CharField(_("vad"), max_length=200)
    due_on = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=300)
    run_on = models.DateField(_("körningens datum"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        ordering = ["-sent_at", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["user", "item_key", "due_on"], name="sentreminder_once_per_user_item_date")
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.title}"
