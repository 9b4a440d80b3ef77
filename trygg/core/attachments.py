"""Attachments (`Attachment`, bilagor): checks of type and size, one way to save, and who may see what.

Every page that takes a file (a signed decision, a photo of a sign, an image from the camera for a
privacy mask) goes through `validate_upload` and `store_attachment`, so the limits and the Swedish
messages are the same everywhere. The type is read from the file's first bytes, not trusted from
its name: a renamed program is not accepted as a photo.

Which objects take attachments, who may see and add them and how long they are kept is decided
by one registry: each domain app registers its models from its `AppConfig.ready()` with
`register(...)` (core never imports a domain app), and an app that knows a retention rule adds it
with `add_retention_rule(...)`. The pages under /bilagor/ and the `{% attachment_panel obj %}`
tag ask only this registry. Files live under MEDIA_ROOT and are served only by the download view.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_delete
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from trygg.core import roles
from trygg.core.access import allows
from trygg.core.models import Attachment

logger = logging.getLogger("trygg.attachments")


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: its media type, the name endings it may have and how it starts."""

    media_type: str
    suffixes: tuple[str, ...]
    signatures: tuple[bytes, ...]
    is_image: bool = False


# Signatures: PDF "%PDF-", PNG, JPEG SOI, WebP (RIFF....WEBP is checked below), ZIP for Office Open XML.
FILE_TYPES: tuple[FileType, ...] = (
    FileType("application/pdf", (".pdf",), (b"%PDF-",)),
    FileType("image/png", (".png",), (b"\x89PNG\r\n\x1a\n",), is_image=True),
    FileType("image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",), is_image=True),
    FileType("image/webp", (".webp",), (b"RIFF",), is_image=True),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), (b"PK\x03\x04",)),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), (b"PK\x03\x04",)),
)


def max_upload_bytes() -> int:
    """The largest accepted file in bytes (`TRYGG_ATTACHMENT_MAX_MB`, 20 MB by default)."""
    return int(float(getattr(settings, "TRYGG_ATTACHMENT_MAX_MB", 20)) * 1024 * 1024)


def limit_text() -> str:
    """The size limit as people read it, in the active language: "20 MB", "0,5 MB"."""
    megabytes = float(getattr(settings, "TRYGG_ATTACHMENT_MAX_MB", 20))
    return f"{number_format(Decimal(f'{megabytes:g}'))} MB"


def accepted_suffixes(images_only: bool = False) -> list[str]:
    """Name endings accepted, e.g. for an `accept` attribute: ['.pdf', '.png', …]."""
    return [suffix for t in FILE_TYPES if t.is_image or not images_only for suffix in t.suffixes]


def validate_upload(upload: UploadedFile, images_only: bool = False, field: str | None = None) -> FileType:
    """The file's type if it may be stored; else ValidationError with a Swedish message.

    Checks, in order: the file is not empty, not larger than `max_upload_bytes()`, its name ends
    in an accepted suffix and its first bytes match that type. With `images_only` only photos
    (PNG, JPEG, WebP) pass. `field` names the form field in the message.
    """
    label = field or gettext("fil")
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(gettext("Filen i fältet ”%(field)s” är tom.") % {"field": label})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            gettext("Filen i fältet ”%(field)s” är %(size)s MB; den största tillåtna är %(limit)s.")
            % {"field": label, "size": number_format(size / 1048576, 1), "limit": limit_text()}
        )
    suffix = PurePath(name).suffix.lower()
    candidates = [t for t in FILE_TYPES if suffix in t.suffixes and (t.is_image or not images_only)]
    allowed = ", ".join(accepted_suffixes(images_only))
    if not candidates:
        raise ValidationError(
            gettext("Filen ”%(name)s” i fältet ”%(field)s” har en filtyp som inte tas emot. Tillåtna: %(allowed)s.")
            % {"name": name, "field": label, "allowed": allowed}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    file_type = candidates[0]
    matches = any(head.startswith(signature) for signature in file_type.signatures)
    if file_type.media_type == "image/webp":
        matches = matches and head[8:12] == b"WEBP"
    if not matches:
        raise ValidationError(
            gettext("Filen ”%(name)s” i fältet ”%(field)s” är inte en riktig %(suffix)s-fil.")
            % {"name": name, "field": label, "suffix": suffix.lstrip(".").upper()}
        )
    return file_type


def store_attachment(
    obj: models.Model,
    upload: UploadedFile,
    kind: str = Attachment.Kind.OTHER,
    user: Any = None,
    description: str = "",
    images_only: bool = False,
) -> Attachment:
    """Validate `upload` and save it as an attachment of `obj` (a saved model instance).

    Raises ValidationError (Swedish) when the file may not be stored; nothing is saved then.
    """
    if obj.pk is None:
        raise ValueError("store_attachment needs a saved object")
    file_type = validate_upload(upload, images_only=images_only)
    signed_in = user if getattr(user, "is_authenticated", False) else None
    name = PurePath(upload.name or "fil").name[:255]
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        original_name=name,
        media_type=file_type.media_type,
        size_bytes=upload.size or 0,
        description=description.strip(),
        uploaded_by=signed_in,
        uploaded_by_name=(signed_in.get_full_name() or signed_in.get_username()) if signed_in else "",
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except BaseException:
        # The row was not written: leave no file behind that nothing points to.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachments_of(obj: models.Model) -> models.QuerySet[Attachment]:
    """The attachments of `obj`, newest first."""
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).order_by(
        "-created_at", "-pk"
    )


