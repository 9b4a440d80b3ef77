"""Admin pages for sites, zones, measures and dialogue notes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from trygg.core.admin import TryggModelAdmin
from trygg.geo.crs import SWEREF99_TM, WGS84
from trygg.sites.buildings import import_building_file
from trygg.sites.models import Building, DialogueNote, Measure, Site, Zone


def crs_choices() -> list[tuple[str, str]]:
    """The coordinate systems an import may be in: from the file, WGS 84, SWEREF 99 TM, the local zone."""
    return [
        ("", _("Enligt filens crs-uppgift, annars WGS 84")),
        (WGS84, _("WGS 84 (longitud, latitud i grader)")),
        (SWEREF99_TM, _("SWEREF 99 TM (E, N i meter)")),
        (settings.TRYGG_LOCAL_CRS, _("Kommunens lokala SWEREF 99-zon (%(crs)s)") % {"crs": settings.TRYGG_LOCAL_CRS}),
    ]


class BuildingImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON- eller OpenStreetMap-fil"),
        help_text=_(
            "Polygoner i GeoJSON, t.ex. från baskartan, eller en OpenStreetMap-fil (.osm, .osm.pbf) vars "
            "byggnader inom 300 m från platsen läses in."
        ),
    )
    crs = forms.ChoiceField(
        label=_("koordinatsystem"),
        choices=crs_choices,
        required=False,
        help_text=_("Har filen en crs-uppgift används den; välj här bara om filen saknar en."),
    )
    source = forms.CharField(
        label=_("källa"), initial="baskarta", max_length=100, help_text=_("T.ex. baskarta eller OpenStreetMap.")
    )


class ZoneInline(admin.StackedInline):
    model = Zone
    extra = 0
    fields = ["name", "kind", "rule"]
    show_change_link = True
    readonly_fields = ["name", "kind", "rule"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # zones are drawn on their own page, where the polygon is entered


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    fields = ["kind", "started_on", "ended_on", "effect"]
    show_change_link = True


class DialogueNoteInline(admin.StackedInline):
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
    change_form_template = "sites/admin_site_change_form.html"
    fieldsets = [
        (None, {"fields": ["name", "kind", "administration", "address"]}),
        (_("Läge"), {"fields": ["longitude", "latitude", "position_is_approximate", "outline", "area_kind"]}),
        (_("Behov"), {"fields": ["vulnerability", "vulnerability_reason", "notes"]}),
    ]

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/byggnader/",
                self.admin_site.admin_view(self.import_buildings_view),
                name="sites_site_import_buildings",
            ),
            *super().get_urls(),
        ]

    def import_buildings_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Upload building footprints (GeoJSON) for the site; all or nothing, with Swedish errors."""
        site = self.get_object(request, object_id)
        if site is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not request.user.has_perm("sites.add_building"):
            raise PermissionDenied
        form = BuildingImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                result = import_building_file(
                    site, upload.read(), upload.name, form.cleaned_data["source"], crs=form.cleaned_data["crs"] or None
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _("%(created)s byggnader nya och %(updated)s uppdaterade. Kamerornas täckning är omräknad.")
                    % {"created": result.created, "updated": result.updated},
                )
                if result.left_out or result.incomplete:
                    messages.info(
                        request,
                        _(
                            "Ur OpenStreetMap-filen lästes inte %(left_out)s byggnader längre bort än 300 m från platsen "
                            "och %(incomplete)s som skurits av vid utdragets kant."
                        )
                        % {"left_out": result.left_out, "incomplete": result.incomplete},
                    )
                return HttpResponseRedirect(reverse("admin:sites_site_change", args=[site.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Läs in byggnader för %(site)s") % {"site": site},
            "form": form,
            "site": site,
            "opts": self.opts,
            "buildings": site.buildings.order_by("name"),
        }
        return TemplateResponse(request, "sites/admin_import_buildings.html", context)


@admin.register(Building)
class BuildingAdmin(TryggModelAdmin):
    list_display = ["__str__", "site", "source", "source_id"]
    list_filter = ["source"]
    search_fields = ["name", "site__name", "source_id"]
    list_select_related = ["site"]


@admin.register(Zone)
class ZoneAdmin(TryggModelAdmin):
    list_display = ["name", "site", "kind", "rule"]
    list_filter = ["kind", "rule", ("site", admin.RelatedOnlyFieldListFilter)]  # only sites the user sees
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
