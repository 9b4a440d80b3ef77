"""Forms for sites, zones, measures and dialogue notes; validation lives in the models."""

from __future__ import annotations

from django import forms

from trygg.core.position import PositionForm
from trygg.sites.models import DialogueNote, Measure, Site, Zone


class GeoJSONInput(forms.HiddenInput):
    """A polygon drawn on the map arrives here as GeoJSON text."""


class SiteForm(PositionForm, forms.ModelForm):
    """A site; its position in WGS 84 or SWEREF 99 TM, its outline drawn on the map."""

    class Meta:
        model = Site
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


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "kind", "rule", "geometry", "notes"]
        widgets = {"geometry": GeoJSONInput, "notes": forms.Textarea(attrs={"rows": 3})}


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