# Kinds that are photos: only PNG, JPEG or WebP are accepted for them.
PHOTO_KINDS = frozenset({Attachment.Kind.SIGN_PHOTO, Attachment.Kind.CAMERA_IMAGE})


#
# The registry: which models take attachments, who may see and add them, how long they are kept
#

AccessRule = Callable[[Any], bool]
# (the object, today) -> a Swedish reason why its attachments must still be kept, or None.
RetentionRule = Callable[[Any, dt.date], str | None]
DetailUrl = Callable[[Any], str | None]


@dataclass
class AttachmentOwner:
    """A model whose objects take attachments, with the rules that decide who may see and add them.

    `sees` and `adds` are role rules (predicates of `trygg.core.roles`); which objects a user may
    see is then narrowed by `roles.scope_queryset` (administration contacts see only their own
    administration's objects). `shows_position`: the objects reveal exact camera positions, so a
    user without a staff role (a reader) never sees their attachments, whatever `sees` says.
    """

    model: type[models.Model]
    slug: str
    sees: AccessRule
    adds: AccessRule
    default_kind: str = Attachment.Kind.OTHER
    detail_url: DetailUrl | None = None
    shows_position: bool = True
    retention: list[RetentionRule] = field(default_factory=list)

    def url_of(self, obj: models.Model) -> str | None:
        """The page of `obj`, where its attachment panel is (None if it has no page yet)."""
        return self.detail_url(obj) if self.detail_url else None


_OWNERS: dict[type[models.Model], AttachmentOwner] = {}
_RETENTION: dict[type[models.Model], list[RetentionRule]] = {}


def register(
    model: type[models.Model],
    *,
    slug: str,
    sees: AccessRule,
    adds: AccessRule = roles.edits_register,
    default_kind: str = Attachment.Kind.OTHER,
    detail_url: DetailUrl | None = None,
    shows_position: bool = True,
) -> AttachmentOwner:
    """Let objects of `model` take attachments; call from the owning app's `AppConfig.ready()`.

    `slug` names the model in URLs (/bilagor/<slug>/<pk>/ny/), e.g. "kamera". Registering the same
    model again replaces the entry (ready() may run more than once in tests). Deleting an object
    of `model` deletes its attachments and their files (see `_delete_attachments_of`).
    """
    taken = {owner.slug: owner.model for owner in _OWNERS.values()}
    if taken.get(slug, model) is not model:
        raise ImproperlyConfigured(f"Attachment slug {slug!r} is already used by {taken[slug].__name__}")
    owner = AttachmentOwner(
        model=model,
        slug=slug,
        sees=sees,
        adds=adds,
        default_kind=default_kind,
        detail_url=detail_url,
        shows_position=shows_position,
        retention=_RETENTION.setdefault(model, []),
    )
    _OWNERS[model] = owner
    pre_delete.connect(_delete_attachments_of, sender=model, dispatch_uid=f"trygg_attachments_{model._meta.label}")
    return owner


