"""The project form (projektering): its validation lives in `Project.clean`; the cameras are chosen here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.cameras.choices import LifecycleState
from trygg.cameras.models import Camera
from trygg.core import roles
from trygg.core.versions import VersionedFormMixin
from trygg.programme.choices import DelayReason
from trygg.programme.models import Assignment, Project
from trygg.programme.money import format_amount
from trygg.sites.models import Site

# A project's fields in the order the page and the admin show them.
PROJECT_FIELDS = [
    "name",
    "site",
    "assignment",
    "plan_year",
    "responsible_administration",
    "status",
    "scope_description",
    "target_min",
    "target_max",
    "target_date",
    "forecast_date",
    "delay_reasons",
    "delay_description",
    "estimated_cost",
]


class MoneyField(forms.DecimalField):
    """Kronor as people type them: `250 000`, `250 000,50` or `250000 kr`."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").removesuffix("kr").replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        # Shown as written (`320 000`, `1 234,50`); text typed in a form that came back stays as typed.
        if isinstance(value, Decimal | int):
            return format_amount(value).replace("\xa0", " ")
        return value


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CameraChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Camera) -> str:
        label = f"{obj.identifier} ({obj.get_state_display()})"
        if obj.project_id and obj.project_id != getattr(self, "project_id", None):
            label += " – " + gettext("hör nu till %(project)s") % {"project": obj.project.name}
        return label


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    """Create or change a project; `site` decides which cameras may be chosen.

    The cameras listed are the site's cameras that are not decommissioned, and those already in
    the project. A camera on another site is refused with its name, never moved silently.
    """

    # Cameras moved into or out of the project change the cameras' rows; the event marks it on the project.
    version_events = ("project.cameras_changed",)  # projects.CAMERAS_CHANGED

    delay_reasons = forms.MultipleChoiceField(
        label=_("Orsaker till försening"),
        choices=DelayReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cameras = CameraChoiceField(
        label=_("Kameror i projekteringen"),
        queryset=Camera.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Platsens kameror. Antalet i drift räknas mot målbilden."),
        error_messages={"invalid_choice": _("Välj bara kameror på projekteringens plats.")},
    )
    estimated_cost = MoneyField(
        label=_("Beräknad kostnad (kr)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("T.ex. 250 000. Jämförs med årets tilldelade medel."),
    )

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        help_texts = {
            "forecast_date": _("När kamerorna beräknas vara på plats. Efter måldatum krävs en orsak."),
            "delay_description": _(
                "Din egen text om förseningen. Den sparas alltid och skrivs med i tjänsteutlåtandet efter orsakerna."
            ),
        }
        widgets = {
            "target_date": _date_widget(),
            "forecast_date": _date_widget(),
            "scope_description": forms.Textarea(attrs={"rows": 2}),
            "delay_description": forms.Textarea(attrs={"rows": 3}),
        }

    # Groups of fields, each shown as a fieldset with a legend.
    SECTIONS = [
        (_("Projektering"), ["name", "site", "assignment", "plan_year", "responsible_administration", "status"]),
        (_("Målbild"), ["scope_description", "target_min", "target_max", "target_date", "cameras"]),
        (_("Prognos och försening"), ["forecast_date", "delay_reasons", "delay_description"]),
        (_("Ekonomi"), ["estimated_cost"]),
    ]

    def __init__(self, *args: Any, user: Any, refresh_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        site_field.queryset = roles.scope_queryset(user, Site.objects.order_by("name"))
        site_field.help_text = _("Kamerorna att välja bland är platsens kameror.")
        administration = self.fields["responsible_administration"]
        administration.required = False
        administration.help_text = _("Lämna tomt för platsens förvaltning.")
        if refresh_url:
            # Choosing another site fetches that site's cameras into the form (htmx), nothing is saved.
            site_field.widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-select": "#project-cameras",
                    "hx-target": "#project-cameras",
                    "hx-swap": "outerHTML",
                }
            )
        self.fields["assignment"].queryset = self.fields["assignment"].queryset.order_by("-plan_year", "title")
        self.site_id = self._site_id()
        cameras = Camera.objects.select_related("project").order_by("identifier")
        project_id = self.instance.pk
        if self.site_id is None:
            wanted = cameras.none() if project_id is None else cameras.filter(project_id=project_id)
        else:
            wanted = cameras.filter(site_id=self.site_id).exclude(state=LifecycleState.DECOMMISSIONED)
            if project_id is not None:
                wanted = wanted | cameras.filter(project_id=project_id)
        field = self.fields["cameras"]
        field.queryset = wanted.distinct()
        field.project_id = project_id
        if project_id is not None and not self.is_bound:
            self.initial["cameras"] = [c.pk for c in self.instance.cameras.all()]

    def _site_id(self) -> int | None:
        raw = self.data.get("site") if self.is_bound else (self.initial.get("site") or self.instance.site_id)
        raw = getattr(raw, "pk", raw)
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        site = cleaned.get("site")
        if site is not None and cleaned.get("responsible_administration") is None and "site" not in self.errors:
            # The documented default (see the field's help text), applied before the model is validated.
            cleaned["responsible_administration"] = site.administration
        elsewhere = [c for c in cleaned.get("cameras") or [] if site is not None and c.site_id != site.pk]
        if elsewhere:
            self.add_error(
                "cameras",
                gettext("%(cameras)s sitter inte på %(site)s. Ta bort dem ur projekteringen eller välj deras plats.")
                % {"cameras": ", ".join(c.identifier for c in elsewhere), "site": site.name},
            )
        return cleaned

    def save_cameras(self, project: Project) -> tuple[list[str], list[str]]:
        """Link the chosen cameras to `project` and unlink the others; returns (added, removed) identifiers.

        Each camera is saved on its own so the change log records it (no bulk update).
        """
        chosen = {c.pk: c for c in self.cleaned_data.get("cameras") or []}
        current = {c.pk: c for c in project.cameras.all()}
        removed = [current[pk] for pk in current if pk not in chosen]
        added = [chosen[pk] for pk in chosen if pk not in current]
        for camera in removed:
            camera.project = None
            camera.save(update_fields=["project", "updated_at"])
        for camera in added:
            camera.project = project
            camera.save(update_fields=["project", "updated_at"])
        return sorted(c.identifier for c in added), sorted(c.identifier for c in removed)


class AssignmentForm(VersionedFormMixin, forms.ModelForm):
    """Create or change an uppdrag and the verksamhetsplan year it belongs to; validation in `Assignment.clean`."""

    class Meta:
        model = Assignment
        fields = [
            "title",
            "plan_year",
            "origin",
            "status",
            "responsible_unit",
            "followed_up_since",
            "indicators",
            "description",
        ]
        help_texts = {
            "plan_year": _("Verksamhetsplanens år. Tjänsteutlåtanden om uppdraget hänvisar till det."),
            "followed_up_since": _("Året indikatorn började följas, om det var före verksamhetsplanens år."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "indicators": forms.CheckboxSelectMultiple,
        }

    SECTIONS = [
        (_("Uppdrag"), ["title", "plan_year", "origin", "status", "responsible_unit"]),
        (_("Uppföljning"), ["followed_up_since", "indicators", "description"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = gettext("Fyll i fältet ”%(field)s”.") % {"field": field.label}
        for name in ("plan_year", "followed_up_since"):
            self.fields[name].validators = []  # the range is checked in `_year`, with a message naming the field
            self.fields[name].error_messages["invalid"] = gettext(
                "Fältet ”%(field)s” ska vara ett årtal, till exempel 2025."
            ) % {"field": self.fields[name].label}

    def _year(self, name: str) -> int | None:
        value = self.cleaned_data.get(name)
        if value is not None and not 2000 <= value <= 2100:
            raise forms.ValidationError(
                gettext("Fältet ”%(field)s” ska vara ett årtal mellan 2000 och 2100 (fick %(value)s).")
                % {"field": self.fields[name].label, "value": value}
            )
        return value

    def clean_plan_year(self) -> int | None:
        return self._year("plan_year")

    def clean_followed_up_since(self) -> int | None:
        return self._year("followed_up_since")

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]
