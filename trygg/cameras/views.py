"""Pages and data about cameras outside the register (the admin)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from trygg.cameras.geojson import ALLOWED_EXPORT_CRS, coverage_feature_collection
from trygg.cameras.models import Camera
from trygg.core import roles
from trygg.core.access import requires


@requires(roles.is_staff_role)
def coverage_geojson(request: HttpRequest, pk: int) -> JsonResponse | HttpResponseBadRequest:
    """The camera, its coverage, what it really sees, its privacy mask and the site's zones, as GeoJSON.

    `?crs=EPSG:3011` gives the geometries in the municipality's local CRS instead of WGS 84.
    """
    camera = get_object_or_404(roles.scope_queryset(request.user, Camera.objects.select_related("site")), pk=pk)
    crs = request.GET.get("crs", "EPSG:4326").upper()
    if crs not in ALLOWED_EXPORT_CRS:
        return HttpResponseBadRequest(
            _("Okänt koordinatsystem %(crs)s i parametern crs. Tillåtna: %(allowed)s.")
            % {"crs": crs, "allowed": ", ".join(sorted(ALLOWED_EXPORT_CRS))}
        )
    return JsonResponse(
        coverage_feature_collection(camera, crs),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
