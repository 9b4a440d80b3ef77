"""The registers the law asks for, generated from the cameras: the 10 § register and the art. 30 record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.compliance.engine import (
    RegisterEntry,
    register_entry,
)
from trygg.compliance.engine.facts import NEW_REGIME_FROM
from trygg.compliance.facts import ONGOING_STATES, CameraCompliance, cameras_for_compliance, compliance_for_many
from trygg.compliance.models import (
    RETENTION_YEARS,
    ProcessingRecord,
    add_years,
)
from trygg.compliance.register_document import RegisterDocument
from trygg.compliance.register_document import render as render_register
from trygg.core.audit import record_event
from trygg.core.csv_export import csv_lines, csv_text
from trygg.core.models import Organisation

SECRECY_MARKING_TEXT = "Kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och sekretesslagen"


def secrecy_marking() -> str:
    """The marking every register export carries (OSL 18 kap. 8 §; legal.md §6.3)."""
    return gettext("Kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och sekretesslagen")


#
# The 10 § register
#


@dataclass
class RegisterRow:
    """One line of the register of surveillance (10 § KBL): the five items plus status."""

    camera: str
    entry: RegisterEntry
    status: str
    ended_on: dt.date | None

    @property
    def complete(self) -> bool:
        e = self.entry
        return bool(e.address and e.place_type and e.purpose and e.latest_assessment_on)

    def as_list(self) -> list[str]:
        e = self.entry
        return [
            self.camera,
            e.address,
            e.place_type,
            e.purpose or gettext("saknas"),
            ", ".join(e.special_technology) or gettext("nej"),
            e.latest_assessment_on.isoformat() if e.latest_assessment_on else gettext("saknas"),
            self.status,
            self.ended_on.isoformat() if self.ended_on else "",
        ]


def register_columns() -> list[str]:
    return [
        gettext("Kamera"),
        gettext("Adress eller plats"),
        gettext("Typ av plats"),
        gettext("Ändamål"),
        gettext("Ljud eller annan särskild teknik"),
        gettext("Senaste intresseavvägning (9 §)"),
        gettext("Status"),
        gettext("Avslutad"),
    ]


# The register's status of a line, stored as a code (`StoredChecklist.register`) and shown translated.
ONGOING = "ongoing"
PAUSED = "paused"
ENDED = "ended"


def status_label(code: str) -> str:
    """The register's Swedish status for a status code (ONGOING, PAUSED or ENDED)."""
    return {
        ONGOING: gettext("pågående"),
        PAUSED: gettext("pågående (pausad)"),
        ENDED: gettext("avslutad"),
    }[code]


def register_line(item: CameraCompliance) -> tuple[str, RegisterEntry] | None:
    """The camera's status code and untranslated 10 § entry on `item.on_date`, or None without a line.

    Ongoing surveillance, and surveillance ended in the last five years, have a line; cameras
    exempted under 11–13 §§ have none.
    """
    lifecycle, on_date = item.lifecycle, item.on_date
    if lifecycle.state in ONGOING_STATES:
        status = ONGOING if lifecycle.state == State.IN_OPERATION.value else PAUSED
    elif (
        lifecycle.state == State.DECOMMISSIONED.value
        and lifecycle.operation_started_on is not None
        and on_date < add_years(lifecycle.ended_on, RETENTION_YEARS)
    ):
        status = ENDED
    else:
        return None
    # 10 § applies from 2025-04-01; for earlier dates the register shows what it would have held.
    entry = register_entry(item.facts, max(on_date, NEW_REGIME_FROM))
    return None if entry is None else (status, entry)


def _translated(entry: RegisterEntry) -> RegisterEntry:
    return RegisterEntry(
        address=entry.address,
        place_type=gettext(entry.place_type),
        purpose=entry.purpose,
        special_technology=tuple(gettext(t) for t in entry.special_technology),
        latest_assessment_on=entry.latest_assessment_on,
    )


# The register page shows this many lines a page (the CSV and PDF hold them all).
REGISTER_PAGE_SIZE = 100


def _stored_row(identifier: str, status: str, entry: RegisterEntry, ended_on: dt.date | None) -> RegisterRow:
    return RegisterRow(identifier, _translated(entry), status_label(status), ended_on)


