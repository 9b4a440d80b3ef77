"""Pages under /bilagor/: upload an attachment to an object, download it, delete it.

Who may do what is decided by the attachment registry (`trygg.core.attachments`); these views only
translate between HTTP and it. Files are never served from MEDIA_URL: the download view checks that
the user may see the object the file belongs to, on every request.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from trygg.core import attachments, roles
from trygg.core.access import requires
from trygg.core.attachments import limit_text
from trygg.core.audit import log_download
from trygg.core.models import Attachment

# Shown in the browser rather than saved: the types a browser displays safely (with nosniff).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})


def accepted_text() -> str:
    return ", ".join(attachments.accepted_suffixes())


class AttachmentForm(forms.Form):
    """Kind, description and file of a new attachment; the file is checked by `validate_upload`."""

    kind = forms.ChoiceField(label=_("Typ av bilaga"), choices=Attachment.Kind.choices)
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=300,
        required=False,
        help_text=_("T.ex. vad bilden visar eller vem som undertecknade beslutet."),
    )
    # Last in the form, so that a file refused for its size loses no other field (see SizeLimitHandler).
    file = forms.FileField(label=_("Fil"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_attachment_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Tillåtna filtyper: %(types)s. Högst %(limit)s. Foto av skylt och bild från kameran ska vara PNG, JPEG "
            "eller WebP."
        ) % {"types": accepted_text(), "limit": limit_text()}
        self.fields["file"].widget.attrs.update(
            {"accept": ",".join(attachments.accepted_suffixes()), "aria-describedby": "id_attachment_file_helptext"}
        )
        self.fields["description"].widget.attrs["aria-describedby"] = "id_attachment_description_helptext"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None and "kind" in data:
            try:
                self.file_type = attachments.validate_upload(
                    upload, images_only=data["kind"] in attachments.PHOTO_KINDS, field=str(self.fields["file"].label)
                )
            except ValidationError as error:
                self.add_error("file", error)
        return data


class SizeLimitHandler(FileUploadHandler):
    """Refuses an uploaded file as soon as it grows past the limit, before anything is kept of it.

    The rest of the file is read and thrown away (`SkipFile`), so the browser gets a page with the
    Swedish message instead of a broken connection, and no temporary file of gigabytes is written.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.refused: list[str] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) keeps the file


def _owner_and_object(user: Any, slug: str, pk: int) -> tuple[attachments.AttachmentOwner, models.Model]:
    """The object `slug`/`pk` if the user may see its attachments: 403 for the role, 404 outside the scope."""
    owner = attachments.owner_by_slug(slug)
    if owner is None:
        raise Http404
    if not attachments.sees_kind(user, owner):
        raise PermissionDenied
    return owner, get_object_or_404(attachments.visible_objects(user, owner), pk=pk)


def _attachment_for(user: Any, pk: int) -> tuple[Attachment, attachments.AttachmentOwner, models.Model]:
    """The attachment `pk` with its object, if the user may see that object (403 by role, 404 by scope)."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    model = attachment.content_type.model_class()
    owner = attachments.owner_for(model) if model is not None else None
    if owner is None:
        raise Http404
    if not attachments.sees_kind(user, owner):
        raise PermissionDenied
    obj = get_object_or_404(attachments.visible_objects(user, owner), pk=attachment.object_id)
    return attachment, owner, obj


def _next_url(request: HttpRequest, owner: attachments.AttachmentOwner, obj: models.Model) -> str:
    """Where to go back to: the page the panel was on (if it is ours), else the object's page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would read a bare word ("inf") as a view name and fail.
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return owner.url_of(obj) or "/"


