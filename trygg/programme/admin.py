"""Admin pages for the assignment, its indicator and reporting points, projects, budget and deadlines."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trygg.core.admin import TryggModelAdmin
from trygg.programme.choices import DelayReason
from trygg.programme.forms import PROJECT_FIELDS
from trygg.programme.models import (
    Assignment,
    BudgetAllocation,
    CostEntry,
    Deadline,
    Indicator,
    IndicatorTarget,
    Project,
    ReportingPoint,
)
from trygg.programme.money import format_kr
from trygg.programme.services import default_allocation_amount


class ProjectForm(forms.ModelForm):
    delay_reasons = forms.MultipleChoiceField(
        label=_("orsaker till försening"),
        choices=DelayReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Project
        fields = PROJECT_FIELDS


class ReportingPointInline(admin.StackedInline):
    model = ReportingPoint
    extra = 0
    fields = ["kind", "year", "title", "period_end", "due_on", "status", "submitted_on"]


@admin.register(Assignment)
class AssignmentAdmin(TryggModelAdmin):
    list_display = ["title", "plan_year", "origin", "responsible_unit", "status"]
    list_filter = ["status", "plan_year"]
    search_fields = ["title"]
    inlines = [ReportingPointInline]


class IndicatorTargetInline(admin.StackedInline):
    model = IndicatorTarget
    extra = 0
    fields = ["year", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(TryggModelAdmin):
    list_display = ["name", "code", "measure", "unit"]
    search_fields = ["name", "code"]
    inlines = [IndicatorTargetInline]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(TryggModelAdmin):
    list_display = ["year", "amount_display", "carry_over", "decided_in"]
    ordering = ["-year"]

    @admin.display(description=_("tilldelat belopp"), ordering="amount")
    def amount_display(self, obj: BudgetAllocation) -> str:
        return format_kr(obj.amount)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # The organisation's yearly amount is only the suggestion for a new year; the allocation is the truth.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("amount", default_allocation_amount())
        return initial


@admin.register(CostEntry)
class CostEntryAdmin(TryggModelAdmin):
    list_display = ["booked_on", "description", "category", "status", "amount_display", "project", "camera"]
    list_filter = ["status", "category", "project"]
    search_fields = ["description", "supplier", "reference"]
    date_hierarchy = "booked_on"
    list_select_related = ["project", "camera"]

    @admin.display(description=_("belopp"), ordering="amount")
    def amount_display(self, obj: CostEntry) -> str:
        return format_kr(obj.amount)


@admin.register(Deadline)
class DeadlineAdmin(TryggModelAdmin):
    list_display = ["due_on", "starts_at", "title", "kind", "reporting_point", "done_on"]
    list_filter = ["kind"]
    search_fields = ["title", "location"]
    date_hierarchy = "due_on"
    list_select_related = ["reporting_point"]


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
        (_("Kostnad"), {"fields": ["estimated_cost"]}),
    ]

    @admin.display(description=_("målbild, antal kameror"))
    def target_range_display(self, obj: Project) -> str:
        return obj.target_range_display
