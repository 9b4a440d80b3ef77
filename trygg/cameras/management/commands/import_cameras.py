"""`trygg import_cameras kameror.xlsx [--only-valid]`: existing cameras with their history from a file.

An OpenStreetMap file (.osm, .osm.pbf, Overpass .json) needs `--osm-state planerad` or
`--osm-state befintlig --osm-since 2019-05-20`: OSM has no dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext, ngettext

from trygg.cameras import imports
from trygg.core.audit import audit_context


class Command(BaseCommand):
    help = (
        "Läser in befintliga kameror med deras historik från en CSV- eller Excel-fil (allt eller inget, "
        "eller bara giltiga rader med --only-valid). Kameror vars beteckning redan finns lämnas orörda."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-fil (semikolon, decimalkomma) eller Excel-arbetsbok (.xlsx).")
        parser.add_argument(
            "--only-valid", action="store_true", help="Importera de giltiga raderna även om andra rader har fel."
        )
        parser.add_argument(
            "--osm-state",
            choices=["planerad", "befintlig"],
            default=None,
            help="För en OpenStreetMap-fil: kamerorna är planerade eller befintliga (i drift).",
        )
        parser.add_argument(
            "--osm-since", default=None, help="För befintliga kameror från OpenStreetMap: i drift sedan ÅÅÅÅ-MM-DD."
        )

    def handle(
        self,
        *args: Any,
        file: Path,
        only_valid: bool,
        osm_state: str | None = None,
        osm_since: str | None = None,
        **options: Any,
    ) -> None:
        from trygg.geo.osm_files import is_osm_file

        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(gettext("Filen kunde inte läsas: %(error)s") % {"error": error}) from error
        if is_osm_file(data, file.name):
            if osm_state is None:
                raise CommandError(
                    gettext("En OpenStreetMap-fil saknar datum: ange --osm-state planerad eller befintlig.")
                )
            try:
                since = dt.date.fromisoformat(osm_since) if osm_since else None
            except ValueError as error:
                raise CommandError(
                    gettext("--osm-since %(value)s är inget datum; skriv ÅÅÅÅ-MM-DD.") % {"value": osm_since}
                ) from error
            state = "existing" if osm_state == "befintlig" else "planned"
            preview = imports.preview_osm(data, file.name, state=state, since=since)
        else:
            preview = imports.preview_bytes(data, file.name)
        if preview.file_problem:
            raise CommandError(preview.file_problem)
        if preview.unused:
            self.stdout.write(
                gettext("Kolumner som inte används: %(columns)s") % {"columns": ", ".join(preview.unused)}
            )
        with audit_context(source="command:import_cameras", message=file.name):
            outcome = imports.import_cameras(preview, only_valid=only_valid)
        for number, messages in outcome.refused:
            for message in messages:
                self.stdout.write(gettext("Rad %(row)s: %(problem)s") % {"row": number, "problem": message})
        for identifier, findings in outcome.findings:
            for finding in findings:
                self.stdout.write(
                    gettext("%(camera)s, att åtgärda: %(finding)s") % {"camera": identifier, "finding": finding}
                )
        created, existing, refused = len(outcome.created), len(outcome.existing), len(outcome.refused)
        summary = ", ".join(
            [
                ngettext("%(n)s kamera ny", "%(n)s kameror nya", created) % {"n": created},
                ngettext("%(n)s fanns redan", "%(n)s fanns redan", existing) % {"n": existing},
                ngettext("%(n)s rad med fel.", "%(n)s rader med fel.", refused) % {"n": refused},
            ]
        )
        self.stdout.write(summary)
        if outcome.refused and not only_valid:
            raise CommandError(
                gettext("Inget importerades eftersom rader har fel. Rätta filen, eller kör med --only-valid.")
            )
