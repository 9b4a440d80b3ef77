"""Admin for the organisation, administrations and the change log, and the base class all apps use."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from trygg.core.history import changes_for, describe
from trygg.core.models import Administration, AuditVerification, ObjectChange, Organisation
from trygg.core.roles import scope_queryset
from trygg.core.versions import VersionedAdminMixin


class ChangeLogHistory:
    """An admin whose "history" page is Trygg's change log (with the last check of its hash chain)."""

    object_history_template = "core/object_history.html"

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ändringshistorik: %(object)s") % {"object": obj},
            "subtitle": None,
            "changes": describe(changes_for(obj)[:500]),
            "verification": AuditVerification.objects.order_by("-time", "-pk").first(),
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


class TryggModelAdmin(ChangeLogHistory, VersionedAdminMixin, admin.ModelAdmin):
    """Scopes lists and choices to what the user may see, and shows Trygg's change log as history.

    A change form carries the version it started from; a stale save is refused (`trygg.core.versions`).
    """

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return scope_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and getattr(db_field.related_model, "administration_lookup", None):
            field.queryset = scope_queryset(request.user, field.queryset)
        return field


@admin.register(Organisation)
class OrganisationAdmin(TryggModelAdmin):
    list_display = ["municipality_name", "controller_board", "dpo_name", "camera_budget_per_year"]
    fieldsets = [
        (None, {"fields": ["municipality_name", "municipality_code", "controller_board"]}),
        (_("Dataskyddsombud"), {"fields": ["dpo_name", "dpo_email", "dpo_phone"]}),
        (_("Diarienummer"), {"fields": ["case_number_pattern", "case_number_example"]}),
        (_("Budget"), {"fields": ["camera_budget_per_year"]}),
        (_("Kommunens område"), {"fields": ["area", "area_margin_km"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One organisation per installation.
        return super().has_add_permission(request) and not Organisation.objects.exists()


@admin.register(Administration)
class AdministrationAdmin(TryggModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ["time", "user_name", "action", "event", "changed_object_type", "object_repr", "source"]
    list_filter = ["action", "source", "changed_object_type"]
    search_fields = ["object_repr", "user_name", "message"]
    date_hierarchy = "time"
    readonly_fields = [f.name for f in ObjectChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        verification = AuditVerification.objects.order_by("-time", "-pk").first()
        return super().changelist_view(request, {"verification": verification, **(extra_context or {})})


@admin.register(AuditVerification)
class AuditVerificationAdmin(admin.ModelAdmin):
    """The runs of `trygg audit verify`, read-only."""

    list_display = ["time", "checked_by", "entries", "ok", "broken_entry_id"]
    list_filter = ["ok"]
    readonly_fields = [f.name for f in AuditVerification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Users and groups: the stock admins with plain multiple selects and read-only login dates, because the
# two-column selector and the split date-time widgets lack accessible names (WCAG 2.1, axe).
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class TryggUserAdmin(ChangeLogHistory, UserAdmin):
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")


@admin.register(Group)
class TryggGroupAdmin(ChangeLogHistory, GroupAdmin):
    filter_horizontal = ()
