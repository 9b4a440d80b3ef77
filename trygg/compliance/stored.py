"""Each camera's checklist result, stored and kept in step with the facts it reads (issue 15).

Lists over many cameras (the start page's findings, all checklists as JSON, the 10 § register) read
`StoredChecklist` rows instead of building every camera's facts per request. A row holds the result
as of the day it was computed (`computed_on`) and is recomputed, the way coverage is
(`trygg.cameras.coverage`), whenever a fact the checklist reads is saved or deleted:

- the camera itself, its life-cycle rows (`CameraTransition`) and its privacy masks and their images;
- its coverage (zones and buildings of the site, through `trygg.cameras.hooks.coverage_recomputed`);
- its site (name, address and kind are in the register line and the rules);
- the 9 § assessments of the camera (and the incidents and measures they rely on), the DPIAs and legacy
  IMY permits that name it, the child rights assessments and signs of its site;
- the organisation (controller board, DPO, intrusion tolerance): every camera;
- the camera's yearly reviews (`trygg.evaluation`), which move the review's due date.

Checks with dates turn by themselves (a sign inspection falls due, a permit expires), so
`trygg recompute_checklists` recomputes every camera and is meant to run each night; each page says
the date the results were computed. A checklist as of another date is computed on demand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone

from trygg.cameras import hooks
from trygg.cameras.coverage import NOT_GEOMETRY
from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera, CameraTransition, PrivacyMask
from trygg.compliance.engine import RegisterEntry, Severity
from trygg.compliance.facts import CameraCompliance, cameras_for_compliance, compliance_for_many
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    LegacyPermit,
    Sign,
    StoredChecklist,
    SurveillanceAssessment,
)

CHUNK = 500

_deferred: ContextVar[set[int] | None] = ContextVar("trygg_checklists_deferred", default=None)


#
# Computing
#


def row_for(item: CameraCompliance, computed_at: dt.datetime | None = None) -> StoredChecklist:
    """The stored result of one camera's compliance (`trygg.compliance.facts.compliance_for_many`).

    Messages are stored untranslated (title, message template and parameters) and translated when
    shown, so the stored result reads in each user's language.
    """
    from trygg.compliance.registers import register_line

    checks = item.checklist()
    failing = [c for c in checks if not c.passed]
    shown = [c for c in failing if c.severity is not Severity.INFO]
    first = sorted(shown, key=lambda c: c.severity is not Severity.BLOCKER)[0] if shown else None
    line = register_line(item)
    register = None
    if line is not None:
        status, entry = line
        register = {
            "status": status,
            "address": entry.address,
            "place_type": entry.place_type,
            "purpose": entry.purpose,
            "special_technology": list(entry.special_technology),
            "latest_assessment_on": entry.latest_assessment_on.isoformat() if entry.latest_assessment_on else None,
            "ended_on": item.lifecycle.ended_on.isoformat() if item.lifecycle.ended_on else None,
        }
    return StoredChecklist(
        camera_id=item.camera.pk,
        computed_on=item.on_date,
        computed_at=computed_at or timezone.now(),
        state=item.lifecycle.state or "",
        activation_allowed=all(c.passed for c in checks if c.severity is Severity.BLOCKER),
        assessment_stale=bool(item.increases),
        blockers=[c.code for c in failing if c.severity is Severity.BLOCKER],
        warnings=[c.code for c in failing if c.severity is not Severity.BLOCKER],
        finding=(
            {
                "code": first.code,
                "severity": str(first.severity),
                "title": first.title,
                "message_template": first.message_template,
                "params": dict(first.params),
            }
            if first
            else None
        ),
        finding_severity=str(first.severity) if first else "",
        register=register,
        review_due_on=item.facts.review_due_on,
        identifier=item.camera.identifier,
        administration_id=item.camera.site.administration_id,
        finding_order=finding_order(first.severity if first else None, item.lifecycle.state or ""),
    )


def finding_order(severity: Severity | None, state: str) -> int | None:
    """A finding's place on the start page: blockers before warnings, cameras in operation first in each.

    0 a blocker on a camera in operation, 1 a blocker on another camera, 2 and 3 the same for a warning;
    None for no finding (or a note only) and for a decommissioned camera, which the start page leaves out.
    """
    if severity not in (Severity.BLOCKER, Severity.WARNING) or state == State.DECOMMISSIONED.value:
        return None
    return (0 if severity is Severity.BLOCKER else 2) + (0 if state == State.IN_OPERATION.value else 1)


def recompute(camera_ids: Iterable[int], on_date: dt.date | None = None) -> int:
    """Compute and store the checklist of the cameras `camera_ids` as of `on_date` (today); return how many.

    Inside `deferred()` the ids are only noted and computed once when the block ends. Queries per
    chunk of `CHUNK` cameras are fixed (`compliance_for_many`).
    """
    ids = sorted(set(camera_ids))
    pending = _deferred.get()
    if pending is not None:
        pending.update(ids)
        return 0
    on_date = on_date or timezone.localdate()
    now = timezone.now()
    done = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        cameras = cameras_for_compliance(Camera.objects.filter(pk__in=part))
        rows = [row_for(item, now) for item in compliance_for_many(cameras, on_date)]
        with transaction.atomic():
            StoredChecklist.objects.filter(camera_id__in=part).delete()
            StoredChecklist.objects.bulk_create(rows)
        done += len(rows)
    return done


def recompute_all(on_date: dt.date | None = None) -> int:
    """Recompute every camera's stored checklist (`trygg recompute_checklists`); return how many."""
    return recompute(Camera.objects.values_list("pk", flat=True), on_date)