def _computed_rows(on_date: dt.date) -> Iterator[RegisterRow]:
    # Each camera's facts are built once; staleness (a comparison of snapshots) is not in the register.
    for item in compliance_for_many(cameras_for_compliance().order_by("identifier"), on_date, judge_staleness=False):
        line = register_line(item)
        if line is None:
            continue
        status, entry = line
        yield RegisterRow(item.camera.identifier, _translated(entry), status_label(status), item.lifecycle.ended_on)


def iter_register_rows(on_date: dt.date) -> Iterator[RegisterRow]:
    """The register as of `on_date`, line by line: ongoing surveillance and surveillance ended in the last five years.

    Generated from cameras, their transitions and latest approved assessments (never kept by hand),
    in a fixed number of queries. For today the lines come from the stored checklists
    (`trygg.compliance.stored`), read in chunks; for another date they are computed for every camera.
    """
    from trygg.compliance import stored

    if on_date == timezone.localdate():
        return _stored_rows(stored.register_lines())
    return _computed_rows(on_date)


def _stored_rows(lines: Iterable[tuple[str, str, RegisterEntry, dt.date | None]]) -> Iterator[RegisterRow]:
    # The few statuses and place types are translated once each, not once a line.
    translated: dict[str, str] = {}
    statuses = {code: status_label(code) for code in (ONGOING, PAUSED, ENDED)}
    for identifier, status, entry, ended_on in lines:
        if entry.place_type not in translated:
            translated[entry.place_type] = gettext(entry.place_type)
        technology = tuple(gettext(t) for t in entry.special_technology) if entry.special_technology else ()
        yield RegisterRow(
            identifier,
            RegisterEntry(
                address=entry.address,
                place_type=translated[entry.place_type],
                purpose=entry.purpose,
                special_technology=technology,
                latest_assessment_on=entry.latest_assessment_on,
            ),
            statuses[status],
            ended_on,
        )


def register_rows(on_date: dt.date) -> list[RegisterRow]:
    """The whole register as of `on_date` (see `iter_register_rows`)."""
    return list(iter_register_rows(on_date))


def register_page(on_date: dt.date, number: int) -> Page:
    """Page `number` (from 1) of `REGISTER_PAGE_SIZE` lines of the register as of `on_date`; `object_list`
    holds `RegisterRow`s. Raises BadParameter past the last page (`trygg.core.params.page_of`).

    For today only the page's lines are read (and counted in SQL); another date computes every camera.
    """
    from trygg.compliance import stored
    from trygg.core.params import page_of

    if on_date != timezone.localdate():
        return page_of(Paginator(register_rows(on_date), REGISTER_PAGE_SIZE), number)
    page = page_of(Paginator(stored.register_queryset(), REGISTER_PAGE_SIZE), number)
    page.object_list = [_stored_row(*stored.register_line_of(*values)) for values in page.object_list]
    return page


def register_csv_lines(on_date: dt.date) -> Iterator[str]:
    """The register as semicolon-separated CSV lines (Swedish spreadsheets), with the secrecy marking first.

    A generator, for streaming: lines are written as they are read, so memory does not grow with the register.
    """
    title = gettext("Förteckning över kamerabevakning enligt 10 § kamerabevakningslagen, per %(date)s") % {
        "date": on_date.isoformat()
    }
    header = [[secrecy_marking()], [title], register_columns()]
    return csv_lines(chain(header, (row.as_list() for row in iter_register_rows(on_date))))


def register_csv(on_date: dt.date) -> str:
    """The whole register CSV as one string (see `register_csv_lines`)."""
    return "".join(register_csv_lines(on_date))


def _context(on_date: dt.date) -> dict[str, Any]:
    return {
        "organisation": Organisation.current(),
        "on_date": on_date,
        "columns": register_columns(),
        "marking": secrecy_marking(),
        "before_regime": on_date < NEW_REGIME_FROM,
        "regime_from": NEW_REGIME_FROM,
        "generated_on": timezone.localdate(),
    }


def register_context(on_date: dt.date) -> dict[str, Any]:
    """What the register document shows, with every line in `rows`."""
    return {**_context(on_date), "rows": register_rows(on_date)}


def register_page_context(on_date: dt.date, number: int) -> dict[str, Any]:
    """What the register page shows: one page of lines in `page` (`register_page`)."""
    return {**_context(on_date), "page": register_page(on_date, number)}


