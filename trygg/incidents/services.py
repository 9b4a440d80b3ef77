"""The import of incident files, between the pure readers and the database.

An import runs in two passes over the file, each streaming it row by row:
1. *check*: every row is read and checked (`trygg.incidents.parsing`), keys are compared with
   what the source already imported; counts, the first errors and a sample are stored on the
   `ImportRun`, whose page shows the progress and then the preview. Nothing is written.
2. *import*: after the user's choice (the whole file, only if every row is valid; or only the valid
   rows), the rows are read again and inserted in chunks, each chunk its own short transaction (so
   SQLite's write lock is never held for the whole file); a failure deletes what the run wrote, so
   it leaves nothing half-written (`import_rows`).

The passes run in the request that asks for them, or, with `TRYGG_IMPORT_IN_WORKER`, as a background
job (`trygg.jobs`, run by `trygg db_worker`; the older command `trygg run_incident_imports` still works).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from trygg.core import roles
from trygg.core.audit import audit_context, record_event
from trygg.core.csv_export import csv_lines
from trygg.incidents import counts, parsing, stored, tabular
from trygg.incidents.choices import ImportMode, ImportStatus
from trygg.incidents.models import ImportRun, Incident
from trygg.sites.models import Site

logger = logging.getLogger("trygg.incidents")

CHUNK = 2000  # rows per bulk insert and per look-up of already imported keys
PROGRESS_EVERY = 5000  # rows between progress updates of the ImportRun
MAX_STORED_ERRORS = 200
MAX_STORED_NOTICES = 50
SAMPLE_ROWS = 10


def translate(template: str, params: dict[str, Any] | None = None) -> str:
    """A message from a pure module, in the user's language."""
    text = gettext(template)
    return text % params if params else text


def open_table(run: ImportRun) -> tabular.Table:
    table = tabular.open_table(Path(run.file.path), run.original_name, parsing.looks_like_header)
    if run.header_row and run.headers and run.header_row != table.header_row:
        table.header_row, table.headers = run.header_row, run.headers
    return table


def inspect_upload(run: ImportRun) -> None:
    """Read the header of a new upload and propose a mapping (the source's, else by known names)."""
    try:
        table = tabular.open_table(Path(run.file.path), run.original_name, parsing.looks_like_header)
    except tabular.FileProblem as problem:
        run.status = ImportStatus.FAILED
        run.failure = translate(problem.template, problem.params)
        run.save()
        return
    run.file_format, run.encoding, run.delimiter = table.file_format, table.encoding, table.delimiter
    run.header_row, run.headers = table.header_row, table.headers
    remembered = {k: v for k, v in (run.source.column_mapping or {}).items() if v in table.headers}
    run.mapping = remembered if remembered.get("date") else parsing.guess_mapping(table.headers)
    run.save()


def site_names(user: Any) -> dict[str, int]:
    """Normalised site name → id, for the sites the user may record incidents at."""
    sites = roles.scope_queryset(user, Site.objects.all()) if user is not None else Site.objects.all()
    return {parsing.normalise(name): pk for pk, name in sites.values_list("pk", "name")}


def check_context(run: ImportRun) -> parsing.CheckContext:
    headers = run.headers
    columns = {name: headers.index(header) for name, header in run.mapping.items() if header in headers}
    return parsing.CheckContext(
        columns=columns,
        headers=headers,
        sites=site_names(run.created_by),
        default_site_id=run.default_site_id,
        today=timezone.localdate(),
        confirmed_sites={str(text): int(pk) for text, pk in (run.site_choices or {}).items()},
    )