@csrf_exempt  # the CSRF check runs below, after the size limit is in place (Django's upload handler docs)
@requires(roles.is_staff_role)
def upload(request: HttpRequest, owner: str, pk: int) -> HttpResponse:
    """GET: the upload form for one object; POST: store the file and go back to the object's page."""
    entry, obj = _owner_and_object(request.user, owner, pk)
    if not attachments.may_change(request.user, obj):
        raise PermissionDenied
    limit = SizeLimitHandler(request, attachments.max_upload_bytes())
    request.upload_handlers.insert(0, limit)
    if request.method == "POST":
        try:
            request.POST  # noqa: B018 - parse the body now, with the size limit in place
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError):
            # The body could not be read, so neither can `next`: go back to the object's own page.
            problem = gettext(
                "Uppladdningen var för stor eller felaktig och togs inte emot. Välj en fil på högst %(limit)s och "
                "skriv en kortare beskrivning."
            ) % {"limit": limit_text()}
            form = AttachmentForm(initial={"kind": entry.default_kind})
            return _upload_page(request, entry, obj, form, status=413, problem=problem, next_url=entry.url_of(obj))
    return _upload_checked(request, entry, obj, limit)


@csrf_protect
def _upload_checked(
    request: HttpRequest, entry: attachments.AttachmentOwner, obj: models.Model, limit: SizeLimitHandler
) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, entry, obj, AttachmentForm(initial={"kind": entry.default_kind}))
    form = AttachmentForm(request.POST, request.FILES)
    if limit.refused:
        form.is_valid()  # so that add_error has cleaned data to remove the file from
        form.errors.pop("file", None)
        form.add_error(
            "file",
            gettext("Filen ”%(name)s” är större än den största tillåtna storleken, %(limit)s.")
            % {"name": limit.refused[0], "limit": limit_text()},
        )
    if not form.is_valid():
        return _upload_page(request, entry, obj, form, status=400)
    with transaction.atomic():
        attachment = attachments.store_attachment(
            obj,
            form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            user=request.user,
            description=form.cleaned_data["description"],
            images_only=form.cleaned_data["kind"] in attachments.PHOTO_KINDS,
        )
    messages.success(request, gettext("Bilagan ”%(name)s” är sparad.") % {"name": attachment.original_name})
    return redirect(_next_url(request, entry, obj))


def _upload_page(
    request: HttpRequest,
    entry: attachments.AttachmentOwner,
    obj: models.Model,
    form: AttachmentForm,
    status: int = 200,
    problem: str = "",
    next_url: str | None = None,
) -> HttpResponse:
    return render(
        request,
        "attachments/upload.html",
        {
            "form": form,
            "problem": problem,
            "object": obj,
            "next": next_url or _next_url(request, entry, obj),
            "limit": limit_text(),
            "accepted": accepted_text(),
        },
        status=status,
    )


@requires(roles.has_role)
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to users who may see the object it belongs to; images and PDF open in the browser."""
    attachment, _owner, _obj = _attachment_for(request.user, pk)
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404(gettext("Filen finns inte längre.")) from error
    response = FileResponse(
        handle,
        as_attachment=attachment.media_type not in INLINE_TYPES,
        filename=attachment.original_name,
        content_type=attachment.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if attachment.media_type.startswith("image/"):
        # An image shown by the browser may run nothing and load nothing else (PDF keeps the browser's viewer).
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    patch_cache_control(response, private=True, no_store=True)
    log_download(request, "download.attachment", attachment, file=attachment.original_name, kind=attachment.kind)
    return response


@requires(roles.is_staff_role)
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask before deleting (or say why the file must be kept); POST: delete it and its file."""
    attachment, owner, obj = _attachment_for(request.user, pk)
    if not attachments.may_change(request.user, obj):
        raise PermissionDenied
    refusal = attachments.deletion_refusal(obj)
    if request.method == "POST" and not refusal:
        name = attachment.original_name
        try:
            attachments.delete_attachment(attachment)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, gettext("Bilagan ”%(name)s” är borttagen.") % {"name": name})
            return redirect(_next_url(request, owner, obj))
    return render(
        request,
        "attachments/delete.html",
        {
            "attachment": attachment,
            "object": obj,
            "object_url": owner.url_of(obj),
            "refusal": refusal,
            "next": _next_url(request, owner, obj),
        },
        status=409 if request.method == "POST" and refusal else 200,
    )