def add_retention_rule(model: type[models.Model], rule: RetentionRule) -> None:
    """Keep the attachments of `model`'s objects while `rule(obj, today)` gives a reason (Swedish).

    Lets the app that knows a retention rule (compliance: five years after the camera stopped,
    9–10 §§ kamerabevakningslagen) apply it to models of other apps without core importing it.
    """
    rules = _RETENTION.setdefault(model, [])
    if rule not in rules:
        rules.append(rule)


def page(url_name: str, fallback: DetailUrl | None = None) -> DetailUrl:
    """A `detail_url` for `register`: the URL `url_name` with the object's pk, if that URL exists.

    Pages built on other branches may not exist yet; then `fallback(obj)` (or None) is used.
    """

    def url(obj: models.Model) -> str | None:
        try:
            return reverse(url_name, args=[obj.pk])
        except NoReverseMatch:
            return fallback(obj) if fallback else None

    return url


def owners() -> list[AttachmentOwner]:
    """Every registered model, in the order registered."""
    return list(_OWNERS.values())


def owner_for(model_or_obj: type[models.Model] | models.Model) -> AttachmentOwner | None:
    """The registry entry of a model (or of an object's model), or None if it takes no attachments."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return _OWNERS.get(model._meta.concrete_model) or _OWNERS.get(model)


def owner_by_slug(slug: str) -> AttachmentOwner | None:
    return next((owner for owner in _OWNERS.values() if owner.slug == slug), None)


def sees_kind(user: Any, owner: AttachmentOwner) -> bool:
    """Whether the user's roles let them see attachments of such objects at all."""
    if owner.shows_position and not roles.is_staff_role.test(user):
        return False
    return allows(owner.sees, user)


def adds_kind(user: Any, owner: AttachmentOwner) -> bool:
    """Whether the user's roles let them add (and delete) attachments of such objects."""
    return sees_kind(user, owner) and allows(owner.adds, user)


def visible_objects(user: Any, owner: AttachmentOwner) -> models.QuerySet:
    """The objects of `owner.model` whose attachments `user` may see (scoped per administration)."""
    queryset = owner.model._default_manager.all()
    if not sees_kind(user, owner):
        return queryset.none()
    return roles.scope_queryset(user, queryset)


def may_see(user: Any, obj: models.Model) -> bool:
    """Whether `user` may see the attachments of `obj` (one query for an administration contact)."""
    owner = owner_for(obj)
    if owner is None or not sees_kind(user, owner):
        return False
    if roles.sees_everything(user):
        return True
    return visible_objects(user, owner).filter(pk=obj.pk).exists()


def may_change(user: Any, obj: models.Model) -> bool:
    """Whether `user` may add attachments to `obj` and delete them (retention permitting)."""
    owner = owner_for(obj)
    return owner is not None and adds_kind(user, owner) and may_see(user, obj)


def deletion_refusal(obj: models.Model, today: dt.date | None = None) -> str | None:
    """Why the attachments of `obj` must still be kept (Swedish), or None if they may be deleted.

    The owner's retention rules are asked in turn; the first reason wins. Without rules (a site,
    a project) attachments may be deleted by those who may change the object.
    """
    owner = owner_for(obj)
    if owner is None:
        return None
    day = today or timezone.localdate()
    for rule in owner.retention:
        reason = rule(obj, day)
        if reason:
            return reason
    return None


def delete_attachment(attachment: Attachment, today: dt.date | None = None) -> None:
    """Delete an attachment and (after the transaction commits) its file.

    Raises ValidationError with the Swedish reason when the object it belongs to must still keep it.
    """
    owner_object = attachment.content_object
    if owner_object is not None:
        reason = deletion_refusal(owner_object, today)
        if reason:
            raise ValidationError(reason)
    with transaction.atomic():
        attachment.delete()


def _delete_attachments_of(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """The owner is being deleted (that was allowed): its attachments go with it, each one logged."""
    for attachment in attachments_of(instance):
        attachment.delete()


def _remove_file(sender: type[models.Model], instance: Attachment, **kwargs: Any) -> None:
    """Remove a deleted attachment's file, but only once the deletion is committed."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def remove() -> None:
        try:
            storage.delete(name)
        except OSError:  # left for `trygg purge_attachments`
            logger.warning("Could not remove the file %s of a deleted attachment", name)

    transaction.on_commit(remove)


def connect_signals() -> None:
    post_delete.connect(_remove_file, sender=Attachment, dispatch_uid="trygg_attachments_remove_file")
