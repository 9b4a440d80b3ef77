"""Admin pages for assessments, signs, legacy permits and the art. 30 record, in Swedish.

The three assessments are written, submitted and decided on Trygg's own pages (`/efterlevnad/`), where
the workflow by role is enforced; here they are read-only for everyone, so the admin can never bypass
it (no silent new version, no decision without the DPO, no edit of a submitted or decided version).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from trygg.compliance.choices import DocumentStatus
from trygg.compliance.models import (
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core.admin import TryggModelAdmin

VERSION_READONLY = [
    "version",
    "status",
    "author",
    "submitted_by",
    "submitted_at",
    "dpo_advice",
    "dpo_advice_on",
    "dpo_advice_by",
    "approver",
    "approved_on",
    "rejected_by",
    "rejected_on",
    "rejection_reason",
    "decision_delegation",
    "case_number",
    "decided_as_admin",
]


def status_badge(document: VersionedDocument) -> str:
    status = DocumentStatus(document.status)
    return format_html('<span class="badge badge-{}">{}</span>', DocumentStatus.colour(status), status.label)


class ReadOnlyDocumentMixin:
    """Nothing is added, changed or deleted here: the pages under /efterlevnad/ hold the workflow."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionedAdmin(ReadOnlyDocumentMixin, TryggModelAdmin):
    """Shared behaviour of the three assessment admins: read-only, with a link to the page in Trygg."""

    detail_url_name = ""

    def get_actions(self, request: HttpRequest) -> dict:
        return {}

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: VersionedDocument) -> str:
        return status_badge(obj)

    def view_on_site(self, obj: VersionedDocument) -> str:
        return reverse(self.detail_url_name, args=[obj.pk])


@admin.register(SurveillanceAssessment)
class SurveillanceAssessmentAdmin(VersionedAdmin):
    detail_url_name = "compliance:assessment_detail"
    list_display = ["__str__", "camera", "is_template", "version", "status_display", "approved_on", "outcome"]
    list_filter = ["status", "is_template", "outcome", "camera__site__kind"]
    search_fields = ["camera__identifier", "title", "camera__site__name"]
    list_select_related = ["camera"]
    exclude = ["snapshot"]


class DpiaRiskInline(ReadOnlyDocumentMixin, admin.TabularInline):
    model = DpiaRisk
    extra = 0
    fields = ["title", "description", "severity", "likelihood"]


class DpiaMeasureInline(ReadOnlyDocumentMixin, admin.TabularInline):
    model = DpiaMeasure
    extra = 0
    fields = ["risk", "description", "owner", "due_on", "done_on"]


@admin.register(ImpactAssessment)
class ImpactAssessmentAdmin(VersionedAdmin):
    detail_url_name = "compliance:impact_assessment"
    list_display = [
        "__str__",
        "site",
        "version",
        "status_display",
        "residual_risk",
        "prior_consultation",
        "approved_on",
    ]
    list_filter = ["status", "residual_risk", "prior_consultation", "site__kind"]
    search_fields = ["title", "site__name"]
    list_select_related = ["site"]
    inlines = [DpiaRiskInline, DpiaMeasureInline]


@admin.register(ChildRightsAssessment)
class ChildRightsAssessmentAdmin(VersionedAdmin):
    detail_url_name = "compliance:child_rights_detail"
    list_display = ["__str__", "site", "version", "status_display", "conclusion", "children_heard", "follow_up_on"]
    list_filter = ["status", "conclusion", "children_heard"]
    search_fields = ["title", "site__name"]
    list_select_related = ["site"]


@admin.register(Sign)
class SignAdmin(TryggModelAdmin):
    list_display = ["__str__", "site", "camera", "text_version", "installed_on", "last_inspected_on", "removed_on"]
    list_filter = ["site", "mentions_sound", "mentions_retention"]
    search_fields = ["site__name", "camera__identifier", "position"]
    list_select_related = ["site", "camera"]
    fieldsets = [
        (None, {"fields": ["site", "camera", "position", "text_version", "photo"]}),
        (
            _("Innehåll"),
            {
                "fields": [
                    "includes_controller_contact",
                    "includes_dpo_contact",
                    "mentions_sound",
                    "mentions_retention",
                    "layer2_phone",
                    "layer2_poster",
                ]
            },
        ),
        (_("Uppsättning och inspektion"), {"fields": ["installed_on", "last_inspected_on", "removed_on"]}),
    ]


@admin.register(LegacyPermit)
class LegacyPermitAdmin(TryggModelAdmin):
    list_display = ["imy_case_number", "decision_date", "expires_on"]
    search_fields = ["imy_case_number", "cameras__identifier"]


@admin.register(ProcessingRecord)
class ProcessingRecordAdmin(TryggModelAdmin):
    list_display = ["name", "controller_board"]
