"""Camera pages: list with filters and CSV, detail with map and life cycle, edit with live coverage."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from itertools import chain
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygg.cameras import hooks, imports, masks, services
from trygg.cameras.choices import LifecycleState
from trygg.cameras.coverage import preview
from trygg.cameras.filters import CameraFilter
from trygg.cameras.forms import (
    CameraForm,
    CameraImportCommitForm,
    CameraImportUploadForm,
    ExistingCameraForm,
    MoveForm,
    PrivacyMaskForm,
    template_descriptions,
    template_rules,
)
from trygg.cameras.geojson import ALLOWED_EXPORT_CRS, coverage_feature_collection, preview_feature_collection
from trygg.cameras.lifecycle import ALLOWED, State
from trygg.cameras.models import Camera, PrivacyMask
from trygg.cameras.schedule import TEMPLATES
from trygg.compliance.engine.facts import NEW_REGIME_FROM
from trygg.core import export_cache, roles
from trygg.core.access import requires
from trygg.core.audit import log_download
from trygg.core.csv_export import csv_lines
from trygg.core.history import changes_for, describe
from trygg.core.listing import Column, listing
from trygg.core.models import Attachment, Organisation
from trygg.core.params import BadParameter, bad_request, check_form
from trygg.core.position import grid_of
from trygg.core.versions import save_versioned
from trygg.jobs import runner as jobs
from trygg.jobs.models import JobKind
from trygg.programme.models import Project
from trygg.sites.models import Site
from trygg.sites.views import GEOMAN_TEXTS, MAP_LABELS

COLUMNS = [
    Column("identifier", gettext_lazy("Kamera"), "identifier"),
    Column("site", gettext_lazy("Plats"), "site__name"),
    Column("state", gettext_lazy("Status"), "state"),
    Column("type", gettext_lazy("Typ"), "camera_type"),
    Column("schedule", gettext_lazy("Bevakningstider"), "schedule_template"),
    Column("retention", gettext_lazy("Lagring (h)"), "retention_hours", numeric=True),
    Column("intrusion", gettext_lazy("Intrång"), None),
]


# Rows read from the database at a time by the streamed CSV.
CSV_CHUNK = 500


def visible_cameras(request: HttpRequest):
    return roles.scope_queryset(request.user, Camera.objects.select_related("site", "site__administration"))


@requires(roles.is_staff_role)
def camera_list(request: HttpRequest) -> HttpResponse:
    # Whether a privacy mask is recorded (the camera page tells whether it covers all of the intrusion).
    masked = PrivacyMask.objects.filter(camera=OuterRef("pk"), confirmed_on__lte=timezone.localdate())
    camera_filter = CameraFilter(request.GET, queryset=visible_cameras(request).annotate(has_mask=Exists(masked)))
    try:
        check_form(camera_filter.form)
        rows = listing(request, camera_filter.qs, COLUMNS, "identifier")
    except BadParameter as error:
        return bad_request(error, request)
    return render(
        request,
        "cameras/camera_list.html",
        {"filter": camera_filter, "listing": rows, "may_edit_register": roles.edits_register.test(request.user)},
    )


@requires(roles.is_staff_role)
# Exact positions of cameras: no copy may stay in a browser's or proxy's cache.
@never_cache
def camera_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV in Trygg's one CSV convention (`trygg.core.csv_export`).

    Rows are read as plain values a chunk at a time; the file is written once per state of the data,
    user scope and filter (`trygg.core.export_cache`) and then served as it is.
    """
    camera_filter = CameraFilter(request.GET, queryset=visible_cameras(request).order_by("identifier"))
    try:
        check_form(camera_filter.form)
    except BadParameter as error:
        return bad_request(error, request)
    cameras = camera_filter.qs
    header = [
        _("Beteckning"),
        _("Plats"),
        _("Typ av plats"),
        _("Förvaltning"),
        _("Område"),
        _("Status"),
        _("Kameratyp"),
        _("Bevakningstider"),
        _("Lagringstid (timmar)"),
        _("Longitud"),
        _("Latitud"),
        _("Riktning (grader)"),
        _("Synlig yta (m²)"),
        _("Intrång (m²)"),
        _("Sekretess (OSL 18:8)"),
    ]

    def build() -> tuple[bytes, dict[str, Any]]:
        body = "".join(csv_lines(chain([header], _camera_csv_rows(cameras)))).encode()
        return body, {"cameras": cameras.count()}

    body, details = export_cache.get_or_build("cameras_csv", request, build)
    log_download(request, "download.cameras_csv", file="kameror.csv", **details)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kameror.csv"'
    return response


