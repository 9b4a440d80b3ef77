"""Pages for the records an officer keeps: signs, legacy IMY permits and the art. 30 record.

Officers and admins write (`roles.edits_register`); every staff role reads signs of the cameras it may
see (`roles.is_staff_role`, querysets through `roles.scope_queryset`). Saving is atomic: a sign and its
photo are stored together or not at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.cameras.models import Camera
from trygg.cameras.schedule_forms import WeeklyHoursFormSet
from trygg.compliance import public, registers
from trygg.compliance.choices import PaperSize
from trygg.compliance.engine.facts import PERMITS_LAPSED_ON
from trygg.compliance.models import LegacyPermit, ProcessingRecord, Sign
from trygg.compliance.record_forms import (
    InspectionForm,
    LegacyPermitForm,
    ProcessingRecordForm,
    SignForm,
)
from trygg.core import roles
from trygg.core.access import requires
from trygg.core.attachments import attachments_of, store_attachment
from trygg.core.audit import record_event
from trygg.core.history import changes_for, describe
from trygg.core.models import Attachment, Organisation
from trygg.core.versions import save_versioned
from trygg.sites.models import Site

#
# Signs
#


def visible_signs(request: HttpRequest) -> Any:
    return roles.scope_queryset(request.user, Sign.objects.select_related("site", "camera"))


def _param_pk(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() else None


def _camera_or_site(request: HttpRequest) -> tuple[Camera | None, Site | None]:
    """The camera of `?kamera=<id>` and its site, or no camera and the site of `?plats=<id>`.

    (None, None) when neither is given; an id that does not exist is a 404.
    """
    camera_pk, site_pk = _param_pk(request, "kamera"), _param_pk(request, "plats")
    if camera_pk:
        camera = get_object_or_404(Camera.objects.select_related("site"), pk=camera_pk)
        return camera, camera.site
    return None, get_object_or_404(Site, pk=site_pk) if site_pk else None


def sign_photos(sign: Sign) -> list[Attachment]:
    """The sign's photos, newest first (attachments of kind sign_photo)."""
    return list(attachments_of(sign).filter(kind=Attachment.Kind.SIGN_PHOTO))


def _sign_form_page(request: HttpRequest, form: SignForm, sign: Sign | None, site: Site) -> HttpResponse:
    organisation = Organisation.current()
    context = {
        "form": form,
        "sign": sign,
        "site": site,
        "sections": form.sections(organisation, public.current_record(organisation)),
        "photos": sign_photos(sign) if sign else [],
        "cancel_url": _sign_return_url(sign, site, form.initial.get("camera")),
        "camera": form.initial.get("camera"),
        "papers": PaperSize.choices,
    }
    return render(request, "compliance/sign_form.html", context)


def _sign_return_url(sign: Sign | None, site: Site, camera: Camera | None = None) -> str:
    if sign is not None:
        return reverse("compliance:sign_detail", args=[sign.pk])
    if camera is not None:
        return reverse("cameras:detail", args=[camera.pk])
    return reverse("sites:detail", args=[site.pk])


def _save_sign(request: HttpRequest, form: SignForm) -> Sign | None:
    """Save the sign and its photo in one transaction (the upload was validated by the form); None if stale."""

    def save() -> Sign:
        sign = form.save()
        upload = form.cleaned_data.get("photo_upload")
        if upload:
            store_attachment(sign, upload, kind=Attachment.Kind.SIGN_PHOTO, user=request.user, images_only=True)
        return sign

    return save_versioned(form, save)


@requires(roles.edits_register)
def sign_create(request: HttpRequest) -> HttpResponse:
    """A new sign for a camera (`?kamera=<id>`) or the whole site (`?plats=<id>`)."""
    camera, site = _camera_or_site(request)
    if site is None:
        return render(
            request,
            "compliance/sign_choose.html",
            {"sites": Site.objects.filter(cameras__isnull=False).distinct().order_by("name")},
        )
    record = public.current_record()
    cameras = [camera] if camera else list(site.cameras.exclude(state="decommissioned"))
    initial = {
        "camera": camera,
        "mentions_sound": any(c.records_sound for c in cameras),
        "mentions_retention": any(c.retention_hours > 7 * 24 for c in cameras),
        "layer2_phone": record.information_phone if record else "",
        "installed_on": timezone.localdate(),  # a sign is usually recorded when it has been put up
    }
    form = SignForm(request.POST or None, request.FILES or None, site=site, initial=initial)
    if request.method == "POST" and form.is_valid():
        sign = _save_sign(request, form)
        messages.success(request, _("Skylten är sparad."))
        return redirect("compliance:sign_detail", pk=sign.pk)
    return _sign_form_page(request, form, None, site)


