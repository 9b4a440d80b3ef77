"""`trygg import_buildings "Kvisthamraskolan" byggnader.geojson --source baskarta` (or an .osm/.osm.pbf file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from trygg.core.audit import audit_context
from trygg.core.geojson import message
from trygg.geo import GeoInputError
from trygg.geo.validation import normalise_crs
from trygg.sites.buildings import import_building_file
from trygg.sites.models import Site


class Command(BaseCommand):
    help = (
        "Läser in byggnaders fotavtryck för en plats från en GeoJSON-fil eller en OpenStreetMap-fil "
        "(.osm, .osm.pbf; byggnader inom 300 m från platsen), allt eller inget."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("site", help="Platsens namn, t.ex. Kvisthamraskolan.")
        parser.add_argument(
            "file",
            type=Path,
            help="GeoJSON-fil med polygoner (WGS 84 eller SWEREF 99, se --crs) eller OpenStreetMap .osm/.osm.pbf.",
        )
        parser.add_argument("--source", default="import", help="Källans namn, t.ex. baskarta eller OpenStreetMap.")
        parser.add_argument(
            "--crs",
            default=None,
            help="Filens koordinatsystem om den saknar crs-uppgift, t.ex. EPSG:3006 (SWEREF 99 TM). Standard WGS 84.",
        )

    def handle(self, *args: Any, site: str, file: Path, source: str, crs: str | None, **options: Any) -> None:
        found = Site.objects.filter(name=site).first()
        if found is None:
            raise CommandError(gettext("Platsen %(site)s finns inte.") % {"site": site})
        try:
            with audit_context(source="command:import_buildings"):
                chosen = normalise_crs(crs) if crs else None
                result = import_building_file(found, file.read_bytes(), file.name, source, crs=chosen)
        except OSError as error:
            raise CommandError(gettext("Filen kunde inte läsas: %(error)s") % {"error": error}) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        except GeoInputError as error:
            raise CommandError(message(error)) from error
        self.stdout.write(
            gettext("%(created)s byggnader nya, %(updated)s uppdaterade för %(site)s.")
            % {"created": result.created, "updated": result.updated, "site": found}
        )
        if result.left_out or result.incomplete:
            self.stdout.write(
                gettext(
                    "Ur OpenStreetMap-filen lästes inte %(left_out)s byggnader längre bort än 300 m från platsen "
                    "och %(incomplete)s som skurits av vid utdragets kant."
                )
                % {"left_out": result.left_out, "incomplete": result.incomplete}
            )
