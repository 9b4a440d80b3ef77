"""Importing existing cameras from a CSV/XLSX file: the preview and the import (page and command).

The file is read and every row checked by `trygg.cameras.importing` (pure); this module adds what
needs the database, in a constant number of queries for the preview (the sites, the identifiers
already stored, the municipality's area), and then writes each new camera with its dated history
through `services.register_existing`, the same service the camera form uses. Everything is written
in one transaction: with `only_valid=False` nothing is written when any row is at fault.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from trygg.cameras import services
from trygg.cameras.forms import default_template
from trygg.cameras.importing import (
    DATE_COLUMNS,
    HEADER_NAMES,
    CameraRow,
    HeaderProblem,
    Problem,
    cell_text,
    is_header,
    map_headers,
    read_rows,
)
from trygg.cameras.lifecycle import HistoryRefused, history_steps
from trygg.cameras.models import Camera
from trygg.core.audit import audit_context
from trygg.incidents.tabular import FileProblem, open_table
from trygg.sites.geometry import municipality_area, site_anchor
from trygg.sites.models import Site

SOURCE_OSM = "openstreetmap"

#: The model field each column fills, for naming the column when the model refuses a value.
FIELD_COLUMNS = {
    "identifier": "identifier",
    "longitude": "longitude",
    "latitude": "latitude",
    "bearing_deg": "bearing",
    "hfov_deg": "hfov",
    "range_m": "range",
    "camera_type": "camera_type",
    "mount": "mount",
    "mount_height_m": "mount_height",
    "retention_hours": "retention",
    "purpose": "purpose",
}


def text(problem: Problem) -> str:
    """A row's problem as the user reads it: "kolumn: meddelande", in the active language.

    A parameter that is a list of (template, params) pairs is translated item by item and joined.
    """
    params = {
        key: ", ".join(gettext(t) % p if p else gettext(t) for t, p in value) if isinstance(value, list) else value
        for key, value in problem.params.items()
    }
    body = gettext(problem.template) % params if params else gettext(problem.template)
    return gettext("%(column)s: %(problem)s") % {"column": problem.column, "problem": body}


@dataclass
class Preview:
    """What the file would bring in: its rows, the columns not used, or why it cannot be read at all."""

    filename: str
    rows: list[CameraRow] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    file_problem: str = ""
    sites: dict[str, Site] = field(default_factory=dict)
    kind: str = "table"  # or "osm"
    osm_state: str = ""  # "planned" or "existing", chosen once for an OpenStreetMap file
    osm_since: dt.date | None = None  # in operation since (existing)
    skipped: dict[str, int] = field(default_factory=dict)  # other surveillance nodes, by surveillance:type
    without_position: list[int] = field(default_factory=list)  # node ids without a position

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def existing(self) -> int:
        return self.count("exists")

    @property
    def errors(self) -> int:
        return self.count("error")


def preview(path: Path, filename: str, today: dt.date | None = None) -> Preview:
    """Read `path` (uploaded as `filename`) and check every row; nothing is written.

    Queries: the sites, the identifiers in the file already stored, and the municipality's area
    (at most two) — the same number for 3 rows as for 3 000.
    """
    today = today or timezone.localdate()
    result = Preview(filename)
    try:
        table = open_table(path, filename, is_header)
        raw = [(number, list(cells)) for number, cells in table.rows()]
    except FileProblem as problem:
        result.file_problem = (
            gettext(problem.template) % problem.params if problem.params else gettext(problem.template)
        )
        return result
    try:
        columns, result.unused = map_headers(table.headers)
    except HeaderProblem as problem:
        result.file_problem = gettext(problem.template) % problem.params
        return result
    result.sites = {site.name.strip(): site for site in Site.objects.all()}
    anchors = {name: site_anchor(site) for name, site in result.sites.items()}
    index = columns["identifier"]
    identifiers = {cell_text(cells[index]) for _n, cells in raw if index < len(cells)}
    existing = set(Camera.objects.filter(identifier__in=identifiers).values_list("identifier", flat=True))
    result.rows = read_rows(raw, table.headers, sites=anchors, existing=existing, area=municipality_area(), today=today)
    for row in result.rows:
        if row.status == "error" or row.exists:
            continue
        _check_history(row, table.headers, columns, today)
        if not row.problems:
            _check_fields(row, result.sites, table.headers, columns)
    _translate(result)
    return result


def _translate(result: Preview) -> None:
    for row in result.rows:
        row.messages = [text(problem) for problem in row.problems]
        row.notes = [text(problem) for problem in row.warnings]


OSM_STATES = ("planned", "existing")


def preview_osm(
    data: bytes, filename: str, *, state: str, since: dt.date | None = None, today: dt.date | None = None
) -> Preview:
    """An OpenStreetMap file's camera nodes checked as rows; nothing is written.

    `state` is "planned" (every camera planned today) or "existing" (in operation since `since`),
    chosen once for the file. Queries: the sites, the identifiers and node ids already stored, and
    the municipality's area — the same for 3 nodes as for 3 000.
    """
    from trygg.cameras.importing_osm import read_nodes, source_id
    from trygg.geo.osm_files import OsmFileProblem, read_surveillance

    today = today or timezone.localdate()
    result = Preview(filename, kind="osm", osm_state=state, osm_since=since)
    try:
        nodes = read_surveillance(data, filename)
    except OsmFileProblem as problem:
        result.file_problem = gettext(problem.message) % problem.params if problem.params else gettext(problem.message)
        return result
    result.skipped, result.without_position = nodes.skipped, nodes.without_position
    if state not in OSM_STATES or (state == "existing" and (since is None or since > today)):
        result.file_problem = gettext(
            "Välj om kamerorna i OpenStreetMap-filen är planerade eller befintliga, och för befintliga "
            "sedan vilket datum (inte i framtiden) de är i drift."
        )
        return result
    result.sites = {site.name.strip(): site for site in Site.objects.all()}
    anchors = [site_anchor(site) for site in result.sites.values()]
    sources = [source_id(node) for node in nodes.nodes]
    stored_sources = set(
        Camera.objects.filter(source=SOURCE_OSM, source_id__in=sources).values_list("source_id", flat=True)
    )
    identifiers = {f"osm-node-{n.osm_id}" for n in nodes.nodes} | {
        " ".join(n.tags.get(k, "").split()) for n in nodes.nodes for k in ("ref", "name")
    }
    stored_ids = set(Camera.objects.filter(identifier__in=identifiers).values_list("identifier", flat=True))
    result.rows = read_nodes(
        nodes.nodes,
        sites=anchors,
        area=municipality_area(),
        existing_identifiers=stored_ids,
        existing_sources=stored_sources,
    )
    for row in result.rows:
        if state == "existing":
            row.values["in_operation"] = since
        else:
            row.values["planned"] = today
        if row.status == "new":
            _check_fields(row, result.sites, [], {})
    _translate(result)
    return result


def _column(key: str, headers: list[str], columns: dict[str, int]) -> str:
    if key in columns:
        return headers[columns[key]]
    return HEADER_NAMES[key][0] if key in HEADER_NAMES else key


def _check_history(row: CameraRow, headers: list[str], columns: dict[str, int], today: dt.date) -> None:
    """The dates told as a history, as the camera form checks them (`lifecycle.history_steps`)."""
    dates = row.dates()
    try:
        history_steps(dates, today)
    except HistoryRefused as refused:
        key = next((k for k, state in DATE_COLUMNS.items() if state == refused.state), "installed")
        column = _column(key, headers, columns)
        if refused.reason == "not_in_field":
            column = "{} / {}".format(_column("installed", headers, columns), _column("in_operation", headers, columns))
        row.problems.append(Problem(column, services.history_refusal_message(refused, dates)))


def build_camera(row: CameraRow, site: Site) -> Camera:
    """The unsaved camera a row describes (not yet validated against the database)."""
    values = row.values
    camera = Camera(
        identifier=values["identifier"],
        site=site,
        longitude=values["longitude"],
        latitude=values["latitude"],
        bearing_deg=values["bearing"],
        hfov_deg=values["hfov"],
        range_m=values.get("range"),
        camera_type=values["camera_type"],
        is_ptz=values["camera_type"] == "ptz",
        mount=values["mount"],
        mount_height_m=values["mount_height"],
        purpose=values.get("purpose", ""),
        schedule_template=default_template(site),
    )
    if values.get("retention") is not None:
        camera.retention_hours = int(values["retention"])
    camera.pan_range = values.get("pan_range", "")
    camera.is_indoor = bool(values.get("is_indoor", False))
    camera.uses_anpr = bool(values.get("uses_anpr", False))
    camera.source = values.get("source", "")
    camera.source_id = values.get("source_id", "")
    return camera


def _check_fields(row: CameraRow, sites: dict[str, Site], headers: list[str], columns: dict[str, int]) -> None:
    """The model's own field checks, without queries (the site is known, uniqueness was checked in bulk)."""
    camera = build_camera(row, sites[row.values["site"]])
    try:
        camera.clean_fields(exclude=["site", "project"])
    except ValidationError as error:
        _add_model_errors(row, error, headers, columns)


