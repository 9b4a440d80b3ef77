"""The change log: every create, change and delete of an audited model, with who, when, before, after.

Changes are caught with model signals, so admin, forms, the API and commands are all logged the
same way. Who made the change comes from an `AuditContext`: the middleware sets one per request,
commands enter `audit_context(...)`. A change outside any context is still logged, as "system".
Bulk querysets (`update`, `bulk_create`) skip signals and are therefore not used on audited models.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core import serializers
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from trygg.core import chain

# A closed vocabulary of named events, so the log reads as sentences (Wagtail's idea).
EVENTS: dict[str, Promise] = {
    "camera.transition": _("Kamerans livscykelstatus ändrades"),
    "camera.registered_existing": _("Kameran registrerades i efterhand med sin historik"),
    "demo.loaded": _("Demodata laddades"),
    "assessment.submitted": _("Bedömningen skickades för beslut"),
    "assessment.withdrawn": _("Bedömningen återkallades från beslut till utkast"),
    "assessment.advised": _("Dataskyddsombudet lämnade råd om bedömningen"),
    "assessment.approved": _("Bedömningen godkändes"),
    "assessment.rejected": _("Bedömningen avslogs"),
    "assessment.new_version": _("En ny version av bedömningen påbörjades"),
    "register.exported": _("Förteckningen över kamerabevakning exporterades"),
    "register.imy_request": _("Förteckningen över kamerabevakning lämnades till IMY på begäran"),
    "report.frozen": _("Tjänsteutlåtandet låstes som en ny version"),
    "report.reopened": _("Tjänsteutlåtandet öppnades för en ny version"),
    "incidents.imported": _("Händelser importerades från en fil"),
    "sign.inspected": _("Skylten inspekterades på plats"),
    "review.decided": _("Den årliga omprövningen av kameran beslutades"),
    "review.noted": _("Dataskyddsombudet noterade omprövningen"),
    "audit.verified": _("Ändringsloggens kedja kontrollerades"),
    "user.logged_in": _("Användaren loggade in"),
    "user.logged_out": _("Användaren loggade ut"),
    "user.login_failed": _("Misslyckad inloggning"),
    "user.locked_out": _("Inloggning spärrades efter för många misslyckade försök"),
    "user.password_changed": _("Lösenordet ändrades"),
    # Downloads of exact positions (secret, OSL 18 kap. 8 §) and of secret documents: one event per download.
    "download.cameras_csv": _("Kameralistan med exakta positioner laddades ner (kameror.csv)"),
    "download.map_data": _("Kartans data med kamerornas exakta positioner hämtades"),
    "download.site_map_data": _("Platsens kartdata med exakta positioner hämtades"),
    "download.coverage": _("Kamerans täckning och exakta position hämtades som GeoJSON"),
    "download.report_annex": _("Tjänsteutlåtandets sekretessbilaga med exakta placeringar laddades ner"),
    "download.attachment": _("En bilaga laddades ner"),
    "download.ogc_features": _("Geodata med exakta positioner hämtades genom OGC API – Features"),
}


@dataclass
class AuditContext:
    user: Any = None
    source: str = "system"
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    message: str = ""
    # The request's user is resolved late, after authentication middleware has run.
    user_getter: Callable[[], Any] | None = None

    def resolved_user(self) -> Any:
        if self.user is None and self.user_getter is not None:
            self.user = self.user_getter()
        if self.user is not None and not getattr(self.user, "is_authenticated", False):
            return None
        return self.user


_current: ContextVar[AuditContext | None] = ContextVar("trygg_audit_context", default=None)


@contextlib.contextmanager
def audit_context(user: Any = None, source: str = "command", message: str = "") -> Iterator[AuditContext]:
    """Attribute every change inside the block to `user` (or to the command, if None)."""
    context = AuditContext(user=user, source=source, message=message)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class AuditContextMiddleware:
    """Give each request its own audit context (user, request id, web or API source)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "admin" if request.path.startswith("/admin/") else "web"
        context = AuditContext(source=source, user_getter=lambda: getattr(request, "user", None))
        # The same id as in the log and on the 500 page (trygg.core.middleware.RequestIdMiddleware).
        context.request_id = getattr(request, "request_id", None) or context.request_id
        token = _current.set(context)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def current_context() -> AuditContext:
    return _current.get() or AuditContext()