@dataclass
class Outcome:
    """One row after checking it against the file so far and the database."""

    row: int
    cells: list[Any]
    result: parsing.RowResult | None  # None for an empty row
    duplicate_of: int | None = None
    already_imported: bool = False
    # The same incident (site, date, time, kind, description) already came from another source.
    other_source: str = ""
    # Notes for the preview that stop nothing: a K-nummer seen on another date, a similar incident
    # from another source. Each is (template, params), translated when stored.
    flags: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def outcomes(run: ImportRun, flag: bool = True) -> Iterator[Outcome]:
    """Every row of the file with its check, in chunks so keys are looked up CHUNK at a time.

    With `flag` (the check pass) rows also get the notes for the preview (K-nummer on another date,
    a similar incident from another source); the import pass needs only what decides a row."""
    table = open_table(run)
    context = check_context(run)
    seen: dict[str, int] = {}  # key → first row; 32 characters per row, the only state that grows
    police_numbers: dict[str, tuple[int, Any]] = {}  # K-nummer → (first row, its date)
    pending: list[Outcome] = []

    def flush() -> Iterator[Outcome]:
        fresh = [o for o in pending if o.result and o.result.incident and o.duplicate_of is None]
        keys = [o.result.incident.key for o in fresh]  # type: ignore[union-attr]
        existing = set(
            Incident.objects.filter(source=run.source, source_key__in=keys).values_list("source_key", flat=True)
        )
        new = [o.result.incident for o in fresh if o.result.incident.key not in existing]  # type: ignore[union-attr]
        others = _other_sources(run, new)  # type: ignore[arg-type]
        reported = _police_numbers_in_trygg(new) if flag else {}  # type: ignore[arg-type]
        for outcome in pending:
            incident = outcome.result.incident if outcome.result else None
            if incident is not None and outcome.duplicate_of is None and incident.key in existing:
                outcome.already_imported = True
            elif incident is not None and outcome.duplicate_of is None:
                _compare_with_trygg(outcome, incident, others, reported, flag)
            yield outcome
        pending.clear()

    for number, cells in table.rows():
        if tabular.is_empty(cells):
            pending.append(Outcome(number, cells, None))
        else:
            result = parsing.check_row(number, cells, context)
            outcome = Outcome(number, cells, result)
            if result.incident is not None:
                first = seen.setdefault(result.incident.key, number)
                if first != number:
                    outcome.duplicate_of = first
                else:
                    _compare_police_number(outcome, result.incident, police_numbers)
            pending.append(outcome)
        if len(pending) >= CHUNK:
            yield from flush()
    yield from flush()


def _compare_police_number(
    outcome: Outcome, incident: parsing.ParsedIncident, first_seen: dict[str, tuple[int, Any]]
) -> None:
    """Flag a K-nummer that an earlier row of the file gives with another date (one police report is
    one event; the same number on two dates is a typo or the same event twice)."""
    number = incident.police_report_number
    if not number:
        return
    row, on = first_seen.setdefault(number, (outcome.row, incident.occurred_on))
    if row != outcome.row and on != incident.occurred_on:
        outcome.flags.append(
            (
                gettext_noop(
                    "K-numret %(number)s står också på rad %(row)s, med datumet %(date)s; kontrollera att det inte är samma händelse."
                ),
                {"number": number, "row": row, "date": on.isoformat()},
            )
        )


def _other_sources(
    run: ImportRun, incidents: list[parsing.ParsedIncident]
) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """Incidents from other sources at the same sites on the same dates as `incidents` (one query),
    by (site id, date, kind)."""
    found: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    if not incidents:
        return found
    rows = (
        Incident.objects.filter(
            site_id__in={i.site_id for i in incidents}, occurred_on__in={i.occurred_on for i in incidents}
        )
        .exclude(source=run.source)
        .order_by("pk")
        .values("site_id", "occurred_on", "occurred_time", "kind", "description", "source__name")
    )
    for row in rows:
        found.setdefault((row["site_id"], row["occurred_on"], row["kind"]), []).append(row)
    return found


def _police_numbers_in_trygg(incidents: list[parsing.ParsedIncident]) -> dict[str, list[dict[str, Any]]]:
    """K-nummer → the incidents in Trygg that carry it (one query)."""
    numbers = {i.police_report_number for i in incidents if i.police_report_number}
    found: dict[str, list[dict[str, Any]]] = {}
    if numbers:
        rows = (
            Incident.objects.filter(police_report_number__in=numbers)
            .order_by("occurred_on", "pk")
            .values("police_report_number", "occurred_on", "site__name")
        )
        for row in rows:
            found.setdefault(row["police_report_number"], []).append(row)
    return found


