"""Drafting, freezing and rendering the board report.

- `redraft` fills the sections from the data as of the report's date, keeping every section the
  officer has edited since the last draft.
- `freeze` stores a `BoardReportVersion`: the facts (`ReportContext` as JSON) and the document
  (metadata, sections, signatories, recipients) as they were when the report was sent.
- `render_docx`, `render_pdf` and `render_annex_pdf` make the files from a context and a document,
  so a frozen version renders the same content at any later time. The DOCX comes from a Word
  template the municipality can replace (TRYGG_REPORT_TEMPLATE); the PDF is PDF/A-2b from HTML.
- The public report gives counts per site kind and area only. Exact placements go to a separate
  annex marked secret under OSL 18 kap. 8 §, for staff who see all sites.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from trygg.core.audit import record_event
from trygg.programme.charts import ChartText, chart_png, chart_svg
from trygg.reports import drafting
from trygg.reports.choices import ReportStatus
from trygg.reports.context import build_context
from trygg.reports.drafting import ReportContext
from trygg.reports.glyphs import Coverage, Undrawable, parse_charset, undrawable
from trygg.reports.models import BoardReport, BoardReportVersion
from trygg.reports.template_tags import TagProblem, find_problem

# The board report is a Swedish public document, whatever language the officer's pages are in.
REPORT_LANGUAGE = "sv"
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "reports" / "tjansteutlatande.docx"


def template_path() -> Path:
    return Path(getattr(settings, "TRYGG_REPORT_TEMPLATE", "") or DEFAULT_TEMPLATE)


class ReportTemplateError(ValueError):
    """The Word template cannot be used; the message (Swedish) names the file and the broken tag."""


def _problem_text(problem: TagProblem) -> str:
    if problem.kind == "unclosed":
        return gettext("taggen ”%(tag)s” avslutas aldrig (”%(expected)s” saknas)") % {
            "tag": problem.tag,
            "expected": problem.expected,
        }
    if problem.kind == "mismatched":
        return gettext("taggen ”%(tag)s” avslutas med fel tagg (den ska avslutas med ”%(expected)s”)") % {
            "tag": problem.tag,
            "expected": problem.expected,
        }
    if problem.kind == "unopened":
        return gettext("taggen ”%(tag)s” avslutar något som aldrig har börjat") % {"tag": problem.tag}
    if problem.kind == "misplaced":
        return gettext("taggen ”%(tag)s” står utanför ett {%% if %%} eller {%% for %%}") % {"tag": problem.tag}
    return gettext("taggen ”%(tag)s” är felskriven (Jinja: %(detail)s)") % {
        "tag": problem.tag or "?",
        "detail": problem.detail,
    }


def template_parts(template: Any) -> list[str]:
    """The texts Jinja reads in a loaded DocxTemplate: the body, then each header and footer."""
    parts = [template.patch_xml(template.get_xml())]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        parts += [template.patch_xml(template.get_part_xml(part)) for _key, part in template.get_headers_footers(uri)]
    return parts


def check_template(path: Path) -> None:
    """Refuse a Word template that cannot be filled in: ReportTemplateError (Swedish) naming the file and tag.

    Run when the template is configured (system check `reports.E001`) and before each DOCX is made.
    """
    from docxtpl import DocxTemplate

    name = path.name
    if not path.is_file():
        raise ReportTemplateError(
            gettext("Word-mallen ”%(file)s” finns inte (%(path)s).") % {"file": name, "path": path}
        )
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
        parts = template_parts(template)
    except Exception as exc:  # python-docx raises many kinds (zip, XML, package) for a file that is not a .docx
        raise ReportTemplateError(
            gettext("Word-mallen ”%(file)s” kan inte öppnas: den är ingen Word-fil (.docx).") % {"file": name}
        ) from exc
    for part in parts:
        problem = find_problem(part)
        if problem is not None:
            raise ReportTemplateError(
                gettext("Word-mallen ”%(file)s” kan inte användas: %(problem)s.")
                % {"file": name, "problem": _problem_text(problem)}
            )


def draft(report: BoardReport, context: ReportContext | None = None) -> dict[str, str]:
    context = context or build_context(report)
    with translation.override(REPORT_LANGUAGE):
        return drafting.draft_sections(
            context, report.include_data_protection, gettext, include_effect=report.include_effect
        )


def merge_drafts(report: BoardReport, fresh: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The report's sections with `fresh` text wherever the officer has not edited the last draft."""
    sections = dict(report.sections)
    kept = []
    for key, text in fresh.items():
        current = sections.get(key)
        if current is None or current == report.drafted.get(key) or not current.strip():
            sections[key] = text
        elif current != text:
            kept.append(key)
    return sections, kept


