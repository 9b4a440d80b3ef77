"""How long the attachments of documents, cameras and signs are kept, and who sees them.

Registers the compliance documents with the attachment registry (`trygg.core.attachments`) and adds
the five-year rule of 9–10 §§ kamerabevakningslagen to them and to cameras: a signed decision, a
photo of a sign or the camera's own image is kept as long as the document or the surveillance it
documents, that is until five years after the camera was decommissioned. A never-decided draft's
attachments, and those of a camera that has never been in operation (nothing has been filmed), may be
deleted by those who may change the object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from trygg.cameras.choices import LifecycleState
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
    deletion_refusal,
)
from trygg.core import attachments, roles
from trygg.core.models import Attachment


def _filmed(cameras: Iterable[Camera]) -> list[Camera]:
    """The cameras that have been in operation at some time, i.e. whose surveillance must be documented."""
    cameras = list(cameras)
    filmed = set(
        CameraTransition.objects.filter(camera__in=cameras, to_state=LifecycleState.IN_OPERATION).values_list(
            "camera_id", flat=True
        )
    )
    return [camera for camera in cameras if camera.pk in filmed]


def document_attachments_kept(document: VersionedDocument, today: dt.date) -> str | None:
    """A decided (or submitted) version keeps its attachments as long as it is itself kept."""
    reason = document.deletion_refusal(today)
    if reason is None:
        return None
    return gettext("Bilagan sparas lika länge som handlingen den hör till. %(reason)s") % {"reason": reason}


def camera_attachments_kept(camera: Camera, today: dt.date) -> str | None:
    """A camera that has filmed keeps its attachments until five years after it was decommissioned."""
    return deletion_refusal(gettext("Kamerans bilagor"), _filmed([camera]), today)


def sign_attachments_kept(sign: Sign, today: dt.date) -> str | None:
    """A sign documents its camera's (or, for the whole site, the site's cameras') surveillance."""
    cameras = [sign.camera] if sign.camera_id else list(sign.site.cameras.all())
    return deletion_refusal(gettext("Skyltens bilagor"), _filmed(cameras), today)


def _first_url(*candidates: tuple[str, int]) -> str | None:
    for name, pk in candidates:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def register_attachments() -> None:
    """Called from ComplianceConfig.ready(): the documents and signs take attachments."""
    document_pages = {
        SurveillanceAssessment: ("intresseavvagning", "compliance:assessment_detail"),
        ImpactAssessment: ("konsekvensbedomning", "compliance:impact_assessment"),
        ChildRightsAssessment: ("barnrattsprovning", "compliance:child_rights_detail"),
    }
    for model, (slug, url_name) in document_pages.items():
        # The documents are read by those who see all sites (their pages and MODEL_PERMISSIONS).
        attachments.register(
            model,
            slug=slug,
            sees=roles.sees_all_sites,
            default_kind=Attachment.Kind.SIGNED_DECISION,
            detail_url=attachments.page(url_name, fallback=_document_fallback),
        )
        attachments.add_retention_rule(model, document_attachments_kept)
    attachments.register(
        Sign,
        slug="skylt",
        # The sign's page is open to the administration contact of its site (scoped), so are its photos.
        sees=roles.is_staff_role,
        default_kind=Attachment.Kind.SIGN_PHOTO,
        detail_url=lambda sign: _first_url(
            ("compliance:sign_detail", sign.pk),
            ("cameras:detail", sign.camera_id) if sign.camera_id else ("sites:detail", sign.site_id),
        ),
    )
    attachments.add_retention_rule(Sign, sign_attachments_kept)
    attachments.add_retention_rule(Camera, camera_attachments_kept)


def _document_fallback(document: VersionedDocument) -> str | None:
    """Until the document's own page exists: its camera's or site's page."""
    camera_id = getattr(document, "camera_id", None)
    if camera_id:
        return reverse("cameras:detail", args=[camera_id])
    site_id = getattr(document, "site_id", None)
    return reverse("sites:detail", args=[site_id]) if site_id else None
