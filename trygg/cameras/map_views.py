"""The map of the whole programme: sites, cameras, what they see and the zones they must not see."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, IntegerField, QuerySet
from django.db.models.functions import Floor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache

from trygg.cameras.geojson import map_feature_collection
from trygg.cameras.models import Camera
from trygg.core import export_cache, roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.core.limits import echo
from trygg.core.params import BadParameter, bad_request
from trygg.sites.models import Site, Zone
from trygg.sites.views import MAP_LABELS

LABELS = {
    **MAP_LABELS,
    "zone": gettext_lazy("Områden som inte får bevakas (alltid eller under skoltid)"),
    "cluster": gettext_lazy("Kameror, räknade per område (zooma in för att se var)"),
}


@requires(roles.is_staff_role)
def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cameras/map.html", {"uses_map": True, "map_labels": LABELS})


#: A view narrower than this (degrees of longitude, about 4.5 km at 60° N) gets every feature in it;
#: a wider one gets the cameras counted per grid cell (clusters) and no coverage or zones.
DETAIL_SPAN_DEG = 0.08
#: Grid cells across a wide view: at most CLUSTER_CELLS² clusters, whatever the number of cameras.
CLUSTER_CELLS = 16


def bbox_param(request: HttpRequest) -> tuple[float, float, float, float] | None:
    """The view in `?bbox=west,south,east,north` (WGS 84 degrees, Leaflet's toBBoxString), or None.

    Raises BadParameter with a Swedish message when it is not four numbers in range with west < east
    and south < north.
    """
    value = request.GET.get("bbox", "").strip()
    if not value:
        return None
    message = gettext(
        "Fältet ”bbox” ska vara fyra tal väst,syd,öst,nord i grader (WGS 84), till exempel "
        "18.6,59.7,18.8,59.8 (fick ”%(value)s”)."
    ) % {"value": echo(value)}
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError as error:
        raise BadParameter(message) from error
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise BadParameter(message)
    return west, south, east, north


def clusters(cameras: QuerySet[Camera], bbox: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """Cameras in `bbox` counted per grid cell in SQL: a point at the cell's mean position with the count."""
    west, south, east, north = bbox
    cell_x, cell_y = (east - west) / CLUSTER_CELLS, (north - south) / CLUSTER_CELLS
    rows = (
        cameras.annotate(
            cx=Floor((F("longitude") - west) / cell_x, output_field=IntegerField()),
            cy=Floor((F("latitude") - south) / cell_y, output_field=IntegerField()),
        )
        .values("cx", "cy")
        .annotate(n=Count("pk"), lon=Avg("longitude"), lat=Avg("latitude"))
        .order_by("cx", "cy")
    )
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
            "properties": {
                "kind": "cluster",
                "count": row["n"],
                "label": ngettext("%(n)s kamera – zooma in", "%(n)s kameror – zooma in", row["n"]) % {"n": row["n"]},
            },
        }
        for row in rows
    ]


@requires(roles.is_staff_role)
# Exact positions of cameras: no copy may stay in a browser's or proxy's cache.
@never_cache
def map_data(request: HttpRequest) -> HttpResponse:
    """Everything the user may see, in three queries whatever the number of cameras.

    With `?bbox=` only what lies in the view: every site, zone, camera and its coverage in a narrow
    view; in a wide one (wider than DETAIL_SPAN_DEG) the cameras counted per grid cell instead,
    so the answer stays small whatever the number of cameras. Without `bbox` everything (an export).

    Exact placements marked secret (OSL 18 kap. 8 §) are shown only to staff roles, and an
    administration contact sees only the administration's own sites and cameras.
    """
    try:
        bbox = bbox_param(request)
    except BadParameter as error:
        return bad_request(error, request)
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
    if bbox is not None:
        west, south, east, north = bbox
        in_view = {"longitude__range": (west, east), "latitude__range": (south, north)}
        cameras = cameras.filter(**in_view)
        if east - west > DETAIL_SPAN_DEG:
            return JsonResponse(
                {"type": "FeatureCollection", "features": clusters(cameras, bbox)}, content_type="application/geo+json"
            )
        sites = sites.filter(**in_view)
        # A site's zones lie around its point; a margin keeps those of sites just outside the view.
        margin_x, margin_y = (east - west) / 2, (north - south) / 2
        zones = zones.filter(
            site__longitude__range=(west - margin_x, east + margin_x),
            site__latitude__range=(south - margin_y, north + margin_y),
        )
        data = map_feature_collection(sites, cameras, zones)
        log_download(request, "download.map_data", features=len(data.get("features", [])))
        return JsonResponse(data, content_type="application/geo+json")

    def build() -> tuple[bytes, dict[str, Any]]:
        data = map_feature_collection(sites, cameras, zones)
        return JsonResponse(data).content, {"features": len(data.get("features", []))}

    # Without a view: everything, an export written once per state of the data.
    body, details = export_cache.get_or_build("map_data", request, build)
    log_download(request, "download.map_data", **details)
    return HttpResponse(body, content_type="application/geo+json")