@transaction.atomic
def redraft(report: BoardReport) -> list[str]:
    """Draft again from the data; returns the keys of the edited sections that were kept."""
    fresh = draft(report)
    report.sections, kept = merge_drafts(report, fresh)
    report.drafted = fresh
    report.save()
    return kept


def document_data(report: BoardReport, sections: dict[str, str] | None = None) -> dict[str, Any]:
    """The document as it is sent: metadata, section texts, signatories and recipients (JSON-ready)."""
    sections = report.sections if sections is None else sections
    keys = drafting.section_keys(report.include_data_protection, report.include_effect)
    return {
        "title": report.title,
        "case_number": report.case_number,
        "report_date": report.report_date.isoformat(),
        "as_of": report.as_of.isoformat(),
        "recipient_body": report.recipient_body,
        "proposing_body": report.proposing_body,
        "office": report.office,
        "unit": report.unit,
        "section_keys": keys,
        "sections": {key: sections.get(key, "") for key in keys},
        "signatories": report.signatory_list(),
        "recipients": report.recipient_list(),
    }


def person_name(user: Any) -> str:
    """The person's full name as the locked version shows it; the user name only if no name is recorded."""
    return (user.get_full_name() or user.get_username())[:150]


def title_for(report: BoardReport, user: Any) -> str:
    """The title to suggest when `user` locks `report`: theirs among the signatories, else the one they last gave."""
    name = person_name(user)
    for signatory in report.signatory_list():
        if signatory["name"].casefold() == name.casefold():
            return signatory["title"]
    last = (
        BoardReportVersion.objects.filter(frozen_by=user)
        .exclude(frozen_by_title="")
        .order_by("-created_at", "-pk")
        .values_list("frozen_by_title", flat=True)
        .first()
    )
    return last or ""


@transaction.atomic
def freeze(report: BoardReport, user: Any = None, title: str = "") -> BoardReportVersion:
    """Lock the report and store the data and the text as they are now, with who locked it (name, title)."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    if report.is_frozen:
        raise ValueError("already frozen")
    report.full_clean()
    context = build_context(report)
    last = report.versions.order_by("-version").values_list("version", flat=True).first() or 0
    signed_in = getattr(user, "is_authenticated", False)
    name, title = (person_name(user) if signed_in else ""), title.strip()[:150]
    version = BoardReportVersion.objects.create(
        report=report,
        version=last + 1,
        frozen_by=user if signed_in else None,
        frozen_by_name=name,
        frozen_by_title=title,
        data=drafting.to_data(context),
        # Who locked it is part of the document as sent, so the files say it and never change afterwards
        # (versions locked before this was stored keep their "Version n, låst." line).
        document={**document_data(report), "frozen_by": f"{name}, {title}" if name and title else name},
    )
    report.status = ReportStatus.FROZEN
    report.save()
    record_event(report, "report.frozen", {"version": version.version, "case_number": report.case_number})
    return version


@transaction.atomic
def reopen(report: BoardReport) -> None:
    """Start a new version from a frozen one; the frozen versions stay as they are."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    report.status = ReportStatus.DRAFT
    report.save()
    record_event(report, "report.reopened", {"after_version": report.versions.count()})


def version_parts(version: BoardReportVersion) -> tuple[ReportContext, dict[str, Any]]:
    """A frozen version's context and its document as sent, with its number."""
    return drafting.from_data(version.data), {**version.document, "version": version.version}


def draft_parts(report: BoardReport) -> tuple[ReportContext, dict[str, Any]]:
    """A draft's context and document, with unedited sections drafted afresh from the data."""
    context = build_context(report)
    sections, _kept = merge_drafts(report, draft(report, context))
    return context, document_data(report, sections)


#
# Rendering
#


