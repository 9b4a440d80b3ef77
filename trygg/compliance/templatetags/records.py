"""Template helpers for the records sections on camera and site pages: signs and legacy IMY permits.

The camera and site apps do not import compliance; their pages include `compliance/_records_section.html`,
which loads these tags to find the signs and permits of the camera or site it is given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from trygg.cameras import schedule as schedules
from trygg.cameras.models import Camera
from trygg.compliance.engine.rules import SIGN_INSPECTION_MONTHS, add_months
from trygg.compliance.models import LegacyPermit, Sign
from trygg.compliance.recording_hours import describe
from trygg.core.models import Attachment
from trygg.sites.models import Site

register = template.Library()


@register.simple_tag
def signs_for(subject: Camera | Site) -> QuerySet[Sign]:
    """A camera's signs (its own and those for its whole site), or every sign of a site."""
    if isinstance(subject, Camera):
        signs = Sign.objects.filter(site_id=subject.site_id).filter(Q(camera__isnull=True) | Q(camera=subject))
    else:
        signs = Sign.objects.filter(site=subject)
    photos = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Sign), object_id=OuterRef("pk"), kind=Attachment.Kind.SIGN_PHOTO
    )
    # One query for the list, whatever the number of signs: photos are marked by a subquery.
    return (
        signs.select_related("camera")
        .annotate(has_photo_attachment=Exists(photos))
        .order_by(F("removed_on").desc(nulls_first=True), "camera__identifier", "pk")
    )


@register.simple_tag
def permits_for(subject: Camera | Site) -> QuerySet[LegacyPermit]:
    """The legacy IMY permits of a camera, or of any camera at a site."""
    if isinstance(subject, Camera):
        permits = LegacyPermit.objects.filter(cameras=subject)
    else:
        permits = LegacyPermit.objects.filter(cameras__site=subject).distinct()
    return permits.prefetch_related("cameras").order_by("decision_date", "pk")


@register.filter
def inspection_due(sign: Sign) -> dt.date | None:
    """The date the sign should next be inspected (Trygg's routine: every six months)."""
    last = sign.last_inspected_on or sign.installed_on
    return add_months(last, SIGN_INSPECTION_MONTHS) if last else None


@register.filter
def weekly_hours(rules: Any) -> str:
    """Stored weekly rules in plain Swedish, e.g. "måndag–fredag kl. 20–06"; "–" when there are none."""
    if not rules:
        return "–"
    try:
        schedule = schedules.parse_rules(rules)
    except (KeyError, TypeError, ValueError, AttributeError):
        return gettext("okända tider")
    return describe(schedule.weekly_minutes(), translate=gettext)