def _add_model_errors(row: CameraRow, error: ValidationError, headers: list[str], columns: dict[str, int]) -> None:
    for name, messages in error.message_dict.items():
        key = FIELD_COLUMNS.get(name)
        if key:
            column = _column(key, headers, columns)
        elif name == "__all__":
            column = gettext("rad")
        else:
            column = str(Camera._meta.get_field(name).verbose_name)
        for message in messages:
            row.problems.append(Problem(column, message.replace("%", "%%")))


@dataclass
class ImportResult:
    """What an import did: identifiers created, left as they were, and rows refused (with reasons)."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    refused: list[tuple[int, list[str]]] = field(default_factory=list)
    findings: list[tuple[str, list[str]]] = field(default_factory=list)
    written: bool = False


class ImportAborted(Exception):
    """Raised inside a batch's transaction when a row is refused in all-or-nothing mode."""


# Rows written per transaction. SQLite has one writer: a transaction holding the write lock while it
# registers hundreds of cameras (coverage, checklist, change log: ~0.1 s each) made logins, the cancel
# button and the worker's own bookkeeping fail with "database is locked" (walkthrough, 600 rows ≈ 90 s).
BATCH = 5


def import_cameras(
    result: Preview,
    *,
    only_valid: bool,
    user: Any = None,
    progress: Callable[[int, int], None] | None = None,
    on_batch: Callable[[list[int]], None] | None = None,
) -> ImportResult:
    """Create the preview's new cameras with their dated history, `BATCH` rows per short transaction.

    `only_valid=False` (all or nothing): if any row is at fault, in the preview or when the model
    validates it against the database, no camera of the file is left. `only_valid=True`: the valid
    rows are written and the faulty ones listed. Cameras that already exist are never changed.

    All or nothing with short transactions: when a row is refused, or `progress` raises (a cancelled
    job) or anything fails, the cameras of the earlier batches are deleted again (`remove_cameras`)
    before returning or raising; the change log keeps both their registration and their removal.
    `on_batch(ids)` is called inside each batch's transaction with the ids of every camera written so
    far (a job keeps them, so a worker that dies mid-file can be undone); `progress(done, total)` after
    each batch, outside any transaction, so the page sees it and a cancel can be saved meanwhile.
    """
    outcome = ImportResult(existing=[row.values["identifier"] for row in result.rows if row.exists])
    outcome.refused = [(row.number, [text(p) for p in row.problems]) for row in result.rows if row.status == "error"]
    if result.file_problem or (outcome.refused and not only_valid):
        return outcome
    new_rows = [row for row in result.rows if row.status == "new"]
    written: list[int] = []
    try:
        if progress is not None:
            progress(0, len(new_rows))
        for start in range(0, len(new_rows), BATCH):
            with transaction.atomic():
                for row in new_rows[start : start + BATCH]:
                    try:
                        with transaction.atomic():
                            registration = _register(row, result.sites[row.values["site"]], user)
                    except ValidationError as error:
                        outcome.refused.append((row.number, _messages(error)))
                        if not only_valid:
                            raise ImportAborted from error
                        continue
                    written.append(registration.camera.pk)
                    outcome.created.append(registration.camera.identifier)
                    if registration.findings:
                        outcome.findings.append((registration.camera.identifier, registration.findings))
                if on_batch is not None:
                    on_batch(list(written))
            if progress is not None:
                progress(min(start + BATCH, len(new_rows)), len(new_rows))
    except ImportAborted:
        remove_cameras(written, user)
        outcome.created, outcome.findings = [], []
        return outcome
    except BaseException:
        remove_cameras(written, user)
        raise
    outcome.written = bool(outcome.created)
    return outcome


