"""Admin pages for sites, zones, measures and dialogue notes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trygg.core.admin import TryggModelAdmin
from trygg.sites.models import DialogueNote, Measure, Site, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ["name", "kind", "rule"]
    show_change_link = True
    readonly_fields = ["name", "kind", "rule"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # zones are drawn on their own page, where the polygon is entered


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["kind", "started_on", "ended_on", "effect"]
    show_change_link = True


class DialogueNoteInline(admin.TabularInline):
    model = DialogueNote
    extra = 0
    fields = ["held_on", "with_whom", "concerns_year", "summary"]
    show_change_link = True


@admin.register(Site)
class SiteAdmin(TryggModelAdmin):
    list_display = ["name", "kind", "administration", "area_kind", "vulnerability"]
    list_filter = ["kind", "administration", "area_kind", "vulnerability"]
    search_fields = ["name", "address"]
    list_select_related = ["administration"]
    inlines = [ZoneInline, MeasureInline, DialogueNoteInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "administration", "address"]}),
        (_("Läge"), {"fields": ["longitude", "latitude", "position_is_approximate", "outline", "area_kind"]}),
        (_("Behov"), {"fields": ["vulnerability", "vulnerability_reason", "notes"]}),
    ]


@admin.register(Zone)
class ZoneAdmin(TryggModelAdmin):
    list_display = ["name", "site", "kind", "rule"]
    list_filter = ["kind", "rule", "site"]
    search_fields = ["name", "site__name"]
    list_select_related = ["site"]


@admin.register(Measure)
class MeasureAdmin(TryggModelAdmin):
    list_display = ["kind", "site", "started_on", "ended_on", "effect"]
    list_filter = ["kind", "effect"]
    search_fields = ["site__name", "description"]
    list_select_related = ["site"]


@admin.register(DialogueNote)
class DialogueNoteAdmin(TryggModelAdmin):
    list_display = ["site", "held_on", "with_whom", "concerns_year", "project"]
    list_filter = ["concerns_year"]
    search_fields = ["site__name", "with_whom", "summary"]
    list_select_related = ["site", "project"]
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