def _compare_with_trygg(
    outcome: Outcome,
    incident: parsing.ParsedIncident,
    others: dict[tuple[Any, ...], list[dict[str, Any]]],
    reported: dict[str, list[dict[str, Any]]],
    flag: bool = True,
) -> None:
    """Mark a row that another source already brought in, and flag rows that look like one.

    The same site, date, time, kind and description from another source is the same incident (the same
    file uploaded under another source's name): it is skipped. The same site, date and kind with another
    or a missing time or description is only flagged: two reports of one event, or two events.
    """
    for other in others.get((incident.site_id, incident.occurred_on, incident.kind), []):
        same_time = other["occurred_time"] == incident.occurred_time
        if same_time and parsing.normalise(other["description"]) == parsing.normalise(incident.description):
            outcome.other_source = other["source__name"] or gettext("registrerad för hand")
            return
        if flag and (same_time or other["occurred_time"] is None or incident.occurred_time is None):
            outcome.flags.append(
                (
                    gettext_noop(
                        "Liknar en händelse samma dag och plats från källan ”%(source)s” (%(description)s); kontrollera att det inte är samma händelse."
                    ),
                    {
                        "source": other["source__name"] or gettext("registrerad för hand"),
                        "description": (other["description"] or "–")[:80],
                    },
                )
            )
            break
    for other in reported.get(incident.police_report_number, []):
        if other["occurred_on"] != incident.occurred_on:
            outcome.flags.append(
                (
                    gettext_noop(
                        "K-numret %(number)s finns redan i Trygg för en händelse %(date)s på %(site)s; kontrollera att det inte är samma händelse."
                    ),
                    {
                        "number": incident.police_report_number,
                        "date": other["occurred_on"].isoformat(),
                        "site": other["site__name"],
                    },
                )
            )
            break


def _fail(run: ImportRun, message: str) -> None:
    run.status = ImportStatus.FAILED
    run.failure = message
    run.finished_at = timezone.now()
    run.save()


def check(run: ImportRun) -> None:
    """Pass 1: read and check every row; store counts, the first errors and a sample. Writes no incident."""
    run.status = ImportStatus.CHECKING
    for name in ("processed_rows", "total_rows", "empty_rows", "valid_rows", "error_rows"):
        setattr(run, name, 0)
    run.duplicate_rows = run.existing_rows = run.created_rows = run.other_source_rows = 0
    run.errors, run.notices, run.sample, run.failure, run.site_matches = [], [], [], "", []
    run.progress_at = timezone.now()
    run.save()
    sites = dict(Site.objects.values_list("pk", "name"))
    place_texts: dict[str, dict[str, Any]] = {}
    names = site_names(run.created_by)
    try:
        for outcome in outcomes(run):
            run.processed_rows += 1
            _note_place(run, outcome, place_texts, sites, names)
            for template, params in outcome.flags:
                if len(run.notices) < MAX_STORED_NOTICES:
                    run.notices.append({"row": outcome.row, "message": translate(template, params)})
            if outcome.result is None:
                run.empty_rows += 1
            elif outcome.result.problems:
                run.total_rows += 1
                run.error_rows += 1
                for problem in outcome.result.problems:
                    if len(run.errors) < MAX_STORED_ERRORS:
                        run.errors.append(
                            {
                                "row": problem.row,
                                "column": problem.column,
                                "message": translate(problem.template, problem.params),
                            }
                        )
            else:
                run.total_rows += 1
                if outcome.duplicate_of is not None:
                    run.duplicate_rows += 1
                    if len(run.notices) < MAX_STORED_NOTICES:
                        run.notices.append(
                            {
                                "row": outcome.row,
                                "message": gettext("Raden är en dubblett av rad %(first)s och hoppas över.")
                                % {"first": outcome.duplicate_of},
                            }
                        )
                elif outcome.already_imported:
                    run.existing_rows += 1
                elif outcome.other_source:
                    run.other_source_rows += 1
                    if len(run.notices) < MAX_STORED_NOTICES:
                        run.notices.append(
                            {
                                "row": outcome.row,
                                "message": gettext(
                                    "Samma händelse (plats, datum, klockslag, typ och beskrivning) finns redan från "
                                    "källan ”%(source)s” och hoppas över."
                                )
                                % {"source": outcome.other_source},
                            }
                        )
                else:
                    run.valid_rows += 1
                    if len(run.sample) < SAMPLE_ROWS:
                        run.sample.append(_display(outcome.row, outcome.result.incident, sites))
            if run.processed_rows % PROGRESS_EVERY == 0:
                run.progress_at = timezone.now()
                run.save(update_fields=["processed_rows", "progress_at"])
    except tabular.FileProblem as problem:
        _fail(run, translate(problem.template, problem.params))
        return
    run.site_matches = sorted(place_texts.values(), key=lambda m: (m["site"] != "", m["text"].lower()))
    run.status = ImportStatus.CHECKED
    run.checked_at = timezone.now()
    run.save()


