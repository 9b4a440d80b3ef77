"""Forms for recording an incident, uploading a file, mapping its columns and ranking sites."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core import roles
from trygg.incidents import access, parsing
from trygg.incidents.choices import ImportMode
from trygg.incidents.models import Incident, IncidentSource
from trygg.sites.models import Site

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "site",
            "place_detail",
            "kind",
            "occurred_on",
            "occurred_time",
            "until_on",
            "until_time",
            "description",
            "reported_to_police",
            "police_report_number",
            "cost",
            "reported_by",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "until_on": DateInput(),
            "occurred_time": TimeInput(),
            "until_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = roles.scope_queryset(user, Site.objects.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("police_report_number"):
            data["reported_to_police"] = True
        return data


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Källa"),
        queryset=IncidentSource.objects.all(),
        required=False,
        empty_label=_("– ny källa –"),
        help_text=_("Källan minns kolumnvalet till nästa fil i samma format."),
    )
    new_source = forms.CharField(
        label=_("Namn på ny källa"),
        required=False,
        max_length=200,
        help_text=_("T.ex. ”Skadeanmälningar, fastighetsavdelningen” eller ”IMY:s sammanställning”."),
    )
    default_site = forms.ModelChoiceField(
        label=_("Plats för hela filen"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("– platsen står i filen –"),
        help_text=_("Välj en plats om filen gäller en enda plats och saknar kolumn för plats."),
    )
    file = forms.FileField(label=_("Fil (CSV eller Excel .xlsx)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_site"].queryset = roles.scope_queryset(user, Site.objects.all())
        # Sources are shared; only those who manage them add one (trygg.incidents.access).
        self.manages_sources = access.manages_import_sources.test(user)
        if not self.manages_sources:
            del self.fields["new_source"]
            source = self.fields["source"]
            source.required = True
            source.empty_label = None
            source.error_messages["required"] = gettext(
                "Välj en källa. Nya källor läggs upp av handläggarna på enheten Trygghet och säkerhet."
            )
            source.help_text = _(
                "Källorna och deras sparade kolumnval delas av alla som importerar. Ditt kolumnval gäller bara "
                "din fil; en ny källa läggs upp av handläggarna."
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(gettext("Filen är större än 100 MB; dela upp den i flera filer."))
        if upload.size == 0:
            raise ValidationError(gettext("Filen är tom."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.manages_sources:
            return data  # a source is required and chosen among the existing ones
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("new_source", gettext("Välj en källa eller skriv namnet på en ny."))
        elif not data.get("source") and IncidentSource.objects.filter(name=data["new_source"].strip()).exists():
            self.add_error("new_source", gettext("Det finns redan en källa med det namnet; välj den i listan."))
        return data


class MappingForm(forms.Form):
    """One choice per field: which column of the file gives it."""

    def __init__(self, *args: Any, headers: list[str], has_default_site: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.has_default_site = has_default_site
        choices = [("", gettext("– ingen kolumn –"))] + [(h, h) for h in headers if h]
        for name in parsing.FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=gettext(parsing.FIELD_LABELS[name]), choices=choices, required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("date"):
            self.add_error("date", gettext("Välj kolumnen med datum; varje händelse behöver ett datum."))
        if not data.get("site") and not self.has_default_site:
            self.add_error(
                "site", gettext("Välj kolumnen med plats, eller gå tillbaka och välj en plats för hela filen.")
            )
        used: dict[str, str] = {}
        for name in parsing.FIELDS:
            header = data.get(name)
            if not header:
                continue
            if header in used and {name, used[header]} != {"kind", "description"}:
                self.add_error(
                    name,
                    gettext("Kolumnen ”%(column)s” är redan vald för ”%(other)s”.")
                    % {"column": header, "other": gettext(parsing.FIELD_LABELS[used[header]])},
                )
            used.setdefault(header, name)
        return data

    def mapping(self) -> dict[str, str]:
        return {name: header for name in parsing.FIELDS if (header := self.cleaned_data.get(name))}


class CommitForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportMode.choices, widget=forms.HiddenInput)


class RankingForm(forms.Form):
    as_of = forms.DateField(label=_("Per datum"), required=False, widget=DateInput())
    years = forms.IntegerField(label=_("Antal år bakåt"), min_value=1, max_value=20, required=False)
    half_life = forms.DecimalField(
        label=_("Halveringstid (år)"),
        min_value=0,
        max_value=50,
        decimal_places=1,
        required=False,
        help_text=_("0 = alla år väger lika."),
    )
    harm = forms.ChoiceField(
        label=_("Vikta efter allvar (skadevikter)"),
        choices=[("ja", _("Ja")), ("nej", _("Nej, alla typer väger lika"))],
        required=False,
    )

    # The date is `?datum=`, as on Trygg's other pages; the field keeps its name in the code.
    QUERY_NAMES = {"as_of": "datum"}

    def add_prefix(self, field_name: str) -> str:
        """The query parameter of `field_name` (`datum` for the date, else the field's name)."""
        return self.QUERY_NAMES.get(field_name, super().add_prefix(field_name))

    def settings_values(self) -> dict[str, Any]:
        """The ranking's settings: the form's values, the defaults for those left empty."""
        data = self.cleaned_data if self.is_valid() else {}
        half_life = data.get("half_life")
        return {
            "as_of": data.get("as_of") or timezone.localdate(),
            "years": data.get("years") or 5,
            "half_life_years": 2.0 if half_life is None else (float(half_life) or None),
            "harm": data.get("harm") != "nej",
        }


def today() -> dt.date:
    return timezone.localdate()