# Models that cannot inherit AuditedModel (Django's users and groups) but are logged the same way,
# with the fields left out of the log: the password hash is never copied, the last login changes on
# every login (logins are their own events, see trygg.core.auth_audit).
EXTRA_AUDITED: dict[str, tuple[str, ...]] = {
    "auth.user": ("password", "last_login"),
    "auth.group": (),
}


# Operational models whose rows are not logged field by field but whose deletion is (with these fields
# left out): deleting an import run removes the record of where imported incidents came from.
DELETE_LOGGED: dict[str, tuple[str, ...]] = {
    "incidents.importrun": ("errors", "notices", "sample", "site_matches", "site_choices", "headers", "mapping"),
}


def _delete_logged(model: type[models.Model]) -> bool:
    return is_audited(model) or model._meta.label_lower in DELETE_LOGGED


def _extra_exclude(model: type[models.Model]) -> tuple[str, ...] | None:
    return EXTRA_AUDITED.get(model._meta.label_lower)


def is_audited(model: type[models.Model]) -> bool:
    from trygg.core.models import AuditedModel

    if _extra_exclude(model) is not None:
        return True
    return issubclass(model, AuditedModel) and not model._meta.abstract


def serialize(instance: models.Model) -> dict[str, Any]:
    """The instance's field values as JSON-ready data (foreign keys as ids, M2M as id lists)."""
    data = json.loads(serializers.serialize("json", [instance]))[0]["fields"]
    excluded = _extra_exclude(type(instance)) or DELETE_LOGGED.get(type(instance)._meta.label_lower, ())
    for name in (*getattr(instance, "audit_exclude", ()), *excluded):
        data.pop(name, None)
    return data


def _write(
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    event: str = "",
    message: str = "",
    user: Any = None,
) -> None:
    from django.contrib.contenttypes.models import ContentType

    from trygg.core.models import ObjectChange

    context = current_context()
    user = user if user is not None else context.resolved_user()
    related = instance.audit_related_object() if hasattr(instance, "audit_related_object") else None
    change = ObjectChange(
        user=user,
        user_name=user.get_username() if user is not None else context.source,
        request_id=context.request_id,
        source=context.source,
        action=action,
        event=event,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        changed_object_id=str(instance.pk) if instance.pk is not None else "",
        related_object_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_object_id=str(related.pk) if related is not None else "",
        object_repr=str(instance)[:200],
        message=message or context.message,
        prechange_data=_stored(before),
        postchange_data=_stored(after),
    )
    append(change)


def _stored(data: dict[str, Any] | None) -> Any:
    """`data` as the JSON field gives it back (tuples as lists, keys as strings), so the hash matches."""
    return None if data is None else json.loads(json.dumps(data))


def append(change: Any) -> None:
    """Save a new change-log entry as the chain's next link (see `trygg.core.chain`).

    The chain head row is locked first (`select_for_update`: on PostgreSQL a second writer waits
    until this transaction ends; SQLite writes one transaction at a time), so two entries never
    claim the same predecessor and ids follow the chain. The lock is held to the end of the
    surrounding transaction.
    """
    from trygg.core.models import ChainHead

    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _created = ChainHead.objects.get_or_create(pk=1)
        change.time = timezone.now()
        change.previous_hash = head.last_hash
        change.entry_hash = chain.entry_hash(change.chain_fields())
        change.save()
        head.last_entry_id = change.pk
        head.last_hash = change.entry_hash
        head.save(update_fields=["last_entry_id", "last_hash"])


def verify_chain(checked_by: str) -> Any:
    """Check the whole change log's hash chain, store and return the `AuditVerification`.

    Reads the entries in id order in chunks (memory stays flat); stops at the first broken link.
    The verification is itself logged as the named event "audit.verified".
    """
    from trygg.core.models import AuditVerification, ChainHead, ObjectChange

    rows = (
        ObjectChange.objects.order_by("pk").values("id", "entry_hash", *chain.HASHED_FIELDS).iterator(chunk_size=2000)
    )
    head = ChainHead.objects.filter(pk=1).first()
    result = chain.verify(rows, (head.last_entry_id, head.last_hash) if head is not None else None)
    broken = result.first_break
    verification = AuditVerification.objects.create(
        checked_by=checked_by[:150],
        entries=result.entries if broken is None else ObjectChange.objects.count(),
        ok=result.ok,
        broken_entry_id=broken.entry_id if broken else None,
        broken_entry_time=broken.time if broken else None,
        kind=broken.kind if broken else "",
        expected_hash=broken.expected if broken else "",
        found_hash=broken.found if broken else "",
    )
    record_event(
        verification,
        "audit.verified",
        {"entries": verification.entries, "ok": verification.ok, "broken_entry_id": verification.broken_entry_id},
    )
    return verification