@requires(roles.edits_register)
def sign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sign = get_object_or_404(Sign.objects.select_related("site", "camera"), pk=pk)
    form = SignForm(request.POST or None, request.FILES or None, instance=sign, site=sign.site)
    if request.method == "POST" and form.is_valid() and _save_sign(request, form) is not None:
        messages.success(request, _("Skylten är sparad."))
        return redirect("compliance:sign_detail", pk=sign.pk)
    return _sign_form_page(request, form, sign, sign.site)


def _display(sign: Sign, name: str) -> str:
    value = getattr(sign, name)
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if name == "camera":
        return value.identifier if value else _("hela platsen")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if value not in (None, "") else "–"


def readonly_sections(sign: Sign, sections: list[Any]) -> list[Any]:
    """The form's sections with each field's recorded value, for reading (the photo is shown apart)."""
    for section in sections:
        section.values = [
            (str(Sign._meta.get_field(name).verbose_name), _display(sign, name))
            for name in section.names
            if name != "photo_upload"
        ]
    return sections


@requires(roles.is_staff_role)
def sign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A sign as recorded, grouped as the law asks, with its photos, inspection and history."""
    sign = get_object_or_404(visible_signs(request), pk=pk)
    organisation = Organisation.current()
    form = SignForm(instance=sign, site=sign.site)
    today = timezone.localdate()
    context = {
        "sign": sign,
        "site": sign.site,
        "sections": readonly_sections(sign, form.sections(organisation, public.current_record(organisation))),
        "photos": sign_photos(sign),
        "may_edit": roles.edits_register.test(request.user),
        "today": today,
        "inspection_form": InspectionForm(initial={"inspected_on": today}, today=today),
        "papers": PaperSize.choices,
        "history": describe(changes_for(sign)[:30]),
    }
    return render(request, "compliance/sign_detail.html", context)


@require_POST
@requires(roles.edits_register)
def sign_inspected(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the sign was inspected today; the form carries the date the button showed."""
    sign = get_object_or_404(Sign, pk=pk)
    today = timezone.localdate()
    form = InspectionForm(request.POST, today=today)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("compliance:sign_detail", args=[sign.pk])
    if not form.is_valid():
        for error in form.errors.get("inspected_on", []):
            messages.error(request, error)
        return redirect(next_url)
    before = sign.last_inspected_on
    sign.last_inspected_on = form.cleaned_data["inspected_on"]
    try:
        with transaction.atomic():
            sign.full_clean()
            sign.save()
            record_event(
                sign,
                "sign.inspected",
                {
                    "inspected_on": sign.last_inspected_on.isoformat(),
                    "previous": before.isoformat() if before else None,
                },
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, _("Inspektionen registrerades inte: %(reason)s") % {"reason": message})
        return redirect(next_url)
    messages.success(
        request,
        _("%(sign)s är registrerad som inspekterad %(date)s.")
        % {"sign": sign, "date": sign.last_inspected_on.isoformat()},
    )
    return redirect(next_url)


@requires(roles.is_staff_role)
def sign_photo(request: HttpRequest, pk: int, attachment_pk: int | None = None) -> FileResponse:
    """A photo of the sign: a given attachment, else the newest, else (or with `?aldre=1`) the photo stored
    in the sign's own field before photos became attachments."""
    sign = get_object_or_404(visible_signs(request), pk=pk)
    photos = sign_photos(sign)
    if attachment_pk is not None:
        photo = next((p for p in photos if p.pk == attachment_pk), None)
        if photo is None:
            raise Http404
        return FileResponse(photo.file.open("rb"), content_type=photo.media_type, filename=photo.original_name)
    if photos and not (request.GET.get("aldre") and sign.photo):
        photo = photos[0]
        return FileResponse(photo.file.open("rb"), content_type=photo.media_type, filename=photo.original_name)
    if sign.photo:
        return FileResponse(sign.photo.open("rb"), filename=sign.photo.name.rsplit("/", 1)[-1])
    raise Http404


