"""Forms for sites, zones, measures and dialogue notes; validation lives in the models."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from trygg.core.position import PositionForm
from trygg.core.versions import VersionedFormMixin
from trygg.sites.models import DialogueNote, Measure, Site, Zone


class GeoJSONInput(forms.HiddenInput):
    """A polygon drawn on the map arrives here as GeoJSON text."""


class SiteForm(VersionedFormMixin, PositionForm, forms.ModelForm):
    """A site; its position in WGS 84 or SWEREF 99 TM, its outline drawn on the map."""

    class Meta:
        model = Site
        error_messages = {"name": {"unique": _("Det finns redan en plats med det namnet; välj ett annat namn.")}}
        fields = [
            "name",
            "kind",
            "administration",
            "address",
            "longitude",
            "latitude",
            "position_is_approximate",
            "area_kind",
            "vulnerability",
            "vulnerability_reason",
            "outline",
            "notes",
        ]
        widgets = {
            "outline": GeoJSONInput,
            "vulnerability_reason": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        order = list(self.fields)
        for name in ("grid_north", "grid_east"):
            order.remove(name)
        at = order.index("latitude") + 1
        self.order_fields([*order[:at], "grid_north", "grid_east", *order[at:]])


class ZoneForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "kind", "rule", "geometry", "notes"]
        widgets = {"geometry": GeoJSONInput, "notes": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        # The site is not a field of the form, so Django skips the (site, name) constraint: check it here.
        name = self.cleaned_data["name"]
        others = Zone.objects.filter(site_id=self.instance.site_id, name=name).exclude(pk=self.instance.pk)
        if self.instance.site_id and others.exists():
            raise forms.ValidationError(_("Platsen har redan ett område med det namnet; välj ett annat namn."))
        return name


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["kind", "description", "started_on", "ended_on", "effect", "effect_notes"]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}),
            "ended_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "effect_notes": forms.Textarea(attrs={"rows": 2}),
        }


class DialogueNoteForm(forms.ModelForm):
    class Meta:
        model = DialogueNote
        fields = ["held_on", "with_whom", "summary", "concerns_year", "project"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, site: Site, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.site = site
        self.fields["project"].queryset = site.projects.all()