def _labels(model: Any, field: str) -> dict[Any, str]:
    """A choice field's values and their labels in the active language (what `get_<field>_display` gives)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _camera_csv_rows(cameras: Any) -> Iterator[list[Any]]:
    """The CSV's rows of `cameras`: only the columns written (the stored geometries are most of a row)."""
    site_kinds, area_kinds = _labels(Site, "kind"), _labels(Site, "area_kind")
    states, types = _labels(Camera, "state"), _labels(Camera, "camera_type")
    templates = _labels(Camera, "schedule_template")
    yes, no = _("ja"), _("nej")
    rows = cameras.values_list(
        "identifier",
        "site__name",
        "site__kind",
        "site__administration__name",
        "site__area_kind",
        "state",
        "camera_type",
        "schedule_template",
        "retention_hours",
        "longitude",
        "latitude",
        "bearing_deg",
        "visible_area_m2",
        "intrusions",
        "secret_placement",
    )
    for (
        identifier,
        site_name,
        site_kind,
        administration,
        area_kind,
        state,
        camera_type,
        template,
        retention_hours,
        longitude,
        latitude,
        bearing_deg,
        visible_area_m2,
        intrusions,
        secret,
    ) in rows.iterator(chunk_size=CSV_CHUNK):
        yield [
            identifier,
            site_name,
            site_kinds.get(site_kind, site_kind),
            administration,
            area_kinds.get(area_kind, area_kind),
            states.get(state, state),
            types.get(camera_type, camera_type),
            templates.get(template, template),
            retention_hours,
            round(longitude, 6),
            round(latitude, 6),
            bearing_deg,
            round(visible_area_m2 or 0, 1),
            round(sum(i["area_m2"] for i in intrusions), 1),
            yes if secret else no,
        ]


def _mask_status(camera: Camera) -> masks.MaskStatus:
    return masks.mask_status(camera, masks.view_today(camera), Organisation.current().intrusion_tolerance_m2)


def _detail_context(request: HttpRequest, camera: Camera, move_form: MoveForm | None = None) -> dict[str, Any]:
    allowed = sorted(ALLOWED[State(camera.state)], key=list(State).index)
    form = move_form or MoveForm(initial={"occurred_on": timezone.localdate()})
    form.fields["to_state"].choices = [(state.value, LifecycleState(state.value).label) for state in allowed]
    return {
        "camera": camera,
        "transitions": camera.transitions.select_related("recorded_by").order_by("sequence"),
        "move_form": form if allowed else None,
        "history": describe(changes_for(camera)[:30]),
        "panels": [panel for render_panel in hooks.detail_panels if (panel := render_panel(request, camera))],
        "may_edit": roles.edits_register.test(request.user),
        "mask_status": _mask_status(camera),
        "uses_map": True,
        "map_labels": MAP_LABELS,
    }


@requires(roles.is_staff_role)
def camera_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camera = get_object_or_404(visible_cameras(request).select_related("project"), pk=pk)
    return render(request, "cameras/camera_detail.html", _detail_context(request, camera))


@require_POST
@requires(roles.edits_register)
def camera_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the camera in its life cycle; a refused move is explained on the camera's page."""
    camera = get_object_or_404(visible_cameras(request), pk=pk)
    form = MoveForm(request.POST)
    help_html: list[str] = []
    if form.is_valid():
        try:
            services.move(
                camera,
                form.cleaned_data["to_state"],
                form.cleaned_data["occurred_on"],
                request.user,
                form.cleaned_data["note"],
            )
        except ValidationError as error:
            target, on = form.cleaned_data["to_state"], form.cleaned_data["occurred_on"]
            help_html = [
                html for render_help in hooks.refusal_help if (html := render_help(request, camera, target, on))
            ]
            # With help, the refusal's first line leads and the help lists each missing item with its links.
            for message in error.messages[:1] if help_html else error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Kamerans status är ändrad."))
            return redirect("cameras:detail", pk=camera.pk)
    camera.refresh_from_db()
    context = _detail_context(request, camera, form) | {"refusal_help": help_html}
    return render(request, "cameras/camera_detail.html", context, status=400)


def _preview_context(camera: Camera | None) -> dict[str, Any]:
    problems: list[str] = []
    values = preview(camera, problems) if camera is not None else None
    return {
        "preview": values,
        "preview_problems": problems,
        "preview_geojson": preview_feature_collection(camera, values) if values else None,
        "preview_grid": grid_of(camera.longitude, camera.latitude) if camera is not None else None,
        "preview_hours": _hours_per_week(camera),
    }