@requires(roles.is_staff_role)
def sign_print(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    """The printable sign (A4 or A5) for this recorded sign: its camera, or all cameras of its site."""
    sign = get_object_or_404(visible_signs(request), pk=pk)
    if paper not in PaperSize.values:
        raise Http404
    url = request.build_absolute_uri(reverse("compliance_public:public_site", args=[sign.site_id]))
    response = HttpResponse(public.recorded_sign_pdf(sign, paper, url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skylt-{sign.pk}-{paper}.pdf"'
    return response


#
# Legacy IMY permits
#


def _save_permit(form: LegacyPermitForm, formset: Any) -> LegacyPermit:
    saved = form.save(commit=False)
    saved.hours_rules = formset.rules()
    saved.full_clean()
    saved.save()
    form.save_m2m()
    return saved


def _permit_page(
    request: HttpRequest, permit: LegacyPermit | None, sites: list[Site], initial: dict[str, Any]
) -> HttpResponse:
    form = LegacyPermitForm(request.POST or None, instance=permit, sites=sites, initial=initial)
    label = capfirst(str(LegacyPermit._meta.get_field("hours_rules").verbose_name))
    formset = WeeklyHoursFormSet(
        request.POST or None, rules=permit.hours_rules if permit else [], prefix="tider", label=label, extra=2
    )
    if request.method == "POST" and not formset.adds_row:
        hours_ok = formset.is_valid()
        form_ok = form.is_valid()
        if hours_ok and form_ok:
            try:
                saved = save_versioned(form, lambda: _save_permit(form, formset))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if saved is not None:  # None: someone else changed the permit since the form was opened
                    messages.success(request, _("Tillståndet är sparat."))
                    first = saved.cameras.order_by("identifier").first()
                    if first:
                        return redirect("cameras:detail", pk=first.pk)
                    return redirect("sites:detail", pk=sites[0].pk)
    context = {
        "form": form,
        "formset": formset,
        "permit": permit,
        "sites": sites,
        "lapsed_on": PERMITS_LAPSED_ON,
        "cancel_url": reverse("sites:detail", args=[sites[0].pk]) if sites else reverse("home"),
    }
    return render(request, "compliance/permit_form.html", context)


@requires(roles.edits_register)
def permit_create(request: HttpRequest) -> HttpResponse:
    """A permit IMY gave before 2025-04-01, for cameras at the site of `?kamera=<id>` (or `?plats=<id>`)."""
    camera, site = _camera_or_site(request)
    if site is None:
        raise Http404(_("Ange kameran (?kamera=<id>) eller platsen (?plats=<id>) som tillståndet gällde."))
    initial = {"cameras": [camera.pk] if camera else [], "expires_on": PERMITS_LAPSED_ON}
    return _permit_page(request, None, [site], initial)


@requires(roles.edits_register)
def permit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permit = get_object_or_404(LegacyPermit, pk=pk)
    sites = list(Site.objects.filter(cameras__legacy_permits=permit).distinct().order_by("name"))
    if not sites:
        raise Http404
    return _permit_page(request, permit, sites, {})


#
# The art. 30 record
#


@requires(roles.edits_register)
def processing_record_edit(request: HttpRequest) -> HttpResponse:
    """The written parts of the art. 30 record of the organisation's controller board (one per board)."""
    organisation = Organisation.current()
    record = public.current_record(organisation) or ProcessingRecord(controller_board=organisation.controller_board)
    form = ProcessingRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid() and save_versioned(form) is not None:
        messages.success(request, _("Registerposten enligt art. 30 är sparad."))
        return redirect("compliance:processing_record")
    summary = registers.processing_summary(timezone.localdate())
    generated = [
        (label, value)
        for label, value, source in summary.as_sourced_rows()
        if source in (registers.SOURCE_CAMERAS, registers.SOURCE_SETTINGS)
    ]
    context = {
        "form": form,
        "record": record,
        "organisation": organisation,
        "sections": form.sections(),
        "generated": generated,
        "on_date": timezone.localdate(),
    }
    return render(request, "compliance/processing_record_form.html", context)