def recompute_missing() -> int:
    """Compute the checklists of cameras that have none stored (created without signals); return how many.

    Every stored row belongs to a distinct camera, so equal counts mean none is missing: two counts that
    the database answers from its indexes (one query), instead of a join over every camera on each read.
    """
    cameras, stored_rows = (connection.ops.quote_name(m._meta.db_table) for m in (Camera, StoredChecklist))
    with connection.cursor() as cursor:
        # Only the two models' own table names are put into the SQL.
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {cameras}) - (SELECT COUNT(*) FROM {stored_rows})")  # noqa: S608
        if not cursor.fetchone()[0]:
            return 0
    return recompute(Camera.objects.filter(stored_checklist__isnull=True).values_list("pk", flat=True))


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Inside the block, fact changes only note the cameras; their checklists are computed once at the end."""
    if _deferred.get() is not None:
        yield
        return
    ids: set[int] = set()
    token = _deferred.set(ids)
    try:
        yield
    finally:
        _deferred.reset(token)
    if ids:
        recompute(ids)


#
# Reading
#


def stored_for(cameras: QuerySet[Camera]) -> QuerySet[StoredChecklist]:
    """The stored checklists of `cameras` (a queryset, scoped by the caller); missing ones computed first.

    An unfiltered `cameras` (a user who sees every camera) reads the table directly, without a
    subquery of every camera's id.
    """
    recompute_missing()
    if not cameras.query.has_filters():
        return StoredChecklist.objects.all()
    return StoredChecklist.objects.filter(camera__in=cameras)


def stored_in_scope(user: Any) -> QuerySet[StoredChecklist]:
    """The stored checklists of the cameras `user` may see (`roles.scope_queryset`); missing ones computed first.

    Everything for whoever sees everything; an administration contact's rows by their stored
    administration, read from the indexes that lead with it, so the contact's findings, reviews and counts
    do not walk every one of their cameras; nothing for anyone else.
    """
    from trygg.core import roles

    recompute_missing()
    if roles.sees_everything(user):
        return StoredChecklist.objects.all()
    if roles.Role.ADMINISTRATION_CONTACT in roles.roles_of(user):
        return StoredChecklist.objects.filter(administration_id__in=roles.administration_ids(user))
    return StoredChecklist.objects.none()


def oldest_computed_on(rows: QuerySet[StoredChecklist]) -> dt.date | None:
    """The earliest date among `rows`' results (None without rows): what a page says they are as of."""
    return rows.aggregate(oldest=Min("computed_on"))["oldest"]


# What a list of findings or reviews never reads: the whole checklist, the register line and the
# camera's and site's geometry (JSON decoded per row).
LIST_DEFERRED = (
    "blockers",
    "warnings",
    "register",
    *(f"camera__{name}" for name in Camera.GEOMETRY_FIELDS),
    "camera__site__outline",
)


