"""The feature collections Trygg publishes through OGC API – Features, and who sees which.

Staff roles (admin, officer, DPO, administration contact) get cameras, coverage, sites and zones,
limited by `roles.scope_queryset` exactly as the map (`trygg.cameras.map_views`): the contact sees
only the administration's own sites. Everyone else (the public and the reader role) gets one
collection, the sites where cameras are in operation or paused today, as the public pages under
/kamerabevakning/ list them: a site's name and position and how many cameras record there, never
where a camera hangs (OSL 18 kap. 8 §; legal.md R2.3).

Every collection pages in the database: a count and one slice of rows, whatever the number of rows
(zones filtered by `bbox` are the one exception, see `_zones_in_bbox`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DecimalField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Round
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import box, shape

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.cameras.services import cameras_with_state_on
from trygg.compliance.facts import ONGOING_STATES
from trygg.core import roles
from trygg.geo.validation import rfc7946
from trygg.sites.models import Site, Zone

Bbox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Collection:
    """One collection: its rows for a user, how `bbox` and `datetime` narrow them, and one row as a feature."""

    id: str
    title: Any
    description: Any
    geometry_type: str
    rows: Callable[[Any], QuerySet]
    feature: Callable[[Any], dict[str, Any]]
    in_bbox: Callable[[QuerySet, Bbox], QuerySet]
    extent: Callable[[QuerySet], Bbox | None]
    on_date: Callable[[QuerySet, dt.date], QuerySet] | None = None

    def features(self, rows: Any) -> list[dict[str, Any]]:
        """Each row as a feature (`feature`), the script prefix read once for the page."""
        token = _PAGE_PREFIX.set(get_script_prefix())
        try:
            return [self.feature(row) for row in rows]
        finally:
            _PAGE_PREFIX.reset(token)


@functools.lru_cache(maxsize=32)
def _url_template(name: str, prefix: str) -> tuple[str, str]:
    """The parts of `name`'s URL before and after its pk, reversed once (with `prefix`, the script prefix).

    A 1 000-feature page reversed one URL per feature, which took half of the page's time.
    """
    marker = 918273645
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return head, tail


# The script prefix while a page of features is built (`Collection.features`): reading it from Django's
# request-local storage for each of 1 000 features cost more than building them.
_PAGE_PREFIX: ContextVar[str | None] = ContextVar("trygg_ogc_page_prefix", default=None)


def detail_url(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a route with one integer pk, without reversing every time."""
    head, tail = _url_template(name, _PAGE_PREFIX.get() or get_script_prefix())
    return f"{head}{pk}{tail}"


def _point(longitude: float, latitude: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def _points_in_bbox(queryset: QuerySet, bbox: Bbox) -> QuerySet:
    west, south, east, north = bbox
    return queryset.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)


def _point_extent(queryset: QuerySet) -> Bbox | None:
    found = queryset.order_by().aggregate(
        west=Min("longitude"), south=Min("latitude"), east=Max("longitude"), north=Max("latitude")
    )
    return None if found["west"] is None else (found["west"], found["south"], found["east"], found["north"])


def _in_operation_on(queryset: QuerySet, on: dt.date) -> QuerySet:
    """Cameras in operation at the end of day `on`, from the dated transition rows."""
    return cameras_with_state_on(on, queryset).filter(state_on_date=State.IN_OPERATION.value)


#
# Cameras and their coverage (staff only)
#

CAMERA_FIELDS = (
    "identifier", "site__name", "state", "longitude", "latitude", "mount", "mount_height_m", "bearing_deg",
    "hfov_deg", "range_m", "camera_type", "is_indoor", "secret_placement",
)  # fmt: skip


def _cameras(user: Any) -> QuerySet:
    """The cameras `user` may see, as dicts of CAMERA_FIELDS (and "pk"): a page of 1 000 built model
    instances (camera and site) took more time than the rest of the page together."""
    return roles.scope_queryset(user, Camera.objects.all()).order_by("pk").values("pk", *CAMERA_FIELDS)


