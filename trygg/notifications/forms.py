"""The form on /konto/paminnelser/: the kinds the user's roles allow, days ahead, language and address."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from trygg.notifications import selection
from trygg.notifications.models import ReminderPreference
from trygg.notifications.services import allowed_kinds

KIND_FIELDS = {
    selection.DEADLINES: ("deadlines", "deadlines_days"),
    selection.REVIEWS: ("reviews", "reviews_days"),
    selection.SIGN_INSPECTIONS: ("sign_inspections", "sign_inspections_days"),
    selection.QUEUE: ("queue", None),
}
KIND_LABELS = {
    "deadlines": _("Påminn mig om tidsfrister"),
    "reviews": _("Påminn mig om översyner av bedömningar"),
    "sign_inspections": _("Påminn mig om inspektioner av skyltar"),
    "queue": _("Påminn mig om bedömningar som väntar på mitt råd eller beslut"),
}


class PreferenceForm(forms.ModelForm):
    email = forms.EmailField(
        label=_("E-postadress"),
        required=False,
        help_text=_("Påminnelserna skickas hit. Adressen är densamma som på ditt användarkonto."),
    )

    class Meta:
        model = ReminderPreference
        fields = [
            "deadlines",
            "deadlines_days",
            "reviews",
            "reviews_days",
            "sign_inspections",
            "sign_inspections_days",
            "queue",
            "language",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].initial = user.email
        self.kinds = allowed_kinds(user)
        for kind, (flag, days) in KIND_FIELDS.items():
            if kind not in self.kinds:
                # A kind the user's roles may not see is neither offered nor saved.
                del self.fields[flag]
                if days:
                    del self.fields[days]
                continue
            self.fields[flag].label = KIND_LABELS[flag]
            if days:
                self.fields[days].label = _("Dagar i förväg")
                self.fields[days].widget.attrs.update({"min": 0, "max": selection.MAX_DAYS_AHEAD})
        self.fields["language"].help_text = _("Språket som e-posten skrivs på.")
        # Each language in its own name, capitalised as an option standing alone (as in the language menu).
        self.fields["language"].choices = [
            (code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES
        ]

    def sections(self) -> list[tuple[str, forms.BoundField, forms.BoundField | None]]:
        """(kind, checkbox, days field or None) for each kind offered, in the order of an e-mail."""
        return [
            (kind, self[KIND_FIELDS[kind][0]], self[KIND_FIELDS[kind][1]] if KIND_FIELDS[kind][1] else None)
            for kind in self.kinds
        ]

    def contact_fields(self) -> list[forms.BoundField]:
        """The address first, then the language of the e-mail."""
        return [self["email"], self["language"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = any(cleaned.get(KIND_FIELDS[kind][0]) for kind in self.kinds)
        if chosen and not cleaned.get("email"):
            self.add_error("email", _("Ange en e-postadress för att få påminnelser, eller välj bort alla påminnelser."))
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> ReminderPreference:
        preference = super().save(commit=False)
        preference.user = self.user
        for kind, (flag, _days) in KIND_FIELDS.items():
            if kind not in self.kinds:
                setattr(preference, flag, False)
        preference.save()
        email = self.cleaned_data.get("email", "")
        if email != self.user.email:
            self.user.email = email
            self.user.save(update_fields=["email"])
        return preference
