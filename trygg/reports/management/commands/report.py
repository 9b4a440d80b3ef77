"""`trygg report --as-of 2024-10-29 --out DIR`: the board report as DOCX and PDF/A, drafted from the data.

Uses the report with that date (or the year's latest); the sections the officer has edited are
kept, the rest are drafted from the data as of the date. `--frozen-version N` renders a frozen version
exactly as it was frozen. `--format docx` or `--format pdf` writes one of the two files. The annex with
exact placements is written only with `--annex`. Every wrong argument is answered in Swedish.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext

from trygg.core.cli import SwedishCommand
from trygg.programme.models import Assignment
from trygg.reports import services
from trygg.reports.models import BoardReport
from trygg.reports.views import _filename

FORMATS = ("alla", "docx", "pdf")
FIRST_YEAR, LAST_YEAR = 2000, 2100  # as the programme's years (trygg.programme.models.YEAR_VALIDATORS)


def parse_as_of(value: str | None) -> dt.date:
    """The `--as-of` date; CommandError (Swedish) if missing, not ÅÅÅÅ-MM-DD or outside the programme's years."""
    if not value:
        raise CommandError(gettext("Ange --as-of, dagen uppgifterna gäller, som ÅÅÅÅ-MM-DD, t.ex. 2024-10-29."))
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            gettext("--as-of: ”%(value)s” är inget datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2024-10-29.") % {"value": value}
        ) from exc
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise CommandError(
            gettext("--as-of: året %(year)s ligger utanför %(first)s–%(last)s.")
            % {"year": date.year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return date


def parse_version(value: str | None) -> int:
    """The `--frozen-version` number (0 when not given); CommandError (Swedish) unless a whole number ≥ 1."""
    if value is None:
        return 0
    if not value.strip().isdigit() or int(value) < 1:
        raise CommandError(
            gettext("--frozen-version: ”%(value)s” är inget versionsnummer. Skriv ett heltal, t.ex. 1.")
            % {"value": value}
        )
    return int(value)


def parse_format(value: str) -> str:
    if value not in FORMATS:
        raise CommandError(
            gettext("--format: ”%(value)s” är inget känt format. Välj något av: %(formats)s.")
            % {"value": value, "formats": ", ".join(FORMATS)}
        )
    return value


def prepare_out(value: str | None) -> Path:
    """The folder to write in, created if missing; CommandError (Swedish) if it cannot be."""
    if not value:
        raise CommandError(gettext("Ange --out, mappen filerna ska skrivas i."))
    out = Path(value)
    if out.exists() and not out.is_dir():
        raise CommandError(gettext("--out: ”%(path)s” är en fil, inte en mapp.") % {"path": out})
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(
            gettext("--out: mappen ”%(path)s” kan inte skapas (%(reason)s).") % {"path": out, "reason": exc.strerror}
        ) from exc
    return out


class Command(SwedishCommand):
    help = "Skriver tjänsteutlåtandet (uppdragsrapporteringen) som DOCX och PDF/A, skrivet ur data per ett datum."

    def add_arguments(self, parser: CommandParser) -> None:
        # Values are read as text and checked in handle(), so a wrong one gets a Swedish message.
        parser.add_argument("--as-of", help="Uppgifterna per datum, ÅÅÅÅ-MM-DD (krävs).")
        parser.add_argument("--out", help="Mapp att skriva filerna i, skapas vid behov (krävs).")
        parser.add_argument("--case", default="", help="Diarienummer, t.ex. ”KS 2024/0123” (valfritt).")
        parser.add_argument(
            "--frozen-version", dest="frozen_version", help="Skriv ut en låst version (nummer) i stället för utkastet."
        )
        parser.add_argument("--format", default="alla", help="docx, pdf eller alla (förval: alla).")
        parser.add_argument(
            "--annex", action="store_true", help="Skriv även bilagan med kameraplaceringar (sekretess, OSL 18:8)."
        )

    def _report(self, as_of: dt.date, case: str) -> BoardReport:
        reports = BoardReport.objects.select_related("assignment", "reporting_point")
        if case:
            report = reports.filter(case_number=case).first()
            if report is None:
                raise CommandError(
                    gettext("--case: inget tjänsteutlåtande har diarienummer ”%(case)s”.") % {"case": case}
                )
        else:
            report = reports.filter(as_of=as_of).order_by("-pk").first() or (
                reports.filter(year=as_of.year).order_by("-as_of", "-pk").first()
            )
        if report is None:
            assignment = Assignment.objects.order_by("-plan_year", "pk").first()
            if assignment is None:
                raise CommandError(gettext("Det finns inget uppdrag att rapportera."))
            report = BoardReport(
                assignment=assignment,
                title=gettext("Uppdragsrapportering – %(title)s") % {"title": assignment.title},
                year=as_of.year,
                as_of=as_of,
                report_date=as_of,
                case_number="",
            )
        report.as_of = as_of
        report.report_date = max(report.report_date, as_of)
        return report

    def _frozen_parts(self, report: BoardReport, number: int, as_of: dt.date) -> tuple[Any, dict[str, Any]]:
        if report.pk is None:
            raise CommandError(
                gettext(
                    "--frozen-version: det finns inget sparat tjänsteutlåtande för %(year)s, så ingen låst version. "
                    "Ange --case med diarienumret."
                )
                % {"year": as_of.year}
            )
        numbers = list(report.versions.order_by("version").values_list("version", flat=True))
        if number not in numbers:
            existing = ", ".join(str(n) for n in numbers) or gettext("inga")
            raise CommandError(
                gettext("--frozen-version: %(case)s har ingen version %(number)s. Låsta versioner: %(existing)s.")
                % {"case": report.case_number, "number": number, "existing": existing}
            )
        return services.version_parts(report.versions.get(version=number))

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_as_of(options["as_of"])
        number = parse_version(options["frozen_version"])
        kind = parse_format(options["format"])
        out = prepare_out(options["out"])
        report = self._report(as_of, options["case"])
        if number:
            context, document = self._frozen_parts(report, number, as_of)
        else:
            context, document = services.draft_parts(report)
            for item in services.undrawable_characters(report) or []:
                self.stderr.write(
                    gettext("Varning: ”%(character)s” (%(code)s) i ”%(place)s” kan inte visas i PDF/A-filen.")
                    % {"character": item.character, "code": item.code_point, "place": item.place}
                )
        base = _filename(document["case_number"], "")
        files = []
        try:
            if kind in ("alla", "docx"):
                files.append((out / f"{base}.docx", services.render_docx(context, document)))
            if kind in ("alla", "pdf"):
                files.append((out / f"{base}.pdf", services.render_pdf(context, document)))
        except services.ReportTemplateError as error:
            raise CommandError(str(error)) from error
        if options["annex"]:
            files.append((out / f"{base}-bilaga-sekretess.pdf", services.render_annex_pdf(context, document)))
        for path, content in files:
            path.write_bytes(content)
            self.stdout.write(str(path))