def findings(rows: QuerySet[StoredChecklist]) -> QuerySet[StoredChecklist]:
    """Of the stored checklists `rows` (`stored_in_scope`, `stored_for`), the cameras not decommissioned with a
    failing blocker or warning, in the start page's order.

    Blockers on cameras already running first, then blockers, then warnings (running cameras first
    again), each by identifier: the stored `finding_order` and `identifier`, read from their index.
    """
    return (
        rows.filter(finding_order__isnull=False)
        .select_related("camera__site")
        .defer(*LIST_DEFERRED)
        .order_by("finding_order", "identifier")
    )


def due_reviews(rows: QuerySet[StoredChecklist], on_date: dt.date, within_days: int) -> QuerySet[StoredChecklist]:
    """Of the stored checklists `rows` (`stored_in_scope`, `stored_for`), the cameras in operation or paused
    whose stored review due date is at most `within_days` after `on_date`.

    Most urgent first (due date, then identifier), with camera and site loaded: the start page's
    "Omprövningar att göra" (`trygg.evaluation.review_services.due_reviews` computes the same from the
    life cycles, for any date).
    """
    return (
        rows.filter(
            state__in=(State.IN_OPERATION.value, State.PAUSED.value),
            review_due_on__lte=on_date + dt.timedelta(days=within_days),
        )
        .select_related("camera__site")
        .defer(*LIST_DEFERRED)
        .order_by("review_due_on", "identifier")
    )


def register_queryset() -> QuerySet[StoredChecklist]:
    """(camera identifier, stored line) of every stored register line, by identifier (`register_line_of` reads one)."""
    return (
        stored_for(Camera.objects.all())
        .exclude(register=None)
        .order_by("camera__identifier")
        .values_list("camera__identifier", "register")
    )


def register_line_of(identifier: str, line: dict[str, Any]) -> tuple[str, str, RegisterEntry, dt.date | None]:
    """(camera identifier, status code, untranslated entry, ended on) of one stored register line."""
    entry = RegisterEntry(
        address=line["address"],
        place_type=line["place_type"],
        purpose=line["purpose"],
        special_technology=tuple(line["special_technology"]),
        latest_assessment_on=dt.date.fromisoformat(line["latest_assessment_on"])
        if line["latest_assessment_on"]
        else None,
    )
    ended_on = dt.date.fromisoformat(line["ended_on"]) if line["ended_on"] else None
    return identifier, line["status"], entry, ended_on


def register_lines(chunk_size: int = CHUNK) -> Iterator[tuple[str, str, RegisterEntry, dt.date | None]]:
    """Every stored register line (see `register_line_of`), read from the database `chunk_size` at a time."""
    for identifier, line in register_queryset().iterator(chunk_size=chunk_size):
        yield register_line_of(identifier, line)


#
# Keeping the stored results in step
#


def _cameras_of_sites(site_ids: Iterable[int]) -> list[int]:
    return list(Camera.objects.filter(site_id__in=set(site_ids)).values_list("pk", flat=True))


def _camera_saved(sender: Any, instance: Camera, raw: bool = False, update_fields: Any = None, **kw: Any) -> None:
    # A move saves the state after its transition row (whose own signal recomputes), and coverage saves
    # computed fields (its hook recomputes): no fact of the checklist changes with those alone.
    if raw or (update_fields and set(update_fields) <= NOT_GEOMETRY):
        return
    recompute([instance.pk])


def _camera_part_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    """A transition, privacy mask or 9 § assessment: its camera."""
    if raw or instance.camera_id is None:
        return
    if Camera.objects.filter(pk=instance.camera_id).exists():  # not while the camera itself is deleted
        recompute([instance.camera_id])


def _site_part_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    """A site, sign or child rights assessment: every camera at the site."""
    if not raw:
        recompute(_cameras_of_sites([instance.pk if sender.__name__ == "Site" else instance.site_id]))


def _named_cameras(instance: Any) -> set[int]:
    return set(instance.cameras.values_list("pk", flat=True))


def _named_cameras_before_delete(sender: Any, instance: Any, **kw: Any) -> None:
    instance._checklist_cameras = _named_cameras(instance)


