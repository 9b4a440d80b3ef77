"""The yearly review of a camera (årlig omprövning): is the surveillance still justified?

9 § kamerabevakningslagen (SFS 2025:220) asks for a new assessment when conditions at the place
change; art. 35.11 GDPR for a review when the risk changes; IMY expects surveillance to stop when it
is no longer needed. When each review is due: `trygg.evaluation.review_due`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours
from trygg.core.models import AuditedModel


class ReviewOutcome(ColouredChoices):
    """What the officer decided: keep the camera as it is, change it, or take it out of operation."""

    KEEP = "keep", _("Behåll")
    CHANGE = "change", _("Ändra")
    REMOVE = "remove", _("Avveckla")


with_colours(ReviewOutcome, {"keep": "green", "change": "orange", "remove": "red"})


class CameraReview(AuditedModel):
    """An omprövning of one camera: the facts of the period, the officer's decision and the DPO's note.

    Created when the officer decides (outcome and reason are required); the DPO then marks it as
    noted, with an optional comment. "Ändra", and "Behåll" after a change in circumstances, open a new
    version of the camera's 9 § assessment (`assessment_version`); "Avveckla" leads to the life-cycle
    form, where the camera is moved out of operation explicitly. `facts` freezes the figures the
    decision was made on (incident counts, coverage), so the record reads as it did on the day.
    """

    camera = models.ForeignKey(
        "cameras.Camera", verbose_name=_("kamera"), on_delete=models.PROTECT, related_name="reviews"
    )
    due_on = models.DateField(_("omprövning senast"))
    period_start = models.DateField(_("prövad period från"))
    period_end = models.DateField(_("prövad period till"))
    outcome = models.CharField(_("beslut"), max_length=10, choices=ReviewOutcome.choices)
    reason = models.TextField(_("motivering"))
    circumstances_changed = models.BooleanField(
        _("förhållandena på platsen har ändrats"),
        default=False,
        help_text=_("Till exempel färre händelser, ny belysning, ändrad verksamhet eller nya klagomål."),
    )
    circumstances_description = models.TextField(_("vad som har ändrats"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"))
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noterad av dataskyddsombudet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    noted_at = models.DateTimeField(_("noterad"), null=True, blank=True)
    dpo_comment = models.TextField(_("dataskyddsombudets kommentar"), blank=True)
    assessment_version = models.ForeignKey(
        "compliance.SurveillanceAssessment",
        verbose_name=_("ny version av intresseavvägningen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opened_by_reviews",
    )
    facts = models.JSONField(_("underlag vid beslutet"), default=dict, blank=True)

    administration_lookup = "camera__site__administration"

    class Meta:
        verbose_name = _("omprövning")
        verbose_name_plural = _("omprövningar")
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.camera} {self.due_on.isoformat()}"

    def audit_related_object(self) -> models.Model:
        return self.camera

    @property
    def opens_new_assessment(self) -> bool:
        """Whether the decision calls for a new version of the 9 § assessment."""
        return self.outcome == ReviewOutcome.CHANGE or (
            self.outcome == ReviewOutcome.KEEP and self.circumstances_changed
        )