def _camera_feature(camera: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": camera["pk"],
        "geometry": _point(camera["longitude"], camera["latitude"]),
        "properties": {
            "identifier": camera["identifier"],
            "site": camera["site__name"],
            "state": camera["state"],
            "mount": camera["mount"],
            "mount_height_m": camera["mount_height_m"],
            "bearing_deg": camera["bearing_deg"],
            "hfov_deg": camera["hfov_deg"],
            "range_m": camera["range_m"],
            "camera_type": camera["camera_type"],
            "is_indoor": camera["is_indoor"],
            "secret_placement": camera["secret_placement"],
            "url": detail_url("cameras:detail", camera["pk"]),
        },
    }


def _coverage(user: Any) -> QuerySet:
    return (
        roles.scope_queryset(
            user,
            Camera.objects.select_related("site").only(
                "identifier", "site__name", "state", "coverage", "visible_coverage", "visible_area_m2"
            ),
        )
        .filter(coverage__isnull=False)
        .order_by("pk")
    )


def _coverage_feature(camera: Camera) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": camera.pk,
        "geometry": rfc7946(camera.visible_coverage or camera.coverage),
        "properties": {
            "camera_id": camera.pk,
            "identifier": camera.identifier,
            "site": camera.site.name,
            "state": camera.state,
            "visible_area_m2": camera.visible_area_m2,
        },
    }


def _boxes_in_bbox(queryset: QuerySet, bbox: Bbox) -> QuerySet:
    """Rows whose stored bounding box (bbox_west … bbox_north) meets `bbox`."""
    west, south, east, north = bbox
    return queryset.filter(bbox_west__lte=east, bbox_east__gte=west, bbox_south__lte=north, bbox_north__gte=south)


def _box_extent(queryset: QuerySet) -> Bbox | None:
    found = queryset.order_by().aggregate(
        west=Min("bbox_west"), south=Min("bbox_south"), east=Max("bbox_east"), north=Max("bbox_north")
    )
    return None if found["west"] is None else (found["west"], found["south"], found["east"], found["north"])


#
# Sites: every site for staff (scoped), the public ones for everyone else
#


def _sites(user: Any) -> QuerySet:
    return roles.scope_queryset(
        user, Site.objects.select_related("administration").only(
            "name", "kind", "address", "longitude", "latitude", "administration__short_name"
        )
    ).order_by("pk")  # fmt: skip


def _site_feature(site: Site) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": _point(site.longitude, site.latitude),
        "properties": {
            "name": site.name,
            "kind": site.kind,
            "address": site.address,
            "administration": site.administration.short_name,
            "url": detail_url("sites:detail", site.pk),
        },
    }


# The public sees a site's point to 2 decimals of a degree (about 1 km north–south, 0.5 km east–west):
# a site with one camera would otherwise show where that camera hangs. bbox and extent use the same
# rounded values, so narrowing the box cannot find the exact point either.
PUBLIC_DECIMALS = 2


def _rounded(field: str) -> Round:
    # Through a decimal: PostgreSQL has no round(double precision, integer).
    return Round(Cast(field, DecimalField(max_digits=12, decimal_places=7)), PUBLIC_DECIMALS)


def _public_points_in_bbox(queryset: QuerySet, bbox: Bbox) -> QuerySet:
    west, south, east, north = bbox
    return queryset.filter(
        public_longitude__gte=west, public_longitude__lte=east, public_latitude__gte=south, public_latitude__lte=north
    )


def _public_point_extent(queryset: QuerySet) -> Bbox | None:
    found = queryset.order_by().aggregate(
        west=Min("public_longitude"),
        south=Min("public_latitude"),
        east=Max("public_longitude"),
        north=Max("public_latitude"),
    )
    if found["west"] is None:
        return None
    return (float(found["west"]), float(found["south"]), float(found["east"]), float(found["north"]))


