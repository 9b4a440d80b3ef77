"""Admin pages for board reports: read the reports and their frozen versions (edited on the report pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.core.admin import TryggModelAdmin
from trygg.reports.models import BoardReport, BoardReportVersion


@admin.register(BoardReport)
class BoardReportAdmin(TryggModelAdmin):
    list_display = ["case_number", "title", "report_date", "as_of", "status"]
    list_filter = ["status", "year"]
    search_fields = ["case_number", "title"]
    readonly_fields = ["status", "sections"]
    exclude = ["drafted"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A frozen report is never changed; a new version is opened on the report page.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)


@admin.register(BoardReportVersion)
class BoardReportVersionAdmin(TryggModelAdmin):
    list_display = ["report", "version", "frozen_by_name", "created_at"]
    list_select_related = ["report"]
    readonly_fields = ["report", "version", "frozen_by", "frozen_by_name", "data", "document"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
