"""Admin pages for cameras, with a page to move a camera through its life cycle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.cameras import services
from trygg.cameras.forms import MoveForm
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.admin import TryggModelAdmin
from trygg.sites.views import MAP_LABELS


class TransitionInline(admin.StackedInline):
    model = CameraTransition
    extra = 0
    fields = ["occurred_on", "from_state", "to_state", "note", "recorded_by"]
    readonly_fields = fields
    can_delete = False
    ordering = ["sequence"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # moves are made on the status page, through the state machine


@admin.register(Camera)
class CameraAdmin(TryggModelAdmin):
    list_display = ["identifier", "site", "state", "camera_type", "schedule_template", "retention_hours"]
    list_filter = ["state", "camera_type", "is_indoor", "schedule_template", "secret_placement", "site__kind"]
    search_fields = ["identifier", "site__name", "coverage_description"]
    list_select_related = ["site"]
    readonly_fields = ["state", "coverage_summary"]
    inlines = [TransitionInline]
    change_form_template = "cameras/admin_camera_change_form.html"
    fieldsets = [
        (None, {"fields": ["identifier", "site", "project", "state"]}),
        (
            _("Läge och riktning"),
            {"fields": ["longitude", "latitude", "mount", "mount_height_m", "bearing_deg", "pan_range", "tilt_deg"]},
        ),
        (
            _("Optik"),
            {
                "fields": [
                    "camera_type",
                    "is_indoor",
                    "hfov_deg",
                    "focal_length_mm",
                    "sensor_width_mm",
                    "resolution_width_px",
                    "resolution_height_px",
                    "range_m",
                ]
            },
        ),
        (
            _("Ljud och särskild teknik"),
            {"fields": ["records_sound", "uses_anpr", "uses_analytics", "uses_face_recognition", "is_ptz"]},
        ),
        (
            _("Bevakningstider och lagring"),
            {
                "fields": [
                    "schedule_template",
                    "schedule_rules",
                    "schedule_deviation_reason",
                    "retention_hours",
                    "retention_justification",
                ]
            },
        ),
        (
            _("Ändamål, plats och integritet"),
            {
                "fields": [
                    "purpose",
                    "public_access",
                    "identifies_persons",
                    "privacy_masking",
                    "covers_toilet_or_changing_room",
                    "captures_staff_workplace",
                    "serious_incident_basis",
                    "exemption",
                    "exemption_justification",
                ]
            },
        ),
        (
            _("Beskrivning och sekretess"),
            {"fields": ["coverage_description", "secret_placement", "publish_osm", "notes"]},
        ),
        (_("Täckning och intrång"), {"fields": ["coverage_summary"]}),
    ]

    @admin.display(description=_("beräknad täckning"))
    def coverage_summary(self, camera: Camera) -> str:
        return render_to_string(
            "cameras/coverage_summary.html",
            {
                "camera": camera,
                "tile_url": settings.TRYGG_TILE_URL,
                "local_crs": settings.TRYGG_LOCAL_CRS,
                "map_labels": MAP_LABELS,
            },
        )

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.move_view),
                name="cameras_camera_move",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        camera = self.get_object(request, object_id)
        if camera is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, camera):
            raise PermissionDenied
        form = MoveForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                services.move(
                    camera,
                    form.cleaned_data["to_state"],
                    form.cleaned_data["occurred_on"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("to_state", message)
            else:
                messages.success(request, _("Kamerans status är ändrad."))
                return HttpResponseRedirect(reverse("admin:cameras_camera_change", args=[camera.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ändra status för %(camera)s") % {"camera": camera},
            "form": form,
            "camera": camera,
            "opts": self.opts,
            "transitions": camera.transitions.order_by("sequence"),
        }
        return TemplateResponse(request, "cameras/admin_camera_move.html", context)
