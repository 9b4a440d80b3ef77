"""The three assessments as the pages see them: one registry of document kinds, and the queries over them.

Each kind (9 § assessment, DPIA, child-rights assessment) has its URL names, templates and the
related rows its lists need. The queries (latest version of each series, what waits for a decision,
what came back rejected) take a fixed number of queries whatever the number of documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.compliance.choices import DocumentStatus
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core import roles


@dataclass(frozen=True)
class DocumentKind:
    """One kind of versioned document and where its pages are."""

    slug: str
    model: type[VersionedDocument]
    label: Promise
    plural: Promise
    list_url: str
    create_url: str
    detail_url: str
    edit_url: str
    preview_url: str
    body_template: str
    related: tuple[str, ...]

    def url(self, name: str, document: VersionedDocument) -> str:
        return reverse(getattr(self, f"{name}_url"), args=[document.pk])

    def queryset(self, user: Any) -> QuerySet:
        """Every version the user may see, with what lists and pages show."""
        return roles.scope_queryset(user, self.model.objects.select_related(*self.related))


ASSESSMENT = DocumentKind(
    slug="intresseavvagningar",
    model=SurveillanceAssessment,
    label=_("Intresseavvägning (9 §)"),
    plural=_("Intresseavvägningar (9 §)"),
    list_url="compliance:assessment_list",
    create_url="compliance:assessment_create",
    detail_url="compliance:assessment_detail",
    edit_url="compliance:assessment_edit",
    preview_url="compliance:assessment_preview",
    body_template="compliance/documents/_assessment_body.html",
    related=("camera", "camera__site", "template", "submitted_by", "approver", "rejected_by", "author"),
)
IMPACT_ASSESSMENT = DocumentKind(
    slug="konsekvensbedomningar",
    model=ImpactAssessment,
    label=_("Konsekvensbedömning (art. 35)"),
    plural=_("Konsekvensbedömningar (art. 35)"),
    list_url="compliance:impact_assessment_list",
    create_url="compliance:impact_assessment_create",
    detail_url="compliance:impact_assessment",
    edit_url="compliance:impact_assessment_edit",
    preview_url="compliance:impact_assessment_preview",
    body_template="compliance/documents/_impact_assessment_body.html",
    related=("site", "submitted_by", "approver", "rejected_by", "author"),
)
CHILD_RIGHTS = DocumentKind(
    slug="barnrattsprovningar",
    model=ChildRightsAssessment,
    label=_("Barnrättsprövning"),
    plural=_("Barnrättsprövningar"),
    list_url="compliance:child_rights_list",
    create_url="compliance:child_rights_create",
    detail_url="compliance:child_rights_detail",
    edit_url="compliance:child_rights_edit",
    preview_url="compliance:child_rights_preview",
    body_template="compliance/documents/_child_rights_body.html",
    related=("site", "submitted_by", "approver", "rejected_by", "author"),
)
KINDS: dict[str, DocumentKind] = {kind.slug: kind for kind in (ASSESSMENT, IMPACT_ASSESSMENT, CHILD_RIGHTS)}


def kind_of(document: VersionedDocument) -> DocumentKind:
    """The kind of `document`; KeyError for a model that is not one of the three assessments."""
    for kind in KINDS.values():
        if isinstance(document, kind.model):
            return kind
    raise KeyError(type(document).__name__)


def site_of(document: VersionedDocument) -> Any:
    """The site the document concerns (None for a shared 9 § template)."""
    if isinstance(document, SurveillanceAssessment):
        return document.camera.site if document.camera_id else None
    return document.site


def subject(document: VersionedDocument) -> str:
    """What the document is about, as a list or queue shows it: camera and site, or site."""
    if isinstance(document, SurveillanceAssessment):
        if document.is_template:
            return gettext("Gemensam mall: %(title)s") % {"title": document.title or "–"}
        return gettext("%(camera)s, %(site)s") % {
            "camera": document.camera.identifier,
            "site": document.camera.site.name,
        }
    return document.site.name


def latest_versions(queryset: QuerySet) -> QuerySet:
    """Only the newest version of each series in `queryset` (one query, no matter how many series)."""
    newer = queryset.model.objects.filter(series=OuterRef("series"), version__gt=OuterRef("version"))
    return queryset.filter(~Exists(newer))


def versions_of(document: VersionedDocument) -> list[VersionedDocument]:
    """Every version of the document's series, newest first, with who wrote, submitted and decided it."""
    return list(
        type(document)
        .objects.filter(series=document.series)
        .select_related("author", "submitted_by", "approver", "rejected_by", "dpo_advice_by")
        .order_by("-version")
    )


def open_version(document: VersionedDocument) -> VersionedDocument | None:
    """The version of the series that is under work or waiting for a decision, if any."""
    return (
        type(document)
        .objects.filter(series=document.series, status__in=[DocumentStatus.DRAFT, DocumentStatus.SUBMITTED])
        .first()
    )


@dataclass
class QueueItem:
    """One document in a queue or overview, with the URLs its row links to."""

    document: VersionedDocument
    kind: DocumentKind
    subject: str
    detail_url: str
    decision_url: str


def _items(documents: Iterable[VersionedDocument], kind: DocumentKind) -> list[QueueItem]:
    return [
        QueueItem(
            document=document,
            kind=kind,
            subject=subject(document),
            detail_url=kind.url("detail", document),
            decision_url=reverse("compliance:decision", args=[kind.slug, document.pk]),
        )
        for document in documents
    ]


def waiting_for_decision(user: Any) -> list[QueueItem]:
    """Every version submitted for decision, oldest first (three queries)."""
    items: list[QueueItem] = []
    for kind in KINDS.values():
        items += _items(kind.queryset(user).filter(status=DocumentStatus.SUBMITTED), kind)
    return sorted(items, key=lambda item: (item.document.submitted_at is None, item.document.submitted_at))


def returned_rejected(user: Any) -> list[QueueItem]:
    """Series whose newest version was rejected: the officer's work to take up again (three queries)."""
    items: list[QueueItem] = []
    for kind in KINDS.values():
        items += _items(latest_versions(kind.queryset(user)).filter(status=DocumentStatus.REJECTED), kind)
    return sorted(items, key=lambda item: item.document.rejected_on or item.document.updated_at.date(), reverse=True)


RECENT_DECISIONS = 10


def recently_decided(user: Any) -> list[QueueItem]:
    """The latest decisions (approved or rejected), newest first (three queries)."""
    items: list[QueueItem] = []
    decided = [DocumentStatus.APPROVED, DocumentStatus.REJECTED, DocumentStatus.SUPERSEDED]
    for kind in KINDS.values():
        rows = kind.queryset(user).filter(status__in=decided).exclude(submitted_at=None).order_by("-updated_at")
        items += _items(rows[:RECENT_DECISIONS], kind)
    items.sort(key=lambda item: item.document.decided_on or item.document.updated_at.date(), reverse=True)
    return items[:RECENT_DECISIONS]
