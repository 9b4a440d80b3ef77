"""Storing uploaded files as attachments (`Attachment`): checks of type and size, and one way to save.

Every page that takes a file (a signed decision, a photo of a sign, an image from the camera for a
privacy mask) goes through `validate_upload` and `store_attachment`, so the limits and the Swedish
messages are the same everywhere. The type is read from the file's first bytes, not trusted from
its name: a renamed program is not accepted as a photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext

from trygg.core.models import Attachment


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
            gettext("Filen i fältet ”%(field)s” är %(size)s MB; den största tillåtna är %(limit)s MB.")
            % {"field": label, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"}
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
    attachment.save()
    return attachment


def attachments_of(obj: models.Model) -> models.QuerySet[Attachment]:
    """The attachments of `obj`, newest first."""
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).order_by(
        "-created_at", "-pk"
    )
