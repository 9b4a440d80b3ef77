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


@register.simple_tag(takes_context=True)
def documents_for(context: template.Context, subject: Camera | Site) -> list[dict[str, Any]]:
    """The assessments that concern a camera or a site, newest version of each series first, in three queries.

    A camera: its 9 § assessments, the DPIAs that include it and its site's child-rights assessments; a
    document made for another site than the camera's now has that site's name in `other_site` (it does not
    cover the camera, `trygg.compliance.facts.document_site_id`). A site: the 9 § assessments of its cameras,
    its DPIAs and child-rights assessments. Empty for a user who may not open the assessment pages (they are
    for those who see all sites).
    """
    from trygg.compliance.documents import ASSESSMENT, CHILD_RIGHTS, IMPACT_ASSESSMENT
    from trygg.compliance.facts import document_site_id
    from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, SurveillanceAssessment
    from trygg.core import roles

    request = context.get("request")
    if request is None or not roles.sees_all_sites(request.user):
        return []
    if isinstance(subject, Camera):
        site_id = subject.site_id
        assessments = SurveillanceAssessment.objects.filter(camera=subject)
        dpias = ImpactAssessment.objects.filter(cameras=subject).select_related("site")
    else:
        site_id = subject.pk
        assessments = SurveillanceAssessment.objects.filter(camera__site=subject)
        dpias = ImpactAssessment.objects.filter(site=subject)
    found = [
        (ASSESSMENT, assessments.select_related("camera")),
        (IMPACT_ASSESSMENT, dpias),
        (CHILD_RIGHTS, ChildRightsAssessment.objects.filter(site_id=site_id)),
    ]
    rows = []
    for kind, queryset in found:
        newest: dict[Any, Any] = {}
        for document in queryset.order_by("series", "-version"):
            newest.setdefault(document.series, document)
        for document in newest.values():
            made_for = document_site_id(document) if isinstance(subject, Camera) else None
            rows.append(
                {
                    "kind": kind.label,
                    "document": document,
                    "url": kind.url("detail", document),
                    "other_site": made_for if made_for not in (None, site_id) else None,
                }
            )
    elsewhere = {row["other_site"] for row in rows if row["other_site"] is not None}
    if elsewhere:
        names = dict(Site.objects.filter(pk__in=elsewhere).values_list("pk", "name"))
        for row in rows:
            if row["other_site"] is not None:
                row["other_site"] = names.get(row["other_site"], "?")
    return rows