def _hours_per_week(camera: Camera | None) -> float | None:
    """Recording hours in an ordinary school week, or None while the schedule cannot be read."""
    if camera is None:
        return None
    try:
        return camera.get_schedule().hours_per_week()
    except (KeyError, TypeError, ValueError):
        return None


def _registration_messages(request: HttpRequest, result: services.ExistingRegistration) -> None:
    """Tell the officer what was recorded, what was borrowed, and what the gate would have stopped."""
    steps = ", ".join(
        f"{LifecycleState(row.to_state).label.lower()} {row.occurred_on.isoformat()}" for row in result.rows
    )
    messages.success(
        request,
        _("Kameran %(camera)s är registrerad i efterhand med sin historik: %(steps)s.")
        % {"camera": result.camera.identifier, "steps": steps},
    )
    if result.borrowed:
        messages.warning(
            request,
            _("Datum saknades för %(states)s; stegen är registrerade på nästa kända stegs datum och märkta så.")
            % {"states": ", ".join(str(LifecycleState(step.state.value).label).lower() for step in result.borrowed)},
        )
    in_operation = next((row for row in result.rows if row.to_state == State.IN_OPERATION.value), None)
    if in_operation is None:
        return
    if result.findings:
        messages.warning(
            request,
            _(
                "Kameran är registrerad som i drift sedan %(date)s. Från 2025-04-01 får en kamera tas i drift först "
                "när underlagen finns; det som saknas står som hinder i kamerans checklista tills det är på plats:"
            )
            % {"date": in_operation.occurred_on.isoformat()},
        )
        for finding in result.findings[1:]:  # the first line is the gate's own heading
            messages.warning(request, finding)
    elif in_operation.occurred_on < NEW_REGIME_FROM:
        messages.info(
            request,
            _(
                "Kameran togs i drift %(date)s, före 2025-04-01, då IMY:s tillstånd krävdes. Historiken är "
                "registrerad som den var; registrera tillståndet och se checklistan för vad som gäller i dag."
            )
            % {"date": in_operation.occurred_on.isoformat()},
        )


def _form_context(form: CameraForm, camera: Camera | None, existing: ExistingCameraForm | None) -> dict[str, Any]:
    map_site = form.chosen_site()
    return {
        "form": form,
        "camera": camera,
        "existing_form": existing,
        "map_site": map_site,
        "schedule_rows": form.schedule_rows,
        "template_rules": {key: template_rules(key) for key in TEMPLATES},
        "template_descriptions": template_descriptions(),
        # The projects of the sites the form offers (with JavaScript the project choice follows the site).
        "projects_by_site": [
            {"id": p.pk, "name": p.name, "site": p.site_id}
            for p in Project.objects.filter(site__in=form.offered_sites).order_by("name").only("name", "site")
        ],
        "uses_map": True,
        "map_labels": MAP_LABELS,
        "geoman_texts": GEOMAN_TEXTS,
    }


