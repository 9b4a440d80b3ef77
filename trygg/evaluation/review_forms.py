"""Forms of the yearly review: the officer's decision and the DPO's note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.evaluation.review_models import CameraReview, ReviewOutcome


class ReviewForm(forms.ModelForm):
    """The officer's decision: outcome, reason, and whether conditions at the place have changed."""

    outcome = forms.ChoiceField(
        label=_("Beslut"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett beslut: behåll, ändra eller avveckla.")},
    )

    class Meta:
        model = CameraReview
        fields = ["outcome", "reason", "circumstances_changed", "circumstances_description"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "circumstances_description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reason": _("Varför bevakningen behålls, ändras eller avvecklas, med stöd i underlaget ovan."),
        }
        error_messages = {"reason": {"required": _("Motivera beslutet.")}}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("circumstances_changed") and not (cleaned.get("circumstances_description") or "").strip():
            self.add_error("circumstances_description", _("Beskriv vad som har ändrats på platsen."))
        return cleaned


class NoteForm(forms.Form):
    """The DPO's note on a decided review, with an optional comment."""

    dpo_comment = forms.CharField(
        label=_("Kommentar (frivillig)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