MAX_STORED_PLACES = 200


def _note_place(
    run: ImportRun, outcome: Outcome, seen: dict[str, dict[str, Any]], sites: dict[int, str], names: dict[str, int]
) -> None:
    """Remember each distinct place text of the file and what it matched, for "text i filen → plats"."""
    column = run.mapping.get("site")
    if outcome.result is None or not column or column not in run.headers:
        return
    index = run.headers.index(column)
    text = parsing.cell_text(outcome.cells[index] if index < len(outcome.cells) else None)
    if not text or text in seen or len(seen) >= MAX_STORED_PLACES:
        return
    match = parsing.match_site(text, names, run.site_choices or {})
    seen[text] = {
        "text": text,
        "key": parsing.normalise(text),
        "site": sites.get(match.site_id, "") if match.site_id else "",
        "detail": match.detail,
        "how": match.how,
        "candidate_id": match.candidate_id,
        "candidate": sites.get(match.candidate_id, "") if match.candidate_id else "",
    }


def sites_to_choose(run: ImportRun) -> list[tuple[int, str]]:
    """(id, name) of the sites the run's user may record incidents at, by name."""
    sites = roles.scope_queryset(run.created_by, Site.objects.all()) if run.created_by else Site.objects.all()
    return list(sites.order_by("name").values_list("pk", "name"))


def confirm_sites(run: ImportRun, posted: Any) -> str | None:
    """Store the user's choice of site for place texts that named no site by themselves.

    `posted` holds `plats_<n>` → site id (or "" for none) for the n-th entry of `run.site_matches`.
    Returns a Swedish message naming the text when a choice is not a site the user may use (then
    nothing is stored), else None; the caller checks the file again.
    """
    allowed = {str(pk) for pk, _name in sites_to_choose(run)}
    choices = dict(run.site_choices or {})
    for index, match in enumerate(run.site_matches):
        name = f"plats_{index}"
        if name not in posted or match["how"] == "name":
            continue
        value = str(posted.get(name, "")).strip()
        if value and value not in allowed:
            return gettext("Platsen du valde för ”%(text)s” finns inte eller ligger utanför din behörighet.") % {
                "text": match["text"]
            }
        if value:
            choices[match["key"]] = int(value)
        else:
            choices.pop(match["key"], None)
    run.site_choices = choices
    run.save(update_fields=["site_choices"])
    return None


def _display(row: int, incident: parsing.ParsedIncident, sites: dict[int, str]) -> dict[str, Any]:
    from trygg.incidents.choices import IncidentKind

    when = incident.occurred_on.isoformat() + (f" {incident.occurred_time:%H:%M}" if incident.occurred_time else "")
    if incident.until_on:
        when += f" – {incident.until_on.isoformat()}" + (f" {incident.until_time:%H:%M}" if incident.until_time else "")
    return {
        "row": row,
        "site": sites.get(incident.site_id, ""),
        "detail": incident.place_detail,
        "when": when,
        "kind": str(IncidentKind(incident.kind).label),
        "description": incident.description[:200],
        "police": incident.police_report_number or (gettext("ja") if incident.reported_to_police else ""),
        "cost": str(incident.cost) if incident.cost is not None else "",
    }