@requires(roles.edits_register)
def camera_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a camera; a new one may be registered with the history it already has."""
    camera = get_object_or_404(Camera, pk=pk) if pk else None
    initial: dict[str, Any] = {}
    if camera is None and request.GET.get("site", "").isdigit():
        site = Site.objects.filter(pk=request.GET["site"]).first()
        if site is not None:
            initial["site"] = site
    data = request.POST if request.method == "POST" else None
    form = CameraForm(data, instance=camera, initial=initial)
    existing = ExistingCameraForm(data, today=timezone.localdate()) if camera is None else None
    valid = data is not None and form.is_valid() and (existing is None or existing.is_valid())
    # "Lägg till en rad" without JavaScript, or "Sök plats": the page again, unsaved.
    adds_row = form.schedule_rows.adds_row or form.searches_site
    if valid and not adds_row:
        if existing is not None and existing.cleaned_data["exists"]:
            try:
                result = services.register_existing(form.save(commit=False), existing.dates(), request.user)
            except ValidationError as error:
                for state, errors in error.message_dict.items():
                    existing.add_error(ExistingCameraForm.STATE_FIELDS[State(state)], errors)
            else:
                _registration_messages(request, result)
                return redirect("cameras:detail", pk=result.camera.pk)
        else:
            saved = save_versioned(form)
            if saved is not None:
                messages.success(request, _("Kameran är sparad och täckningen omräknad."))
                return redirect("cameras:detail", pk=saved.pk)
    shown = form.instance if camera or data is not None else None
    # A refused value that shapes the view (a range of 1e300 m, say) is not drawn, as in the live preview.
    refused = [
        f"{form.fields[name].label}: {' '.join(errors)}"
        for name, errors in (form.errors.items() if data is not None else [])
        if name in PREVIEW_FIELDS and name in form.fields
    ]
    preview = {"preview": None, "preview_problems": refused} if refused else _preview_context(shown)
    return render(
        request,
        "cameras/camera_form.html",
        _form_context(form, camera, existing) | preview,
        status=400 if data is not None and not adds_row else 200,
    )


@require_POST
@requires(roles.edits_register)
def camera_preview(request: HttpRequest) -> HttpResponse:
    """The coverage of the camera as the form now stands, without saving anything (htmx)."""
    instance = Camera.objects.filter(pk=request.POST.get("camera_pk") or None).first()
    form = CameraForm(request.POST, instance=instance)
    form.is_valid()  # fills form.instance with every valid field; other errors do not stop the preview
    # A value the save would refuse (a bearing of 400°, say) is not drawn: the preview says what is wrong.
    refused = [
        f"{form.fields[name].label}: {' '.join(errors)}"
        for name, errors in form.errors.items()
        if name in PREVIEW_FIELDS and name in form.fields
    ]
    if refused:
        return render(request, "cameras/coverage_preview.html", {"preview": None, "preview_problems": refused})
    return render(request, "cameras/coverage_preview.html", _preview_context(form.instance))


# The camera form's fields that shape the computed view.
PREVIEW_FIELDS = frozenset(
    {
        "longitude",
        "latitude",
        "mount_height_m",
        "bearing_deg",
        "pan_range",
        "tilt_deg",
        "camera_type",
        "hfov_deg",
        "focal_length_mm",
        "sensor_width_mm",
        "range_m",
        "site",
    }
)


@requires(roles.is_staff_role)
# Exact positions of cameras: no copy may stay in a browser's or proxy's cache.
@never_cache
def coverage_geojson(request: HttpRequest, pk: int) -> JsonResponse | HttpResponseBadRequest:
    """The camera, its coverage, what it really sees, its privacy mask and the site's zones, as GeoJSON.

    `?crs=EPSG:3011` gives the geometries in the municipality's local CRS instead of WGS 84.
    """
    camera = get_object_or_404(visible_cameras(request), pk=pk)
    crs = request.GET.get("crs", "EPSG:4326").upper()
    if crs not in ALLOWED_EXPORT_CRS:
        return HttpResponseBadRequest(
            _("Okänt koordinatsystem %(crs)s i parametern crs. Tillåtna: %(allowed)s.")
            % {"crs": crs, "allowed": ", ".join(sorted(ALLOWED_EXPORT_CRS))}
        )
    log_download(request, "download.coverage", camera, crs=crs)
    return JsonResponse(
        coverage_feature_collection(camera, crs),
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


@requires(roles.edits_register)
def privacy_mask(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the privacy mask set up in the camera, with an image of its picture (KBL-9-ZONE-INTRUSION)."""
    camera = get_object_or_404(visible_cameras(request), pk=pk)
    initial = {"confirmed_on": timezone.localdate(), "area": camera.privacy_mask}
    form = PrivacyMaskForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            masks.record_mask(
                camera,
                data["area"],
                data["confirmed_on"],
                data["image"],
                user=request.user,
                note=data["note"],
                description=_("Kamerans bild med maskeringen, kontrollerad %(date)s")
                % {"date": data["confirmed_on"].isoformat()},
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("image", error.messages)
        else:
            status = _mask_status(camera)
            if status.covered:
                messages.success(
                    request, _("Maskeringen är registrerad och täcker det kameran ser av områden som inte får bevakas.")
                )
            else:
                messages.warning(
                    request,
                    _("Maskeringen är registrerad men täcker inte allt: %(zones)s.")
                    % {
                        "zones": "; ".join(
                            _("%(zone)s %(open)s m² utanför maskeringen")
                            % {"zone": line.name, "open": f"{line.open_m2:.1f}".replace(".", ",")}
                            for line in status.open_lines
                        )
                    },
                )
            return redirect("cameras:detail", pk=camera.pk)
    records = list(camera.privacy_masks.select_related("confirmed_by").order_by("-confirmed_on", "-pk"))
    images = masks.images_of(records)
    return render(
        request,
        "cameras/privacy_mask.html",
        {
            "camera": camera,
            "form": form,
            "mask_status": _mask_status(camera),
            "records": [(record, images.get(record.pk, [])) for record in records],
            "uses_map": True,
            "map_labels": MAP_LABELS,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(roles.is_staff_role)
def privacy_mask_image(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An image of the camera's picture kept with one of its privacy masks, for those who may see the camera."""
    camera = get_object_or_404(visible_cameras(request), pk=pk)
    attachment = get_object_or_404(
        Attachment,
        pk=attachment_pk,
        kind=Attachment.Kind.CAMERA_IMAGE,
        content_type=ContentType.objects.get_for_model(PrivacyMask),
        object_id__in=list(camera.privacy_masks.values_list("pk", flat=True)),
    )
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.media_type, filename=attachment.original_name
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


#
# Importing existing cameras from a file
#

IMPORT_SALT = "trygg.cameras.import"


def _pack(data: bytes, filename: str, osm: dict[str, str] | None = None) -> str:
    """The uploaded file, signed, to travel in the preview page's form (nothing is stored meanwhile).

    `osm` carries the choices made once for an OpenStreetMap file (state, in operation since).
    """
    return signing.dumps(
        {"name": filename, "data": base64.b64encode(data).decode("ascii"), "osm": osm or {}},
        salt=IMPORT_SALT,
        compress=True,
    )


def _unpack(payload: str) -> tuple[bytes, str, dict[str, str]] | None:
    try:
        value = signing.loads(payload, salt=IMPORT_SALT, max_age=6 * 3600)
        return base64.b64decode(value["data"]), str(value["name"]), dict(value.get("osm") or {})
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _preview(data: bytes, filename: str, osm: dict[str, str]) -> imports.Preview:
    return imports.preview_upload(data, filename, osm)


def _import_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    from trygg.cameras.importing import EXAMPLE_HEADER
    from trygg.cameras.importing_osm import MAX_SITE_DISTANCE_M

    base = {"example_header": EXAMPLE_HEADER, "osm_limit": round(MAX_SITE_DISTANCE_M)}
    return render(request, "cameras/camera_import.html", base | context, status=status)


@requires(roles.edits_register)
def camera_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of existing cameras, see the preview row by row, then import (all, or the valid rows)."""
    if request.method != "POST":
        return _import_page(request, {"upload_form": CameraImportUploadForm()})
    if "payload" not in request.POST:
        upload_form = CameraImportUploadForm(request.POST, request.FILES)
        if not upload_form.is_valid():
            return _import_page(request, {"upload_form": upload_form}, status=400)
        upload = upload_form.cleaned_data["file"]
        data, filename = upload.read(), upload.name[:200]
        since = upload_form.cleaned_data.get("osm_since")
        osm = {"state": upload_form.cleaned_data.get("osm_state") or "", "since": since.isoformat() if since else ""}
        result = _preview(data, filename, osm)
        commit_form = CameraImportCommitForm(initial={"payload": _pack(data, filename, osm)})
        context = {"upload_form": CameraImportUploadForm(), "preview": result, "commit_form": commit_form}
        return _import_page(request, context, status=400 if result.file_problem else 200)
    commit_form = CameraImportCommitForm(request.POST)
    unpacked = _unpack(request.POST.get("payload", ""))
    if not commit_form.is_valid() or unpacked is None:
        messages.error(request, _("Filen från förhandsgranskningen kunde inte läsas igen; ladda upp den på nytt."))
        return _import_page(request, {"upload_form": CameraImportUploadForm()}, status=400)
    data, filename, osm = unpacked
    only_valid = commit_form.cleaned_data["mode"] == CameraImportCommitForm.ONLY_VALID
    if settings.TRYGG_IMPORT_IN_WORKER:
        # The worker checks the file again and writes it in one transaction; the job page shows how it went.
        params = {
            "upload": base64.b64encode(data).decode("ascii"),
            "name": filename,
            "osm": osm,
            "only_valid": only_valid,
        }
        job = jobs.start(JobKind.CAMERA_IMPORT, request.user, params, request)
        return redirect("jobs:detail", pk=job.pk)
    result = _preview(data, filename, osm)  # checked again: the database may have changed since
    outcome = imports.import_cameras(result, only_valid=only_valid, user=request.user)
    if (outcome.refused and not only_valid) or result.file_problem:
        messages.error(request, imports.refused_text(outcome))
        context = {
            "upload_form": CameraImportUploadForm(),
            "preview": result,
            "commit_form": commit_form,
            "refused": outcome.refused,
        }
        return _import_page(request, context, status=400)
    messages.success(request, imports.done_text(outcome))
    for text in imports.warning_texts(outcome):
        messages.warning(request, text)
    return redirect("cameras:list")
