"""The map of the whole programme: sites, cameras, what they see and the zones they must not see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from trygg.cameras.geojson import map_feature_collection
from trygg.cameras.models import Camera
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.sites.models import Site, Zone
from trygg.sites.views import MAP_LABELS

LABELS = {**MAP_LABELS, "zone": gettext_lazy("Områden som inte får bevakas (alltid eller under skoltid)")}


@requires(roles.is_staff_role)
def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cameras/map.html", {"uses_map": True, "map_labels": LABELS})


@requires(roles.is_staff_role)
# Exact positions of cameras: no copy may stay in a browser's or proxy's cache.
@never_cache
def map_data(request: HttpRequest) -> JsonResponse:
    """Everything the user may see, in three queries whatever the number of cameras.

    Exact placements marked secret (OSL 18 kap. 8 §) are shown only to staff roles, and an
    administration contact sees only the administration's own sites and cameras.
    """
    sites = roles.scope_queryset(request.user, Site.objects.only("name", "longitude", "latitude"))
    cameras = roles.scope_queryset(
        request.user,
        Camera.objects.only(
            "identifier", "state", "longitude", "latitude", "intrusions", "visible_coverage", "privacy_mask", "site_id"
        ),
    ).exclude(state="decommissioned")
    zones = roles.scope_queryset(
        request.user, Zone.objects.exclude(rule="may_monitor").only("name", "rule", "geometry", "site_id")
    )
    data = map_feature_collection(sites, cameras, zones)
    log_download(request, "download.map_data", features=len(data.get("features", [])))
    return JsonResponse(data, content_type="application/geo+json")