def remove_cameras(ids: list[int], user: Any = None) -> int:
    """Delete the cameras `ids` written by an import that did not finish, `BATCH` per transaction; returns
    how many were deleted. Each removal is in the change log with the reason. Safe to call again."""
    removed = 0
    message = gettext("Importen av kameror avbröts; kameran som den hade sparat togs bort.")
    for start in range(0, len(ids), BATCH):
        with transaction.atomic(), audit_context(user=user, source="import", message=message):
            for camera in Camera.objects.filter(pk__in=ids[start : start + BATCH]):
                camera.delete()
                removed += 1
    return removed


def _register(row: CameraRow, site: Site, user: Any) -> services.ExistingRegistration:
    camera = build_camera(row, site)
    camera.full_clean()
    if row.values.get("planned") and not any(row.values.get(k) for k in ("designed", "installed", "in_operation")):
        camera.planned_on = row.values["planned"]
        camera.save()  # a planned camera: the post_save signal writes its first row, as the camera form does
        return services.ExistingRegistration(camera=camera, rows=list(camera.transitions.all()))
    return services.register_existing(camera, row.dates(), user)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{Camera._meta.get_field(name).verbose_name if name != '__all__' else ''}: {message}".lstrip(": ")
            if name in {f.name for f in Camera._meta.fields} or name == "__all__"
            else str(message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def preview_bytes(data: bytes, filename: str, today: dt.date | None = None) -> Preview:
    """`preview` of a file held in memory (an upload, or the file carried from the preview page)."""
    suffix = Path(filename).suffix.lower()[:10]
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        return preview(Path(handle.name), filename, today)


def preview_upload(data: bytes, filename: str, osm: dict[str, str]) -> Preview:
    """The CSV/XLSX preview, or the OpenStreetMap one with the state chosen for the file (`osm`:
    "state" and "since", an ISO date or empty)."""
    from trygg.geo.osm_files import is_osm_file

    if not is_osm_file(data, filename):
        return preview_bytes(data, filename)
    since = dt.date.fromisoformat(osm["since"]) if osm.get("since") else None
    return preview_osm(data, filename, state=osm.get("state", ""), since=since)


def refused_text(outcome: ImportResult) -> str:
    """Why nothing was imported (all or nothing, with rows at fault), in Swedish."""
    return ngettext(
        "Inget importerades: %(count)s rad har fel. Rätta filen, eller välj att bara importera giltiga rader.",
        "Inget importerades: %(count)s rader har fel. Rätta filen, eller välj att bara importera giltiga rader.",
        len(outcome.refused),
    ) % {"count": len(outcome.refused)}


def done_text(outcome: ImportResult) -> str:
    """What the import did, in Swedish: cameras created and those left as they were."""
    return ngettext(
        "%(created)s kamera importerades med sin historik",
        "%(created)s kameror importerades med sin historik",
        len(outcome.created),
    ) % {"created": len(outcome.created)} + ngettext(
        "; %(existing)s fanns redan och lämnades orörd.",
        "; %(existing)s fanns redan och lämnades orörda.",
        len(outcome.existing),
    ) % {"existing": len(outcome.existing)}


def warning_texts(outcome: ImportResult) -> list[str]:
    """The rows skipped and the cameras registered with something missing, in Swedish."""
    texts = []
    if outcome.refused:
        texts.append(
            ngettext(
                "%(count)s rad med fel hoppades över: %(rows)s.",
                "%(count)s rader med fel hoppades över: %(rows)s.",
                len(outcome.refused),
            )
            % {"count": len(outcome.refused), "rows": ", ".join(str(number) for number, _m in outcome.refused)}
        )
    for identifier, findings in outcome.findings:
        texts.append(
            gettext("%(camera)s är registrerad i drift, men detta saknas: %(findings)s")
            % {"camera": identifier, "findings": " ".join(findings)}
        )
    return texts
