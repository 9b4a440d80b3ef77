"""The board report's form: metadata, signatories, recipients and one text box per section."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.versions import VersionedFormMixin
from trygg.reports import drafting
from trygg.reports.models import BoardReport

METADATA_FIELDS = [
    "assignment",
    "reporting_point",
    "title",
    "year",
    "as_of",
    "report_date",
    "case_number",
    "proposing_body",
    "recipient_body",
    "office",
    "unit",
    "include_data_protection",
    "include_effect",
    "signatories",
    "recipients",
]


def rows_for(text: str) -> int:
    """A text box tall enough for the section, so the officer reads it whole while editing."""
    lines = sum(len(line) // 100 + 1 for line in text.splitlines())
    return max(4, min(30, lines + 1))


class DataSelect(forms.Select):
    """A select whose options carry data attributes of their object, read by `report-form.js`.

    `data` maps an attribute name (without `data-`) to a function of the option's model instance.
    """

    def __init__(self, *args: Any, data: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.data = data or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            for key, read in self.data.items():
                option["attrs"][f"data-{key}"] = read(instance)
        return option


class BoardReportForm(VersionedFormMixin, forms.ModelForm):
    """Metadata of the report; with `with_sections`, a text box per section in the seed's order."""

    class Meta:
        model = BoardReport
        fields = METADATA_FIELDS
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signatories": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 2}),
            # The year follows the chosen assignment's plan year and only its reporting points are offered.
            "assignment": DataSelect(attrs={"data-report-assignment": ""}, data={"plan-year": lambda a: a.plan_year}),
            "reporting_point": DataSelect(
                attrs={"data-report-reporting-point": ""}, data={"assignment": lambda p: p.assignment_id}
            ),
            "year": forms.NumberInput(attrs={"data-report-year": ""}),
        }

    def __init__(self, *args: Any, with_sections: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section_keys: list[str] = []
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = gettext("Fyll i fältet ”%(field)s”.") % {"field": field.label}
        assignment = self.fields["assignment"]
        assignment.queryset = assignment.queryset.order_by("-plan_year", "title")
        assignment.label_from_instance = lambda obj: obj.display_with_year
        assignment.help_text = _(
            "Uppdraget och den verksamhetsplan det står i; tjänsteutlåtandet hänvisar till den. "
            "Ett nytt års uppdrag läggs till under Uppföljning, Uppdrag i verksamhetsplanen."
        )
        if with_sections:
            titles = drafting.section_titles(gettext)
            include = self.instance.include_data_protection
            for key in drafting.section_keys(include, self.instance.include_effect):
                name = f"section_{key}"
                self.fields[name] = forms.CharField(
                    label=titles[key],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": rows_for(self.instance.sections.get(key, ""))}),
                    initial=self.instance.sections.get(key, ""),
                    help_text=_("Stycken skiljs åt med en tom rad."),
                )
                self.section_keys.append(key)

    def version_key_labels(self) -> dict[str, dict[str, str]]:
        """A changed section is named by its title in the refusal of a stale save."""
        titles = drafting.section_titles(gettext)
        return {"sections": {key: gettext("Avsnittet ”%(title)s”") % {"title": title} for key, title in titles.items()}}

    def version_yours(self, name: str, key: str = "") -> Any:
        if name == "sections" and key in self.section_keys:
            return self.cleaned_data.get(f"section_{key}", "")
        return super().version_yours(name, key)

    def metadata_fields(self) -> list[Any]:
        return [self[name] for name in METADATA_FIELDS]

    def section_fields(self) -> list[Any]:
        return [(key, self[f"section_{key}"]) for key in self.section_keys]

    def save(self, commit: bool = True) -> BoardReport:
        report = super().save(commit=False)
        if self.section_keys:
            report.sections = {
                **report.sections,
                **{key: self.cleaned_data.get(f"section_{key}", "").replace("\r\n", "\n") for key in self.section_keys},
            }
        if commit:
            report.save()
        return report
