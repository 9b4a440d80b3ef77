"""The evaluation form: sites, intervention, periods, controls, buffer and incident kinds."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.evaluation.models import Evaluation
from trygg.incidents.choices import IncidentKind
from trygg.sites.models import Measure, Site

# Two evaluations with these alike compare the same thing: the second is a duplicate.
DUPLICATE_FIELDS = ("sites", "before_start", "before_months", "after_start", "after_months")


class EvaluationForm(forms.ModelForm):
    duplicate: Evaluation | None = None

    kinds = forms.MultipleChoiceField(
        label=_("Typer av händelser"),
        choices=IncidentKind.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Inga valda = alla typer."),
    )

    class Meta:
        model = Evaluation
        fields = [
            "title",
            "sites",
            "intervention_kind",
            "measure",
            "intervention_on",
            "before_start",
            "before_months",
            "after_start",
            "after_months",
            "control_sites",
            "buffer_metres",
            "kinds",
            "use_harm_weights",
            "impact_model",
        ]
        widgets = {
            "sites": forms.SelectMultiple(attrs={"size": 6}),
            "control_sites": forms.SelectMultiple(attrs={"size": 8}),
            "intervention_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "before_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "after_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "impact_model": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.order_by("name")
        self.fields["control_sites"].queryset = Site.objects.order_by("name")
        self.fields["measure"].queryset = Measure.objects.select_related("site").order_by("site__name", "started_on")

    def clean(self) -> dict:
        data = super().clean()
        treated = set(data.get("sites") or [])
        overlap = treated & set(data.get("control_sites") or [])
        if overlap:
            self.add_error(
                "control_sites",
                _("En plats kan inte vara både utvärderad och kontroll: %(sites)s.")
                % {"sites": ", ".join(sorted(site.name for site in overlap))},
            )
        measure = data.get("measure")
        if measure is not None and treated and measure.site not in treated:
            self.add_error("measure", _("Åtgärden ska höra till en av de utvärderade platserna."))
        self.duplicate = self._duplicate_of(data)
        if self.duplicate is not None:
            self.add_error(
                None,
                _(
                    "Det finns redan en utvärdering, ”%(title)s”, med samma värden i fälten ”%(sites)s”, "
                    "”%(before_start)s”, ”%(before_months)s”, ”%(after_start)s” och ”%(after_months)s”. Öppna "
                    "den i stället, eller ändra något av fälten."
                )
                % {"title": self.duplicate.title, **{name: self._label(name) for name in DUPLICATE_FIELDS}},
            )
        return data

    def _label(self, name: str) -> str:
        return str(self.fields[name].label)

    def _duplicate_of(self, data: dict) -> Evaluation | None:
        """Another evaluation of the same treated sites over the same before and after periods, or None."""
        treated = data.get("sites")
        if not treated or any(data.get(name) is None for name in DUPLICATE_FIELDS if name != "sites"):
            return None
        wanted = {site.pk for site in treated}
        candidates = (
            Evaluation.objects.filter(**{name: data[name] for name in DUPLICATE_FIELDS if name != "sites"})
            .exclude(pk=self.instance.pk)
            .prefetch_related("sites")
            .order_by("pk")
        )
        return next((other for other in candidates if {site.pk for site in other.sites.all()} == wanted), None)
