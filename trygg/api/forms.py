"""The form on the API keys page: a name for a new key."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.api.models import ApiToken


class NewTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        error_messages = {"name": {"required": _("Fyll i fältet ”namn”, t.ex. vad nyckeln ska användas till.")}}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Fyll i fältet ”namn”, t.ex. vad nyckeln ska användas till."))
        return name
