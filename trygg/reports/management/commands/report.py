"""`trygg report --as-of 2024-10-29 --out DIR`: the board report as DOCX and PDF/A, drafted from the data.

Uses the report with that date (or the year's latest); the sections the officer has edited are
kept, the rest are drafted from the data as of the date. `--frozen-version N` renders a frozen version
exactly as it was frozen. The annex with exact placements is written only with `--annex`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.programme.models import Assignment
from trygg.reports import services
from trygg.reports.models import BoardReport
from trygg.reports.views import _filename


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ogiltigt datum {value!r}: skriv ÅÅÅÅ-MM-DD, t.ex. 2024-10-29.") from exc


class Command(BaseCommand):
    help = "Skriver tjänsteutlåtandet (uppdragsrapporteringen) som DOCX och PDF/A, skrivet ur data per ett datum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="Uppgifterna per datum, ÅÅÅÅ-MM-DD.")
        parser.add_argument("--out", required=True, help="Mapp att skriva filerna i (skapas vid behov).")
        parser.add_argument("--case", default="", help="Diarienummer, t.ex. ”KS 2024/0123” (valfritt).")
        parser.add_argument(
            "--frozen-version",
            dest="frozen_version",
            type=int,
            default=0,
            help="Skriv ut en låst version i stället för utkastet.",
        )
        parser.add_argument(
            "--annex", action="store_true", help="Skriv även bilagan med kameraplaceringar (sekretess, OSL 18:8)."
        )

    def _report(self, as_of: dt.date, case: str) -> BoardReport:
        reports = BoardReport.objects.select_related("assignment", "reporting_point")
        if case:
            report = reports.filter(case_number=case).first()
            if report is None:
                raise CommandError(f"Inget tjänsteutlåtande med diarienummer {case!r}.")
        else:
            report = reports.filter(as_of=as_of).order_by("-pk").first() or (
                reports.filter(year=as_of.year).order_by("-as_of", "-pk").first()
            )
        if report is None:
            assignment = Assignment.objects.order_by("-plan_year", "pk").first()
            if assignment is None:
                raise CommandError("Det finns inget uppdrag att rapportera.")
            report = BoardReport(
                assignment=assignment,
                title=f"Uppdragsrapportering – {assignment.title}",
                year=as_of.year,
                as_of=as_of,
                report_date=as_of,
                case_number="",
            )
        report.as_of = as_of
        report.report_date = max(report.report_date, as_of)
        return report

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["as_of"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        report = self._report(as_of, options["case"])
        if options["frozen_version"]:
            version = report.versions.filter(version=options["frozen_version"]).first() if report.pk else None
            if version is None:
                raise CommandError(f"Version {options['version']} finns inte.")
            context, document = services.version_parts(version)
        else:
            context, document = services.draft_parts(report)
        base = _filename(document["case_number"], "")
        files = [
            (out / f"{base}.docx", services.render_docx(context, document)),
            (out / f"{base}.pdf", services.render_pdf(context, document)),
        ]
        if options["annex"]:
            files.append((out / f"{base}-bilaga-sekretess.pdf", services.render_annex_pdf(context, document)))
        for path, content in files:
            path.write_bytes(content)
            self.stdout.write(str(path))
