"""Admin pages for the assignment and the installation projects."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trygg.core.admin import TryggModelAdmin
from trygg.programme.choices import DelayReason
from trygg.programme.models import Assignment, Project


class ProjectForm(forms.ModelForm):
    delay_reasons = forms.MultipleChoiceField(
        label=_("orsaker till försening"),
        choices=DelayReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = [
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
        ]


@admin.register(Assignment)
class AssignmentAdmin(TryggModelAdmin):
    list_display = ["title", "plan_year", "origin", "responsible_unit", "status"]
    list_filter = ["status", "plan_year"]
    search_fields = ["title"]


@admin.register(Project)
class ProjectAdmin(TryggModelAdmin):
    form = ProjectForm
    list_display = ["name", "site", "target_range_display", "target_date", "forecast_date", "status"]
    list_filter = ["status", "plan_year", "responsible_administration"]
    search_fields = ["name", "site__name"]
    list_select_related = ["site"]
    fieldsets = [
        (None, {"fields": ["name", "site", "assignment", "plan_year", "responsible_administration", "status"]}),
        (_("Målbild"), {"fields": ["scope_description", "target_min", "target_max", "target_date"]}),
        (_("Prognos och förseningar"), {"fields": ["forecast_date", "delay_reasons", "delay_description"]}),
    ]

    @admin.display(description=_("målbild, antal kameror"))
    def target_range_display(self, obj: Project) -> str:
        return obj.target_range_display
