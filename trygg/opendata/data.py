"""What open data is made of, read from the database with a fixed number of queries.

The secrecy filter is the public pages' (`/kamerabevakning/`) and the OGC public `sites` collection's:
the register is one row per site with a camera in operation or paused today, its position rounded to
two decimals of a degree (`trygg.ogc.collections.public_sites`), never a camera's position. Planned
cameras and sites without ongoing surveillance are not in it. Only the OpenStreetMap export shows
cameras one by one, and only those the municipality chose to publish (`Camera.publish_osm`), that are
ongoing today and whose placement is not secret (OSL 18 kap. 8 §), even if the choice was made.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from trygg.cameras.models import POSITION_PUBLISHED, Camera
from trygg.cameras.services import cameras_with_state_on
from trygg.compliance.facts import ONGOING_STATES
from trygg.core.models import Organisation
from trygg.geo.coverage import PanRange
from trygg.geo.osm import tags_for_camera
from trygg.ogc.collections import PUBLIC_DECIMALS, public_sites
from trygg.opendata.formats import OsmNode, YearValue, year_values
from trygg.programme import services as programme
from trygg.sites.choices import SiteKind
from trygg.sites.models import Site

#: The register's columns (CSV header and GeoJSON property names), stable and never translated.
REGISTER_COLUMNS = (
    "plats_id",
    "plats",
    "typ_av_plats",
    "kameror_i_drift",
    "andamal",
    "spelar_in_ljud",
    "langsta_lagringstid_timmar",
    "longitud",
    "latitud",
    "information",
)


@dataclass(frozen=True)
class RegisterRow:
    """One site of the public register: counts and purposes, a position rounded to about a kilometre."""

    site_id: int
    name: str
    kind: str
    cameras_in_operation: int
    purposes: tuple[str, ...]
    records_sound: bool
    longest_retention_hours: int | None
    longitude: float
    latitude: float
    information_path: str

    def cells(self) -> list[object]:
        return [
            self.site_id,
            self.name,
            self.kind,
            self.cameras_in_operation,
            "; ".join(self.purposes),
            "ja" if self.records_sound else "nej",
            self.longest_retention_hours,
            self.longitude,
            self.latitude,
            self.information_path,
        ]


def site_information_path() -> Callable[[int], str]:
    """The public page's path of a site by its id, reversed once (a reverse per site cost more than the
    rest of the register): `site_information_path()(7)` → "/kamerabevakning/platser/7/"."""
    marker = "918273645"
    head, tail = reverse("compliance_public:public_site", args=[int(marker)]).split(marker)
    return lambda site_id: f"{head}{site_id}{tail}"


def public_register() -> list[RegisterRow]:
    """The public register today, by site name: three queries of plain values whatever the number of
    sites or cameras (the cameras are summed per site and purpose by the database)."""
    today = timezone.localdate()
    sites = public_sites()
    # Every ongoing camera is at a public site: that is what makes a site public.
    ongoing = cameras_with_state_on(today).filter(state_on_date__in=ONGOING_STATES)
    summary = {
        site_id: (with_sound > 0, longest)
        for site_id, with_sound, longest in ongoing.values("site_id")
        .annotate(with_sound=Count("pk", filter=Q(records_sound=True)), longest=Max("retention_hours"))
        .values_list("site_id", "with_sound", "longest")
        .order_by()
    }
    purposes: dict[int, set[str]] = defaultdict(set)
    for site_id, purpose in ongoing.values_list("site_id", "purpose").distinct().order_by():
        if purpose.strip():
            purposes[site_id].add(purpose.strip())
    kinds = dict(SiteKind.choices)
    path_of = site_information_path()
    rows = []
    for site_id, name, kind, in_operation, longitude, latitude in sites.values_list(
        "pk", "name", "kind", "cameras_in_operation", "public_longitude", "public_latitude"
    ).iterator(chunk_size=2000):
        records_sound, longest = summary.get(site_id, (False, None))
        rows.append(
            RegisterRow(
                site_id=site_id,
                name=name,
                kind=str(kinds.get(kind, kind)),
                cameras_in_operation=in_operation,
                purposes=tuple(sorted(purposes[site_id])),
                records_sound=records_sound,
                longest_retention_hours=longest,
                longitude=round(float(longitude), PUBLIC_DECIMALS),
                latitude=round(float(latitude), PUBLIC_DECIMALS),
                information_path=path_of(site_id),
            )
        )
    # Sorted here, not by the database: its collation of names differs between SQLite and PostgreSQL.
    return sorted(rows, key=lambda row: (row.name, row.site_id))


def register_extent(rows: list[RegisterRow]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the rounded positions, None without rows."""
    if not rows:
        return None
    return (
        min(r.longitude for r in rows),
        min(r.latitude for r in rows),
        max(r.longitude for r in rows),
        max(r.latitude for r in rows),
    )


def _pan(pan_range: str) -> PanRange | None:
    parts = pan_range.replace("–", "-").split("-")
    if len(parts) != 2:
        return None
    return PanRange(float(parts[0]), float(parts[1]))


def osm_cameras() -> list[OsmNode]:
    """Cameras chosen for OpenStreetMap, ongoing today and not secret, with their OSM tags: one query."""
    operator = Organisation.current().municipality_name
    cameras = (
        cameras_with_state_on(timezone.localdate())
        .filter(POSITION_PUBLISHED, state_on_date__in=ONGOING_STATES)
        .select_related("site")
        .order_by("pk")
    )
    return [
        OsmNode(
            ref_id=camera.pk,
            longitude=camera.longitude,
            latitude=camera.latitude,
            tags=tags_for_camera(
                bearing_deg=camera.bearing_deg,
                camera_type=camera.camera_type,
                mount=camera.mount,
                height_m=camera.mount_height_m,
                is_indoor=camera.is_indoor,
                public_access=camera.public_access,
                site_kind=camera.site.kind,
                operator=operator,
                pan=_pan(camera.pan_range) if camera.pan_range else None,
                tilt_deg=camera.tilt_deg,
                ref=camera.identifier,
            ),
        )
        for camera in cameras
    ]


@dataclass(frozen=True)
class IndicatorExport:
    """The indicator as open data: code, name, unit, the municipality and one value per year."""

    code: str
    name: str
    unit: str
    municipality_id: str
    municipality: str
    values: list[YearValue]
    first_year: int | None


def indicator_export(as_of: dt.date | None = None) -> IndicatorExport:
    """The indicator per year (values from `trygg.programme.services.indicator_overview`, not recounted)."""
    as_of = as_of or timezone.localdate()
    overview = programme.indicator_overview(as_of)
    record = programme.main_indicator()
    organisation = Organisation.current()
    return IndicatorExport(
        code=overview.code,
        name=overview.name,
        unit=record.unit if record else "st",
        municipality_id=organisation.municipality_code,
        municipality=organisation.municipality_name,
        values=year_values(overview.series, overview.targets),
        first_year=overview.first_year,
    )


def last_modified() -> dt.datetime | None:
    """When a site or camera last changed (for `dct:modified`)."""
    found = [
        Site.objects.aggregate(latest=Max("updated_at"))["latest"],
        Camera.objects.aggregate(latest=Max("updated_at"))["latest"],
    ]
    found = [moment for moment in found if moment is not None]
    return max(found) if found else None