def register_document(on_date: dt.date, imy_case_number: str = "") -> RegisterDocument:
    """The texts and rows of the register PDF as of `on_date` (translated to the active language)."""
    context = register_context(on_date)
    organisation = context["organisation"]
    intro = [
        f"{organisation.municipality_name} · {gettext('Personuppgiftsansvarig')}: {organisation.controller_board}"
        f" · {gettext('per')} {on_date.isoformat()} · {gettext('utskriven')} {context['generated_on'].isoformat()}"
    ]
    if imy_case_number:
        intro.append(
            gettext("Lämnad till Integritetsskyddsmyndigheten på begäran, IMY:s diarienummer %(imy_case_number)s.")
            % {"imy_case_number": imy_case_number}
        )
    if context["before_regime"]:
        intro.append(
            gettext(
                "Skyldigheten att föra förteckning gäller från %(date)s. För tidigare datum visas hur förteckningen skulle ha sett ut."
            )
            % {"date": NEW_REGIME_FROM.isoformat()}
        )
    page = gettext("Sida")
    return RegisterDocument(
        marking=context["marking"],
        title=gettext("Förteckning över kamerabevakning enligt 10 § kamerabevakningslagen"),
        intro=intro,
        columns=context["columns"],
        rows=[row.as_list() for row in context["rows"]],
        empty_text=gettext("Ingen bevakning att redovisa."),
        closing=gettext(
            "Förteckningen skapas ur kamerorna och deras senast godkända intresseavvägning. Avslutad bevakning redovisas i fem år efter att den upphörde."
        ),
        page_label=lambda number, pages: f"{page} {number} / {pages}",
    )


def register_pdf(
    on_date: dt.date, imy_case_number: str = "", progress: Callable[[int, int], None] | None = None
) -> bytes:
    """The register as of `on_date` as PDF bytes (`trygg.compliance.register_document`, A4 landscape).

    `progress(page, pages)` is called as each page is drawn (the background job passes its own)."""
    return render_register(register_document(on_date, imy_case_number), progress=progress)


def log_register_export(kind: str, on_date: dt.date, user: Any = None, imy_case_number: str = "") -> None:
    """Record an export of the register in the change log (the IMY request export names IMY's case)."""
    record = ProcessingRecord.objects.order_by("pk").first()
    subject = record or Organisation.objects.order_by("pk").first()
    if subject is None:
        return
    event = "register.imy_request" if imy_case_number else "register.exported"
    record_event(
        subject,
        event,
        {"format": kind, "as_of": on_date.isoformat(), "imy_case_number": imy_case_number},
        message=imy_case_number,
    )


#
# The art. 30 record of processing
#


# Where a part of the art. 30 record comes from.
SOURCE_WRITTEN = "written"  # written by a person in the record (ProcessingRecord)
SOURCE_CAMERAS = "cameras"  # generated from the cameras in operation or paused on the date
SOURCE_SETTINGS = "settings"  # from the organisation's settings


