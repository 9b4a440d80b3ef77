"""Privacy masks (maskering): what a camera sees of zones it must not watch, and what its mask covers.

A camera's stored coverage says how much of each of its site's zones it sees (`Camera.zones_seen`).
For the zones that must not be watched (always, or only outside school hours) this module adds the
privacy mask recorded on the camera by a date (`PrivacyMask`, the latest confirmed) with its images
of the camera's picture, and how much of each zone the mask leaves open. The rules engine decides
from these figures (KBL-9-ZONE-INTRUSION); the camera page shows them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Polygon, shape

from trygg.cameras.choices import PrivacyMasking
from trygg.cameras.models import Camera, PrivacyMask
from trygg.core.attachments import store_attachment
from trygg.core.models import Attachment
from trygg.geo.crs import SWEREF99_TM, WGS84, reproject
from trygg.geo.intrusion import ZoneInput, ZoneRule, uncovered_by_mask
from trygg.sites.choices import ZoneRule as ZoneRuleChoice
from trygg.sites.models import Zone

# Zone rules a camera must keep its view out of (always, or during school hours).
PROTECTED_RULES = (ZoneRuleChoice.MUST_NOT_MONITOR.value, ZoneRuleChoice.ONLY_OUTSIDE_SCHOOL_HOURS.value)


@dataclass(frozen=True)
class ProtectedZoneSeen:
    """A zone that must not be watched, as far as the camera sees it (m², share of its visible area 0–1).

    `unmasked_m2` is the part the camera's mask leaves open; None when there is no mask.
    """

    zone_id: int
    name: str
    rule: str
    area_m2: float
    share: float
    unmasked_m2: float | None = None


@dataclass
class MaskedView:
    """A camera's view of its site's protected zones and its privacy mask on a date.

    `zones` is None when the view is not computed while the site has protected zones (unknown).
    """

    zones: list[ProtectedZoneSeen] | None
    mask: PrivacyMask | None = None
    images: list[Attachment] = field(default_factory=list)

    @property
    def mask_counts(self) -> bool:
        """Whether there is a mask with at least one image of the camera's picture."""
        return self.mask is not None and bool(self.images)

    def open_m2(self, zone: ProtectedZoneSeen) -> float:
        """The m² of `zone` the camera shows: what the mask leaves open when a mask counts, else all."""
        if self.mask_counts and zone.unmasked_m2 is not None:
            return zone.unmasked_m2
        return zone.area_m2


def _metric(geojson: dict[str, Any] | None) -> Any:
    return reproject(shape(geojson), WGS84, SWEREF99_TM) if geojson else Polygon()


def views_on(cameras: Sequence[Camera], on_date: dt.date) -> dict[int, MaskedView]:
    """Each camera's protected zones in view and its mask on `on_date`, in three queries.

    The zones come from each camera's stored (or, for an earlier date, recomputed) `zones_seen`;
    the share is over its visible area. The area a mask leaves open is computed only for cameras
    that have a mask.
    """
    site_ids = {camera.site_id for camera in cameras}
    zones_by_site: dict[int, dict[int, Zone]] = defaultdict(dict)
    for zone in Zone.objects.filter(site_id__in=site_ids, rule__in=PROTECTED_RULES).only("site_id", "geometry"):
        zones_by_site[zone.site_id][zone.pk] = zone
    masks: dict[int, PrivacyMask] = {}
    for mask in PrivacyMask.objects.filter(
        camera_id__in=[camera.pk for camera in cameras], confirmed_on__lte=on_date
    ).order_by("camera_id", "confirmed_on", "pk"):
        masks[mask.camera_id] = mask  # the latest one per camera wins
    images: dict[int, list[Attachment]] = defaultdict(list)
    if masks:
        for attachment in Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(PrivacyMask),
            object_id__in=[mask.pk for mask in masks.values()],
            kind=Attachment.Kind.CAMERA_IMAGE,
        ).order_by("created_at", "pk"):
            images[attachment.object_id].append(attachment)
    views = {}
    for camera in cameras:
        site_zones = zones_by_site.get(camera.site_id, {})
        mask = masks.get(camera.pk)
        mask_images = images.get(mask.pk, []) if mask is not None else []
        if camera.coverage_area_m2 is None or camera.visible_area_m2 is None:
            views[camera.pk] = MaskedView(None if site_zones else [], mask, mask_images)
            continue
        seen = [item for item in camera.zones_seen or [] if item.get("rule") in PROTECTED_RULES]
        left_open: dict[Any, float] = {}
        if mask is not None and seen:
            inputs = [
                ZoneInput(item["zone_id"], _metric(site_zones[item["zone_id"]].geometry), ZoneRule(item["rule"]))
                for item in seen
                if item["zone_id"] in site_zones
            ]
            left_open = uncovered_by_mask(_metric(camera.visible_coverage), inputs, _metric(mask.area))
        visible = camera.visible_area_m2
        zones = [
            ProtectedZoneSeen(
                zone_id=item["zone_id"],
                name=item["zone_name"],
                rule=item["rule"],
                area_m2=float(item["area_m2"]),
                share=min(1.0, float(item["area_m2"]) / visible) if visible > 0 else 0.0,
                unmasked_m2=round(left_open[item["zone_id"]], 1) if item["zone_id"] in left_open else None,
            )
            for item in seen
        ]
        views[camera.pk] = MaskedView(zones, mask, mask_images)
    return views