def _chart_text() -> ChartText:
    return ChartText(
        title=gettext("Antal bevakningskameror i drift"),
        value_label=gettext("I drift"),
        target_label=gettext("Målvärde"),
        y_label=gettext("Antal kameror"),
    )


def _shown_targets(context: ReportContext) -> dict[int, int]:
    years = {on.year for on, _value in context.series}
    return {year: value for year, value in context.targets if year in years}


def _signature_rows(signatories: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    empty = {"name": "", "title": "", "office": ""}
    padded = list(signatories) + ([empty] if len(signatories) % 2 else [])
    return [padded[i : i + 2] for i in range(0, len(padded), 2)]


def _captions(as_of: dt.date) -> dict[str, str]:
    """Captions of the year figure and table; at the year's end the last row is a turn of the year too."""
    values = {"date": drafting.long_date(as_of, gettext)}
    if (as_of.month, as_of.day) == (12, 31):
        return {
            "figure_caption": gettext(
                "Figur 1. Antal bevakningskameror i drift vid varje årsskifte, med årets målvärde."
            ),
            "series_caption": gettext("Tabell 1. Kameror i drift vid varje årsskifte, med årets målvärde."),
        }
    return {
        "figure_caption": gettext(
            "Figur 1. Antal bevakningskameror i drift vid varje årsskifte och den %(date)s, med årets målvärde."
        )
        % values,
        "series_caption": gettext("Tabell 1. Kameror i drift vid varje årsskifte och den %(date)s, med årets målvärde.")
        % values,
    }


def _version_note(version: int | None, frozen_by: str, as_of: Any) -> str:
    if not version:
        return gettext("Utkast. Uppgifterna gäller per %(date)s.") % {"date": as_of.isoformat()}
    if frozen_by:
        return gettext("Version %(version)s, låst av %(person)s. Uppgifterna gäller per %(date)s.") % {
            "version": version,
            "person": frozen_by,
            "date": as_of.isoformat(),
        }
    return gettext("Version %(version)s, låst. Uppgifterna gäller per %(date)s.") % {
        "version": version,
        "date": as_of.isoformat(),
    }


def _target_text(target: int | None) -> str:
    """The year's target as the tables show it; a dash where the year has none."""
    return "–" if target is None else str(target)


def document_context(context: ReportContext, document: dict[str, Any]) -> dict[str, Any]:
    """What both templates (DOCX and HTML) read; all words already in Swedish."""
    import datetime as dt

    titles = drafting.section_titles(gettext)
    version = document.get("version")
    report_date = dt.date.fromisoformat(document["report_date"])
    sections = [
        {
            "key": key,
            "title": titles[key],
            "paragraphs": drafting.paragraphs(document["sections"].get(key, "")),
            "figure": key == "matter",
        }
        for key in document["section_keys"]
    ]
    return {
        "municipality": context.municipality,
        "office": document["office"],
        "unit": document["unit"],
        "title": document["title"],
        "document_kind": gettext("Tjänsteutlåtande"),
        "case_label": gettext("Dnr"),
        "case_number": document["case_number"],
        "report_date": report_date.isoformat(),
        "as_of": context.as_of.isoformat(),
        "recipient_body": document["recipient_body"],
        "version_note": _version_note(version, document.get("frozen_by", ""), context.as_of),
        "sections": sections,
        **_captions(context.as_of),
        "count_caption": gettext("Tabell 2. Kameror i drift den %(date)s per typ av plats och per område.")
        % {"date": drafting.long_date(context.as_of, gettext)},
        "series_date_heading": gettext("Datum"),
        "series_value_heading": gettext("I drift"),
        "series_target_heading": gettext("Målvärde för året"),
        "site_kind_heading": gettext("Typ av plats"),
        "area_kind_heading": gettext("Område"),
        "count_heading": gettext("Antal i drift"),
        "by_site_kind": [{"label": line.label, "count": line.count} for line in context.by_site_kind],
        "by_area_kind": [{"label": line.label, "count": line.count} for line in context.by_area_kind],
        "series": [
            {"on": on.isoformat(), "value": value, "target": _target_text(dict(context.targets).get(on.year))}
            for on, value in context.series
        ],
        "signature_rows": _signature_rows(document["signatories"]),
        "signatories": document["signatories"],
        "recipients_title": gettext("Beslut skickas till"),
        "recipients": document["recipients"],
        "annex_title": gettext("Bilaga"),
        "annex_note": gettext(
            "Bilaga 1. Kameraplaceringar. Bilagan kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och "
            "sekretesslagen och lämnas inte ut utan sekretessprövning."
        ),
        "page_label": gettext("Sida"),
        "page_of": gettext("av"),
    }


def render_docx(context: ReportContext, document: dict[str, Any]) -> bytes:
    """The DOCX from the Word template; ReportTemplateError (Swedish, naming file and tag) if it cannot be used."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError

    path = template_path()
    with translation.override(REPORT_LANGUAGE):
        check_template(path)
        values = document_context(context, document)
        png = chart_png(list(context.series), _shown_targets(context), _chart_text())
        template = DocxTemplate(str(path))
        values["chart"] = InlineImage(template, io.BytesIO(png), width=Mm(155))
        try:
            template.render(values, autoescape=True)
        except TemplateError as error:
            # Readable, but a tag fails with the values (e.g. a filter that does not exist).
            raise ReportTemplateError(
                gettext("Word-mallen ”%(file)s” kan inte fyllas i: %(detail)s.")
                % {"file": path.name, "detail": error.message or type(error).__name__}
            ) from error
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _pdf(template: str, values: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, values)
    return HTML(string=html, base_url=str(Path(__file__).resolve().parent)).write_pdf(
        pdf_variant="pdf/a-2b", pdf_tags=True
    )


def render_pdf(context: ReportContext, document: dict[str, Any]) -> bytes:
    """The public report as archival PDF/A-2b: counts only, never placements."""
    with translation.override(REPORT_LANGUAGE):
        values = document_context(context, document)
        # As an image: the SVG keeps its text as text, and its own styles stay out of the page's CSS.
        values["chart_uri"] = data_uri(chart_svg(list(context.series), _shown_targets(context), _chart_text()))
        values["chart_alt"] = gettext(
            "Diagram: antal bevakningskameror i drift. Samma siffror finns i tabellen under diagrammet."
        )
        return _pdf("reports/report_pdf.html", values)


def secrecy_marking() -> str:
    return gettext("SEKRETESS enligt 18 kap. 8 § offentlighets- och sekretesslagen (OSL)")


def render_annex_pdf(context: ReportContext, document: dict[str, Any]) -> bytes:
    """The annex with exact placements, marked secret (OSL 18 kap. 8 §)."""
    with translation.override(REPORT_LANGUAGE):
        values = document_context(context, document)
        values["marking"] = secrecy_marking()
        values["placements"] = context.placements
        return _pdf("reports/annex_pdf.html", values)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


#
# Characters the PDF/A cannot draw
#


@functools.cache
def font_coverage() -> Coverage | None:
    """What the installed fonts cover, from fontconfig (which WeasyPrint draws with); None without fc-list.

    Every installed font counts, since WeasyPrint falls back to any font that has a character.
    Cached for the process: fonts are installed with the system, not while Trygg runs.
    """
    program = shutil.which("fc-list")
    if program is None:
        return None
    listing = subprocess.run(  # noqa: S603 - fixed program and arguments, no user input
        [program, "--format", "%{charset}\n"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    return Coverage(pair for line in listing.splitlines() for pair in parse_charset(line))


def report_texts(report: BoardReport) -> list[tuple[str, str]]:
    """(place, text) for everything the PDF prints from the report: sections by title, then metadata by label."""
    titles = drafting.section_titles(gettext)
    document = document_data(report)
    texts = [(titles[key], document["sections"][key]) for key in document["section_keys"]]
    for field in ("title", "case_number", "recipient_body", "proposing_body", "office", "unit", "signatories"):
        texts.append((str(BoardReport._meta.get_field(field).verbose_name).capitalize(), getattr(report, field)))
    texts.append((str(BoardReport._meta.get_field("recipients").verbose_name).capitalize(), report.recipients))
    return texts


def undrawable_characters(report: BoardReport) -> list[Undrawable] | None:
    """The characters of the report no installed font can draw (blank boxes in the PDF/A); None if unknown."""
    coverage = font_coverage()
    if coverage is None:
        return None
    return undrawable(report_texts(report), coverage)