@dataclass
class ProcessingSummary:
    """The art. 30 record for camera surveillance: what people decided and what the cameras say."""

    record: ProcessingRecord | None
    organisation: Organisation
    on_date: dt.date
    camera_count: int
    purposes: list[str]
    data_subjects: list[str]
    data_categories: list[str]
    retention: str

    def as_rows(self) -> list[tuple[str, str]]:
        """(label, content) in the order of art. 30.1 a–g."""
        return [(label, value) for label, value, _source in self.as_sourced_rows()]

    def as_sourced_rows(self) -> list[tuple[str, str, str]]:
        """(label, content, source): where each part comes from (`SOURCE_*`), so the page can say which
        parts are written by a person and which are generated from the cameras and the settings."""
        record = self.record
        missing = gettext("ej angivet")
        organisation = self.organisation
        dpo = ", ".join(v for v in (organisation.dpo_name, organisation.dpo_email, organisation.dpo_phone) if v)
        return [
            (
                gettext("Behandling"),
                record.name if record else gettext("Kamerabevakning – trygghetskameror"),
                SOURCE_WRITTEN,
            ),
            (
                gettext("a) Personuppgiftsansvarig och kontaktuppgifter"),
                "; ".join(
                    v
                    for v in (
                        organisation.controller_board,
                        organisation.municipality_name,
                        record.controller_contact if record else missing,
                    )
                    if v
                ),
                SOURCE_WRITTEN,
            ),
            (
                gettext("Gemensamt personuppgiftsansvariga"),
                (record.joint_controllers if record else "") or "–",
                SOURCE_WRITTEN,
            ),
            (gettext("Dataskyddsombud"), dpo or missing, SOURCE_SETTINGS),
            (gettext("b) Ändamål"), "; ".join(self.purposes) or missing, SOURCE_CAMERAS),
            (gettext("Rättslig grund"), record.legal_basis if record else missing, SOURCE_WRITTEN),
            (gettext("c) Kategorier av registrerade"), ", ".join(self.data_subjects) or missing, SOURCE_CAMERAS),
            (gettext("c) Kategorier av personuppgifter"), ", ".join(self.data_categories), SOURCE_CAMERAS),
            (gettext("d) Mottagare"), record.recipients if record else missing, SOURCE_WRITTEN),
            (
                gettext("e) Överföring till tredjeland"),
                record.third_country_transfers if record else missing,
                SOURCE_WRITTEN,
            ),
            (gettext("f) Tidsfrister för radering"), self.retention, SOURCE_CAMERAS),
            (
                gettext("g) Tekniska och organisatoriska säkerhetsåtgärder"),
                record.security_measures if record else missing,
                SOURCE_WRITTEN,
            ),
            (
                gettext("Telefon för information"),
                (record.information_phone if record else "") or "–",
                SOURCE_WRITTEN,
            ),
            (gettext("Antal kameror i drift eller pausade"), str(self.camera_count), SOURCE_CAMERAS),
        ]


def processing_summary(on_date: dt.date) -> ProcessingSummary:
    """The art. 30 record for camera surveillance on `on_date`, generated from the cameras (R4.4)."""
    from trygg.cameras.services import cameras_with_state_on

    organisation = Organisation.current()
    record = ProcessingRecord.objects.filter(controller_board=organisation.controller_board).first()
    from django.db.models import Count

    from trygg.sites.choices import SCHOOL_KINDS

    # One GROUP BY over the cameras in operation or paused on the date (their state comes from a
    # subquery per camera, so it is computed once, not once per question): the few distinct
    # combinations of what the record needs, with how many cameras have each.
    cameras = cameras_with_state_on(on_date, Camera.objects.all()).filter(state_on_date__in=ONGOING_STATES)
    combinations = list(
        cameras.order_by()
        .values("purpose", "retention_hours", "records_sound", "captures_staff_workplace", "site__kind")
        .annotate(n=Count("pk"))
    )
    purposes = sorted({c["purpose"].strip() for c in combinations if c["purpose"].strip()})
    subjects = [gettext("allmänheten och besökare")]
    if any(c["site__kind"] in SCHOOL_KINDS for c in combinations):
        subjects.append(gettext("elever och barn"))
    if any(c["captures_staff_workplace"] or c["site__kind"] == "municipal_building" for c in combinations):
        subjects.append(gettext("personal"))
    categories = [gettext("bild"), gettext("tid och plats för inspelningen")]
    if any(c["records_sound"] for c in combinations):
        categories.insert(1, gettext("ljud"))
    hours = sorted({c["retention_hours"] for c in combinations})
    if not hours:
        retention = gettext("inga kameror i drift")
    elif len(hours) == 1:
        retention = gettext("inspelningar raderas efter %(hours)s timmar") % {"hours": hours[0]}
    else:
        retention = gettext("inspelningar raderas efter %(low)s–%(high)s timmar beroende på kamera") % {
            "low": hours[0],
            "high": hours[-1],
        }
    return ProcessingSummary(
        record=record,
        organisation=organisation,
        on_date=on_date,
        camera_count=sum(c["n"] for c in combinations),
        purposes=purposes,
        data_subjects=subjects,
        data_categories=categories,
        retention=retention,
    )


def processing_csv(on_date: dt.date) -> str:
    header = [gettext("Uppgift enligt art. 30 dataskyddsförordningen"), gettext("Innehåll")]
    return csv_text([header, *processing_summary(on_date).as_rows()])