def log_download(request: HttpRequest, event: str, subject: models.Model | None = None, **details: Any) -> None:
    """Log one download (a named `download.*` event): what, by whom, with which query, about `subject`.

    Without a subject (a whole list or map) the event is logged about the user who downloaded it, so
    it shows in that account's history. `details` must be JSON-ready (counts, ids, names).
    """
    user = getattr(request, "user", None)
    about = subject if subject is not None else user
    if about is None or about.pk is None:
        return  # nobody and nothing to name: only staff reach these downloads
    record_event(about, event, {"path": request.get_full_path()[:500], **details})


def record_event(
    instance: models.Model, event: str, data: dict[str, Any] | None = None, message: str = "", user: Any = None
) -> None:
    """Log a named event (see EVENTS) about `instance`, e.g. a camera put into operation.

    `instance` may be unsaved (a failed login for an unknown user name); `user` names who acted when the
    request's user is not (yet) the one (a login).
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown audit event {event!r}; register it in trygg.core.audit.EVENTS")
    _write(instance, "event", None, data or {}, event=event, message=message, user=user)


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not is_audited(sender):
        return
    previous = None
    if instance.pk is not None and not instance._state.adding:
        previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = serialize(previous) if previous is not None else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not is_audited(sender):
        return
    before = getattr(instance, "_audit_before", None)
    after = serialize(instance)
    if not created and before == after:
        return  # nothing changed that the log keeps
    _write(instance, "create" if created or before is None else "update", before, after)
    instance._audit_before = after  # type: ignore[attr-defined]


def _pre_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _delete_logged(sender):
        instance._audit_deleted = serialize(instance)  # type: ignore[attr-defined]


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _delete_logged(sender):
        _write(instance, "delete", getattr(instance, "_audit_deleted", None), None)


def _members(sender: Any, instance: models.Model, model: type[models.Model]) -> tuple[str, list[Any]] | None:
    """For a change made from the other side (group.user_set.add): the accessor and the member ids."""
    for m2m in model._meta.many_to_many:
        if m2m.remote_field.through is sender and m2m.related_model is type(instance):
            accessor = m2m.remote_field.get_accessor_name()
            return accessor, sorted(getattr(instance, accessor).values_list("pk", flat=True))
    return None


def _m2m_changed(sender: Any, instance: models.Model, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not is_audited(type(instance)):
        return
    if reverse:
        # Only users and groups are logged from the other side: group.user_set.add(user) is a role change.
        if _extra_exclude(type(instance)) is None:
            return
        members = _members(sender, instance, kwargs["model"])
        before = getattr(instance, "_audit_members_before", None)
        if members is None or before is None or before == members[1]:
            return
        _write(instance, "update", {members[0]: before}, {members[0]: members[1]})
        instance._audit_members_before = members[1]  # type: ignore[attr-defined]
        return
    after = serialize(instance)
    before = getattr(instance, "_audit_before", None)
    if before == after:
        return
    _write(instance, "update", before, after)
    instance._audit_before = after  # type: ignore[attr-defined]


def _m2m_pre(sender: Any, instance: models.Model, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"pre_add", "pre_remove", "pre_clear"} or not is_audited(type(instance)):
        return
    if not reverse:
        instance._audit_before = serialize(instance)  # type: ignore[attr-defined]
    elif _extra_exclude(type(instance)) is not None:
        members = _members(sender, instance, kwargs["model"])
        instance._audit_members_before = members[1] if members else None  # type: ignore[attr-defined]


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="trygg_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="trygg_audit_post_save")
    pre_delete.connect(_pre_delete, dispatch_uid="trygg_audit_pre_delete")
    post_delete.connect(_post_delete, dispatch_uid="trygg_audit_post_delete")
    m2m_changed.connect(_m2m_pre, dispatch_uid="trygg_audit_m2m_pre")
    m2m_changed.connect(_m2m_changed, dispatch_uid="trygg_audit_m2m_post")