def public_sites() -> QuerySet:
    """Sites with a camera in operation or paused today (the list on /kamerabevakning/), with
    `cameras_in_operation` counted in the same query.

    The count is a subquery per site rather than a GROUP BY over every camera, so a page of sites
    (`[offset:offset + limit]`) counts only its own sites' cameras, and `.count()` drops it.
    """
    today = timezone.localdate()
    ongoing = cameras_with_state_on(today).filter(state_on_date__in=ONGOING_STATES).values("site_id")
    in_operation = (
        cameras_with_state_on(today, Camera.objects.filter(site=OuterRef("pk")))
        .filter(state_on_date=State.IN_OPERATION.value)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Site.objects.filter(pk__in=ongoing)
        .only("name", "kind", "longitude", "latitude")
        .annotate(
            cameras_in_operation=Coalesce(Subquery(in_operation), 0),
            public_longitude=_rounded("longitude"),
            public_latitude=_rounded("latitude"),
        )
        .order_by("pk")
    )


def _public_site_feature(site: Site) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": site.pk,
        "geometry": _point(float(site.public_longitude), float(site.public_latitude)),
        "properties": {
            "name": site.name,
            "kind": site.kind,
            "cameras_in_operation": site.cameras_in_operation,
            "url": detail_url("compliance_public:public_site", site.pk),
        },
    }


#
# Zones (staff only)
#


def _zones(user: Any) -> QuerySet:
    return roles.scope_queryset(
        user, Zone.objects.select_related("site").only("name", "kind", "rule", "geometry", "site__name")
    ).order_by("pk")


def _zone_feature(zone: Zone) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": zone.pk,
        "geometry": rfc7946(zone.geometry),
        "properties": {"name": zone.name, "kind": zone.kind, "rule": zone.rule, "site": zone.site.name},
    }


def _zone_bounds(queryset: QuerySet) -> list[tuple[int, tuple[float, float, float, float]]]:
    return [(pk, shape(geometry).bounds) for pk, geometry in queryset.order_by().values_list("pk", "geometry")]


def _zones_in_bbox(queryset: QuerySet, bbox: Bbox) -> QuerySet:
    """Zones meeting `bbox`. Zones keep no bounding-box columns, so their geometries are read once
    (one query, id and geometry only) and the page is then selected by id in the database."""
    wanted = box(*bbox)
    return queryset.filter(pk__in=[pk for pk, bounds in _zone_bounds(queryset) if box(*bounds).intersects(wanted)])


def _zone_extent(queryset: QuerySet) -> Bbox | None:
    bounds = [b for _pk, b in _zone_bounds(queryset)]
    if not bounds:
        return None
    return (min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds), max(b[3] for b in bounds))


STAFF_COLLECTIONS = (
    Collection(
        "cameras",
        _("Kameror"),
        _("Kamerornas placering (punkt) med status, riktning och bildvinkel."),
        "Point",
        _cameras,
        _camera_feature,
        _points_in_bbox,
        _point_extent,
        on_date=_in_operation_on,
    ),
    Collection(
        "coverage",
        _("Kamerornas täckning"),
        _("Det område varje kamera ser (synlig täckning när byggnader skymmer, annars hela sektorn)."),
        "Polygon",
        _coverage,
        _coverage_feature,
        _boxes_in_bbox,
        _box_extent,
        on_date=_in_operation_on,
    ),
    Collection(
        "sites",
        _("Platser"),
        _("Platser och objekt i kamerabevakningsprogrammet."),
        "Point",
        _sites,
        _site_feature,
        _points_in_bbox,
        _point_extent,
    ),
    Collection(
        "zones",
        _("Områden"),
        _("Områden på platserna med regel för om de får bevakas."),
        "Polygon",
        _zones,
        _zone_feature,
        _zones_in_bbox,
        _zone_extent,
    ),
)

PUBLIC_COLLECTIONS = (
    Collection(
        "sites",
        _("Platser med kamerabevakning"),
        _(
            "Platser där kommunen har kameror i drift i dag, med antalet kameror. Platsens läge visas avrundat "
            "till omkring en kilometer; var kamerorna sitter visas aldrig."
        ),
        "Point",
        lambda user: public_sites(),
        _public_site_feature,
        _public_points_in_bbox,
        _public_point_extent,
    ),
)


def collections_for(user: Any) -> dict[str, Collection]:
    """The collections `user` may read, by id: all four for staff roles, the public sites otherwise."""
    chosen = STAFF_COLLECTIONS if roles.is_staff_role.test(user) else PUBLIC_COLLECTIONS
    return {collection.id: collection for collection in chosen}