def may_import(run: ImportRun, mode: str) -> str | None:
    """Why the run cannot be imported in `mode`, or None when it can."""
    if run.status != ImportStatus.CHECKED:
        return gettext("Filen måste vara granskad innan den kan importeras.")
    if mode == ImportMode.ALL and run.error_rows:
        return gettext(
            "Filen har %(count)s rader med fel. Rätta dem och ladda upp filen igen, eller välj att importera bara de giltiga raderna."
        ) % {"count": run.error_rows}
    if not run.valid_rows and not run.error_rows:
        return gettext("Alla rader finns redan i Trygg eller är dubbletter; det finns inget nytt att importera.")
    if mode == ImportMode.VALID_ONLY and not run.valid_rows:
        return gettext("Det finns inga nya giltiga rader att importera.")
    return None


def import_rows(run: ImportRun, on_batch: Callable[[int, int], None] | None = None) -> None:
    """Pass 2: insert the new valid rows in batches, each its own short transaction; log the import as one event.

    Incident is an audited model, whose every save is logged by signals. A file of 100 000 rows
    would then write 100 000 change-log rows and take minutes, so this inserts in bulk (no signals)
    on purpose and records ONE named event, `incidents.imported`, for the run: who imported which
    file from which source, and how many rows. Each incident keeps its `import_run`, so the event
    leads to every row it created. The bulk insert is `BulkInserter`: `bulk_create` without the
    per-object model and SQL building, which cost more than the database itself.

    Short transactions: each `CHUNK` rows are committed on their own, so the write lock of SQLite is
    held for one batch (tens of milliseconds), never for the whole file, and a login or a page save
    in between does not wait. All or nothing all the same: if anything fails (a batch, the file, rows
    changed since the check, or `on_batch` raising, e.g. a cancelled job), every incident written
    under this run is deleted again (`remove_written`) before the run is marked failed; the run is
    marked done, with its event, in one last transaction. `on_batch(created, total)` is called after
    each committed batch, outside any transaction; whatever it raises is raised again after the
    clean-up (the job runner's cancel).
    """
    run.status = ImportStatus.IMPORTING
    run.started_at = run.progress_at = timezone.now()
    run.created_rows = 0
    run.save()
    created = 0
    total = run.valid_rows
    try:
        batch: list[parsing.ParsedIncident] = []
        errors = 0
        inserter = BulkInserter(run)
        for outcome in outcomes(run, flag=False):
            if outcome.result is None:
                continue
            if outcome.result.problems:
                errors += 1
                continue
            if outcome.duplicate_of is not None or outcome.already_imported or outcome.other_source:
                continue
            if errors and run.mode == ImportMode.ALL:
                continue  # the file changed since the check: count its errors, write no more
            batch.append(outcome.result.incident)
            if len(batch) >= CHUNK:
                created += _commit_batch(run, inserter, batch, created)
                batch = []
                if on_batch is not None:
                    _call_outside(on_batch, created, total)
        if errors and run.mode == ImportMode.ALL:
            # The file changed between the passes (or the sites did): import nothing.
            raise RowsChanged(errors)
        if batch:
            created += _commit_batch(run, inserter, batch, created)
            if on_batch is not None:
                _call_outside(on_batch, created, total)
        with transaction.atomic():
            run.created_rows = created
            run.status = ImportStatus.DONE
            run.finished_at = timezone.now()
            run.save()
            with audit_context(user=run.created_by, source="import", message=run.original_name):
                record_event(
                    run,
                    "incidents.imported",
                    {
                        "file": run.original_name,
                        "source": run.source.name,
                        "mode": run.mode,
                        "created": created,
                        "already_imported": run.existing_rows,
                        "duplicates": run.duplicate_rows,
                        "rejected": run.error_rows if run.mode == ImportMode.VALID_ONLY else 0,
                    },
                )
        _refresh_ranking(run)
    except _Stopped as stopped:
        remove_written(run)
        run.refresh_from_db()
        _fail(run, gettext("Importen avbröts. Inget sparades."))
        raise stopped.error from None
    except RowsChanged as changed:
        remove_written(run)
        run.refresh_from_db()
        _fail(
            run,
            gettext("%(count)s rader fick fel vid importen (har filen eller platserna ändrats?). Inget sparades.")
            % {"count": changed.count},
        )
    except tabular.FileProblem as problem:
        remove_written(run)
        run.refresh_from_db()
        _fail(run, translate(problem.template, problem.params) + " " + gettext("Inget sparades."))
    except Exception:
        logger.exception("Import %s failed", run.pk)
        remove_written(run)
        run.refresh_from_db()
        _fail(
            run,
            gettext(
                "Importen misslyckades av ett tekniskt fel. Inget sparades; försök igen eller kontakta systemförvaltaren."
            ),
        )