def view_today(camera: Camera) -> MaskedView:
    """The camera's protected zones in view and its mask as of today."""
    return views_on([camera], timezone.localdate())[camera.pk]


@transaction.atomic
def record_mask(
    camera: Camera,
    area: dict[str, Any],
    confirmed_on: dt.date,
    image: Any,
    user: Any = None,
    note: str = "",
    description: str = "",
) -> PrivacyMask:
    """Record a privacy mask on `camera` with an image of the camera's picture, all or nothing.

    A camera recorded with no privacy technology is marked as using a fixed mask ("static_mask").

    Raises ValidationError (Swedish, keyed by field) when the mask or the image is refused; nothing
    is saved then.
    """
    signed_in = user if getattr(user, "is_authenticated", False) else None
    mask = PrivacyMask(
        camera=camera,
        area=area,
        confirmed_on=confirmed_on,
        confirmed_by=signed_in,
        confirmed_by_name=(signed_in.get_full_name() or signed_in.get_username()) if signed_in else "",
        note=note.strip(),
    )
    mask.full_clean()
    mask.save()
    store_attachment(
        mask, image, kind=Attachment.Kind.CAMERA_IMAGE, user=user, description=description, images_only=True
    )
    if camera.privacy_masking == PrivacyMasking.NONE:
        # The camera's own field says what privacy technology it uses (the register and the 9 § text read it).
        camera.privacy_masking = PrivacyMasking.STATIC_MASK
        camera.save(update_fields=["privacy_masking", "updated_at"])
    return mask


@dataclass(frozen=True)
class ZoneMaskLine:
    """One zone the camera must not show: what it sees of it and what its mask leaves open (m²)."""

    name: str
    area_m2: float
    open_m2: float


@dataclass(frozen=True)
class MaskStatus:
    """Whether the camera's mask covers what it sees of the zones that apply to it today.

    The zones that apply are those of `Camera.intrusions` with an area (the coverage computation
    already counts a school-hours zone only when the camera records in school hours). `covered`
    is True when every such zone's open area is at most `tolerance_m2`; the gate itself is the rule
    KBL-9-ZONE-INTRUSION of the rules engine.
    """

    view: MaskedView
    lines: tuple[ZoneMaskLine, ...]
    tolerance_m2: float

    @property
    def intrudes(self) -> bool:
        return any(line.area_m2 > self.tolerance_m2 for line in self.lines)

    @property
    def covered(self) -> bool:
        return all(line.open_m2 <= self.tolerance_m2 for line in self.lines)

    @property
    def open_lines(self) -> tuple[ZoneMaskLine, ...]:
        return tuple(line for line in self.lines if line.open_m2 > self.tolerance_m2)


def mask_status(camera: Camera, view: MaskedView, tolerance_m2: float) -> MaskStatus:
    """The mask's status for the zones `camera` intrudes into (see `MaskStatus`)."""
    applies = {item["zone_id"] for item in camera.intrusions or [] if item.get("area_m2", 0) > 0}
    lines = tuple(
        ZoneMaskLine(zone.name, zone.area_m2, view.open_m2(zone))
        for zone in view.zones or []
        if zone.zone_id in applies
    )
    return MaskStatus(view, lines, tolerance_m2)


def images_of(records: Sequence[PrivacyMask]) -> dict[int, list[Attachment]]:
    """The camera images of each mask record, by record pk, in one query."""
    found: dict[int, list[Attachment]] = defaultdict(list)
    if records:
        for attachment in Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(PrivacyMask),
            object_id__in=[record.pk for record in records],
            kind=Attachment.Kind.CAMERA_IMAGE,
        ).order_by("created_at", "pk"):
            found[attachment.object_id].append(attachment)
    return found
