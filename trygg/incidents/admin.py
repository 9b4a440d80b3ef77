"""Admin pages for incidents, their sources, harm weights and (read-only) import runs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from trygg.core.admin import TryggModelAdmin
from trygg.incidents.models import HarmWeight, ImportRun, Incident, IncidentSource


@admin.register(Incident)
class IncidentAdmin(TryggModelAdmin):
    list_display = ["occurred_on", "occurred_time", "site", "kind", "police_report_number", "cost", "source"]
    list_filter = ["kind", "source", "reported_to_police"]
    search_fields = ["site__name", "description", "police_report_number"]
    list_select_related = ["site", "source"]
    date_hierarchy = "occurred_on"
    readonly_fields = ["source_key", "import_run", "recorded_by"]
    fieldsets = [
        (None, {"fields": ["site", "kind", "description"]}),
        (None, {"fields": [("occurred_on", "occurred_time"), ("until_on", "until_time")]}),
        (None, {"fields": ["reported_to_police", "police_report_number", "cost", "reported_by"]}),
        (None, {"fields": ["source", "source_key", "import_run", "recorded_by"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        if obj.police_report_number:
            obj.reported_to_police = True
        super().save_model(request, obj, form, change)


@admin.register(IncidentSource)
class IncidentSourceAdmin(TryggModelAdmin):
    list_display = ["name", "kind"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Sources are shared by every administration (one damage-report system serves them all).
        return admin.ModelAdmin.get_queryset(self, request)


@admin.register(HarmWeight)
class HarmWeightAdmin(TryggModelAdmin):
    list_display = ["kind", "weight"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "source",
        "status",
        "total_rows",
        "error_rows",
        "created_rows",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "source"]
    list_select_related = ["source", "created_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