def _refresh_ranking(run: ImportRun) -> None:
    """Today's default ranking, computed now that the counts changed, so the page opens at once.
    The import is done whatever happens here: a failure only leaves the computing to the next visit."""
    try:
        with transaction.atomic():
            stored.refresh_default_ranking()
    except Exception:
        logger.exception("The ranking after import %s could not be stored", run.pk)


class _Stopped(Exception):
    """`on_batch` raised `error`: the import is undone, then `error` is raised again to the caller."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


def _call_outside(on_batch: Callable[[int, int], None], created: int, total: int) -> None:
    try:
        on_batch(created, total)
    except Exception as error:
        raise _Stopped(error) from error


def _commit_batch(run: ImportRun, inserter: BulkInserter, batch: list[parsing.ParsedIncident], before: int) -> int:
    """Insert one batch, add it to the stored counts (`trygg.incidents.stored`) and note the count on
    the run, in one short transaction; returns the rows inserted."""
    with transaction.atomic():
        count = inserter.insert(batch)
        stored.apply(
            counts.changes_of(
                (r.site_id, r.kind, r.occurred_on, r.occurred_time, r.until_on, r.until_time, r.cost) for r in batch
            )
        )
        ImportRun.objects.filter(pk=run.pk).update(created_rows=before + count, progress_at=timezone.now())
    return count


def remove_written(run: ImportRun) -> int:
    """Delete every incident written under `run`, `CHUNK` at a time in short transactions; returns how many.

    A raw delete, as the insert was raw: no signals, so no change-log rows for rows that never were
    part of a finished import. Each chunk is taken off the stored counts in the same transaction as it
    is deleted. Safe to call again (after a crash mid-way, say): it deletes what is left.
    """
    removed = 0
    while True:
        with transaction.atomic():
            ids = list(Incident.objects.filter(import_run=run).order_by("pk").values_list("pk", flat=True)[:CHUNK])
            if not ids:
                return removed
            queryset = Incident.objects.filter(pk__in=ids)
            stored.apply(counts.changes_of(stored.rows_of(queryset), sign=-1))
            removed += queryset._raw_delete(queryset.db)


class RowsChanged(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


class BulkInserter:
    """Inserts parsed rows as incidents with one parameterised INSERT run over a chunk (executemany).

    Like `bulk_create` it sends no signals; unlike it, it builds no model instance and no SQL per
    row: the statement is built once from the model's own fields, and dates, times and amounts are
    adapted by the database backend's own adapters, as the fields do. On SQLite this is several
    times faster than `bulk_create`, whose statements hold at most 999 parameters (49 incidents).
    """

    VARYING = (
        "site",
        "kind",
        "occurred_on",
        "occurred_time",
        "until_on",
        "until_time",
        "description",
        "reported_to_police",
        "police_report_number",
        "cost",
        "reported_by",
        "source_key",
        "place_detail",
    )
    FIXED = ("source", "import_run", "recorded_by", "created_at", "updated_at")

    def __init__(self, run: ImportRun) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections

        self.connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
        opts = Incident._meta
        fields = [opts.get_field(name) for name in (*self.VARYING, *self.FIXED)]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        self.adapters = [self._adapter(opts.get_field(name)) for name in self.VARYING]
        now = timezone.now()
        fixed = {
            "source": run.source_id,
            "import_run": run.pk,
            "recorded_by": run.created_by_id,
            "created_at": now,
            "updated_at": now,
        }
        self.fixed = tuple(opts.get_field(name).get_db_prep_save(fixed[name], self.connection) for name in self.FIXED)

    def _adapter(self, field: Any) -> Any:
        from django.db import models

        ops = self.connection.ops
        if isinstance(field, models.DecimalField):
            return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.TimeField):
            return ops.adapt_timefield_value
        return None

    def insert(self, rows: list[parsing.ParsedIncident]) -> int:
        adapters = self.adapters
        prepared = []
        for row in rows:
            values = (
                row.site_id,
                row.kind,
                row.occurred_on,
                row.occurred_time,
                row.until_on,
                row.until_time,
                row.description,
                row.reported_to_police,
                row.police_report_number,
                row.cost,
                row.reported_by,
                row.key,
                row.place_detail,
            )
            adapted = tuple(
                value if adapt is None or value is None else adapt(value)
                for value, adapt in zip(values, adapters, strict=True)
            )
            prepared.append(adapted + self.fixed)
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)
        return len(prepared)


#
# Queueing and running
#

QUEUED = {ImportStatus.QUEUED_CHECK: ImportStatus.CHECKING, ImportStatus.QUEUED_IMPORT: ImportStatus.IMPORTING}


def enqueue(run: ImportRun, status: str) -> None:
    """Queue a pass; without a worker (the default) run it now, in this request."""
    run.status = status
    run.save(update_fields=["status", "mode"])
    if not settings.TRYGG_IMPORT_IN_WORKER:
        process(run)
        return
    # The task queue's worker (`trygg db_worker`) runs it; `trygg run_incident_imports` still may, as
    # `claim` lets only one of them take the pass.
    from trygg.jobs import runner
    from trygg.jobs.models import JobKind

    runner.start(JobKind.INCIDENT_IMPORT, run.created_by, {"run": run.pk})


def claim(run: ImportRun) -> bool:
    """Take a queued run for this process; False if another worker already took it."""
    target = QUEUED.get(run.status)
    if target is None:
        return False
    return ImportRun.objects.filter(pk=run.pk, status=run.status).update(status=target, progress_at=timezone.now()) == 1


def process(run: ImportRun, on_batch: Callable[[int, int], None] | None = None) -> None:
    """Do the pass the run is queued for; `on_batch(created, total)` after each batch of an import pass."""
    status = run.status
    if not claim(run):
        return
    run.refresh_from_db()
    if status == ImportStatus.QUEUED_CHECK:
        check(run)
    else:
        import_rows(run, on_batch)


def process_queue(limit: int | None = None) -> int:
    """Run queued passes oldest first; returns how many were run."""
    done = 0
    while limit is None or done < limit:
        run = ImportRun.objects.filter(status__in=list(QUEUED)).order_by("pk").first()
        if run is None:
            break
        process(run)
        done += 1
    return done


#
# The rejected rows, for the user to fix
#


def rejected_rows_csv(run: ImportRun) -> Iterator[str]:
    """The rows with errors as CSV in Trygg's CSV convention (`trygg.core.csv_export`): the row number,
    what is wrong, then the row as it was, so the user can fix it and import the fixed rows."""
    return csv_lines(_rejected_rows(run))


def _rejected_rows(run: ImportRun) -> Iterator[list[Any]]:
    yield [gettext("Rad i filen"), gettext("Fel"), *run.headers]
    if run.status in {ImportStatus.CHECKED, ImportStatus.DONE} and not run.error_rows:
        return  # checked and clean: no need to read the file again
    for outcome in outcomes(run):
        if outcome.result is not None and outcome.result.problems:
            problems = "; ".join(f"{p.column}: {translate(p.template, p.params)}" for p in outcome.result.problems)
            # A spreadsheet's TRUE/FALSE goes back as the text it was read as.
            yield [outcome.row, problems, *[str(c) if isinstance(c, bool) else c for c in outcome.cells]]