def _named_cameras_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    """A DPIA or legacy permit: the cameras it names (and, for a DPIA, its site's)."""
    if raw or instance.pk is None:
        return
    ids = getattr(instance, "_checklist_cameras", None)
    ids = set(ids) if ids is not None else _named_cameras(instance)
    if isinstance(instance, ImpactAssessment):
        ids.update(_cameras_of_sites([instance.site_id]))
    recompute(ids)


def _m2m_changed(sender: Any, instance: Any, action: str, pk_set: Any = None, **kw: Any) -> None:
    if not action.startswith("post_"):
        return
    if isinstance(instance, Camera):  # the reverse side: a camera added to a DPIA or permit
        recompute([instance.pk])
    elif isinstance(instance, SurveillanceAssessment):
        _camera_part_changed(type(instance), instance)
    else:
        _named_cameras_changed(type(instance), instance)


def _assessment_template_or_source(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    """An assessment that others build on (a template), a measure or an incident an assessment relies on."""
    if raw or instance.pk is None:
        return
    if isinstance(instance, SurveillanceAssessment):
        ids = set(instance.addenda.exclude(camera=None).values_list("camera_id", flat=True))
        if instance.camera_id is not None:
            ids.add(instance.camera_id)
    else:
        ids = set(
            SurveillanceAssessment.objects.filter(
                **{"alternatives" if sender.__name__ == "Measure" else "incidents": instance}
            )
            .exclude(camera=None)
            .values_list("camera_id", flat=True)
        )
    recompute(ids)


def _coverage_recomputed(camera_ids: list[int]) -> None:
    recompute(camera_ids)


def _attachment_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    """A privacy mask's image counts in the mask check."""
    if raw or instance.content_type.model_class() is not PrivacyMask:
        return
    camera_id = PrivacyMask.objects.filter(pk=instance.object_id).values_list("camera_id", flat=True).first()
    if camera_id is not None:
        recompute([camera_id])


def _organisation_changed(sender: Any, instance: Any, raw: bool = False, **kw: Any) -> None:
    if not raw:
        recompute_all()


def connect_signals() -> None:
    """Hook every fact the checklist reads (see the module docstring)."""
    from trygg.core.models import Attachment, Organisation
    from trygg.incidents.models import Incident
    from trygg.sites.models import Measure, Site

    def both(handler: Any, model: Any, name: str) -> None:
        post_save.connect(handler, sender=model, dispatch_uid=f"trygg_checklist_{name}_save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"trygg_checklist_{name}_delete")

    from trygg.evaluation.review_models import CameraReview

    post_save.connect(_camera_saved, sender=Camera, dispatch_uid="trygg_checklist_camera")
    for model in (CameraTransition, PrivacyMask, CameraReview):
        both(_camera_part_changed, model, model.__name__)
    # A 9 § assessment: its own camera, and the cameras of assessments built on it (a template).
    both(_assessment_template_or_source, SurveillanceAssessment, "SurveillanceAssessment")
    for model in (Measure, Incident):
        post_save.connect(
            _assessment_template_or_source, sender=model, dispatch_uid=f"trygg_checklist_{model.__name__}_save"
        )
    post_save.connect(_site_part_changed, sender=Site, dispatch_uid="trygg_checklist_Site_save")
    for model in (Sign, ChildRightsAssessment):
        both(_site_part_changed, model, model.__name__)
    for model in (ImpactAssessment, LegacyPermit):
        both(_named_cameras_changed, model, model.__name__)
        pre_delete.connect(
            _named_cameras_before_delete, sender=model, dispatch_uid=f"trygg_checklist_{model.__name__}_pre_delete"
        )
        m2m_changed.connect(
            _m2m_changed, sender=model.cameras.through, dispatch_uid=f"trygg_checklist_{model.__name__}_cameras"
        )
    for through in (SurveillanceAssessment.incidents.through, SurveillanceAssessment.alternatives.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"trygg_checklist_{through.__name__}")
    both(_attachment_changed, Attachment, "Attachment")
    post_save.connect(_organisation_changed, sender=Organisation, dispatch_uid="trygg_checklist_Organisation")
    if _coverage_recomputed not in hooks.coverage_recomputed:
        hooks.coverage_recomputed.append(_coverage_recomputed)
