"""Site pages: list, detail with map, create and edit, zones drawn on the map, notes and measures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from trygg.cameras.geojson import site_feature_collection
from trygg.cameras.models import Camera
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.core.field_names import labels_from
from trygg.core.history import changes_for, describe
from trygg.core.listing import Column, listing
from trygg.core.params import BadParameter, bad_request, check_form
from trygg.core.position import grid_of
from trygg.core.versions import VersionedFormMixin, save_versioned
from trygg.sites.filters import SiteFilter
from trygg.sites.forms import DialogueNoteForm, MeasureForm, SiteForm, ZoneForm
from trygg.sites.models import Site, Zone

MAP_LABELS = {
    "outline": gettext_lazy("Platsens gräns"),
    "zone": gettext_lazy("Områden"),
    "building": gettext_lazy("Byggnader"),
    "visible": gettext_lazy("Kamerornas synliga täckning"),
    "mask": gettext_lazy("Måste maskeras"),
    "camera": gettext_lazy("Kameror"),
    "site": gettext_lazy("Platser"),
    "coverage": gettext_lazy("Täckningssektorer"),
}

# Leaflet-Geoman's texts in plain Swedish (its own Swedish says "Rita Polygoner", "Redigera Lager").
# map.js hands them to `map.pm.setLang`, which lays them over the library's built-in language.
GEOMAN_TEXTS = {
    "tooltips": {
        "placeMarker": gettext_lazy("Klicka för att sätta en punkt"),
        "firstVertex": gettext_lazy("Klicka på kartan där ytans första hörn ska vara"),
        "continueLine": gettext_lazy("Klicka för att sätta nästa hörn"),
        "finishLine": gettext_lazy("Klicka på sista hörnet igen för att avsluta"),
        "finishPoly": gettext_lazy("Klicka på första hörnet för att sluta ytan"),
        "finishRect": gettext_lazy("Klicka för att sätta rektangelns motsatta hörn"),
        "startCircle": gettext_lazy("Klicka för att sätta cirkelns mitt"),
        "finishCircle": gettext_lazy("Klicka för att sätta cirkelns storlek"),
        "placeCircleMarker": gettext_lazy("Klicka för att sätta en punkt"),
    },
    "actions": {
        "finish": gettext_lazy("Klar"),
        "cancel": gettext_lazy("Avbryt"),
        "removeLastVertex": gettext_lazy("Ta bort senaste hörnet"),
    },
    "buttonTitles": {
        "drawMarkerButton": gettext_lazy("Sätt en punkt"),
        "drawPolyButton": gettext_lazy("Rita polygon"),
        "drawLineButton": gettext_lazy("Rita linje"),
        "drawCircleButton": gettext_lazy("Rita cirkel"),
        "drawRectButton": gettext_lazy("Rita rektangel"),
        "editButton": gettext_lazy("Flytta hörn i ytan"),
        "dragButton": gettext_lazy("Flytta ytan"),
        "cutButton": gettext_lazy("Klipp bort en del av ytan"),
        "deleteButton": gettext_lazy("Ta bort ytan"),
        "drawCircleMarkerButton": gettext_lazy("Sätt en punkt"),
        "snappingButton": gettext_lazy("Fäst hörn mot andra ytor"),
        "pinningButton": gettext_lazy("Flytta gemensamma hörn tillsammans"),
        "rotateButton": gettext_lazy("Vrid ytan"),
    },
}

COLUMNS = [
    Column("name", gettext_lazy("Namn"), "name"),
    Column("kind", gettext_lazy("Typ"), "kind"),
    Column("administration", gettext_lazy("Förvaltning"), "administration__name"),
    Column("area", gettext_lazy("Område"), "area_kind"),
    Column("vulnerability", gettext_lazy("Utsatthet"), "vulnerability"),
    Column("cameras", gettext_lazy("Kameror i drift"), "cameras_in_operation", numeric=True),
]


def visible_sites(request: HttpRequest):
    return roles.scope_queryset(request.user, Site.objects.all())


@requires(roles.is_staff_role)
def site_list(request: HttpRequest) -> HttpResponse:
    # A count per site as a subquery rather than a GROUP BY over every camera of every site: the database
    # counts the page's sites' cameras from the index on the camera's site (issue 15).
    in_operation = (
        Camera.objects.filter(site=OuterRef("pk"), state="in_operation")
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        visible_sites(request)
        .select_related("administration")
        .annotate(cameras_in_operation=Coalesce(Subquery(in_operation), 0))
    )
    site_filter = SiteFilter(request.GET, queryset=queryset)
    try:
        check_form(site_filter.form)
        rows = listing(request, site_filter.qs, COLUMNS, "name")
    except BadParameter as error:
        return bad_request(error, request)
    return render(
        request,
        "sites/site_list.html",
        {"filter": site_filter, "listing": rows, "may_edit_register": roles.edits_register.test(request.user)},
    )


@requires(roles.is_staff_role)
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(visible_sites(request).select_related("administration"), pk=pk)
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "zones": site.zones.order_by("name"),
            "cameras": site.cameras.select_related("project").order_by("identifier"),
            "measures": site.measures.order_by("-started_on"),
            "notes": site.dialogue_notes.select_related("project").order_by("-held_on"),
            "projects": site.projects.annotate(camera_count=Count("cameras")).order_by("target_date"),
            "history": describe(changes_for(site)[:30]),
            "map_labels": MAP_LABELS,
            "uses_map": True,
            "grid": grid_of(site.longitude, site.latitude),
            "may_edit": roles.edits_register.test(request.user),
            "may_add_notes": roles.adds_site_notes.test(request.user),
        },
    )


@requires(roles.is_staff_role)
# Exact positions of cameras: no copy may stay in a browser's or proxy's cache.
@never_cache
def site_map_data(request: HttpRequest, pk: int) -> JsonResponse:
    site = get_object_or_404(visible_sites(request), pk=pk)
    log_download(request, "download.site_map_data", site)
    return JsonResponse(site_feature_collection(site), content_type="application/geo+json")


def _save_form(request: HttpRequest, form: Any, success: str) -> Any:
    """Save in one transaction; an edit that started from an older version is refused (returns None)."""
    if isinstance(form, VersionedFormMixin):
        obj = save_versioned(form)
    else:
        with transaction.atomic():
            obj = form.save()
    if obj is not None:
        messages.success(request, success)
    return obj


@labels_from(SiteForm)
@requires(roles.edits_register)
def site_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk) if pk else None
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, _("Platsen är sparad."))
        if saved is not None:
            return redirect("sites:detail", pk=saved.pk)
    return render(
        request,
        "sites/site_form.html",
        {"form": form, "site": site, "uses_map": True, "map_labels": MAP_LABELS, "geoman_texts": GEOMAN_TEXTS},
    )


@labels_from(ZoneForm)
@requires(roles.edits_register)
def zone_edit(request: HttpRequest, site_pk: int, pk: int | None = None) -> HttpResponse:
    site = get_object_or_404(Site, pk=site_pk)
    zone = get_object_or_404(Zone, pk=pk, site=site) if pk else Zone(site=site)
    form = ZoneForm(request.POST or None, instance=zone)
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, _("Området är sparat. Kamerornas täckning är omräknad."))
    if saved is not None:
        return redirect("sites:detail", pk=site.pk)
    return render(
        request,
        "sites/zone_form.html",
        {
            "form": form,
            "site": site,
            "zone": zone if pk else None,
            "uses_map": True,
            "map_labels": MAP_LABELS,
            "geoman_texts": GEOMAN_TEXTS,
        },
    )


@requires(roles.adds_site_notes)
def measure_add(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = get_object_or_404(visible_sites(request), pk=site_pk)
    form = MeasureForm(request.POST or None)
    form.instance.site = site
    if request.method == "POST" and form.is_valid():
        _save_form(request, form, _("Åtgärden är sparad."))
        return redirect("sites:detail", pk=site.pk)
    return render(request, "sites/simple_form.html", {"form": form, "site": site, "title": _("Ny åtgärd som prövats")})


@requires(roles.adds_site_notes)
def note_add(request: HttpRequest, site_pk: int) -> HttpResponse:
    site = get_object_or_404(visible_sites(request), pk=site_pk)
    form = DialogueNoteForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        form.instance.recorded_by = request.user
        _save_form(request, form, _("Dialoganteckningen är sparad."))
        return redirect("sites:detail", pk=site.pk)
    return render(request, "sites/simple_form.html", {"form": form, "site": site, "title": _("Ny dialoganteckning")})
