"""`trygg import_buildings "Kvisthamraskolan" byggnader.geojson --source baskarta`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from trygg.core.audit import audit_context
from trygg.sites.buildings import import_buildings
from trygg.sites.models import Site


class Command(BaseCommand):
    help = "Läser in byggnaders fotavtryck för en plats från en GeoJSON-fil (allt eller inget)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("site", help="Platsens namn, t.ex. Kvisthamraskolan.")
        parser.add_argument("file", type=Path, help="GeoJSON-fil med polygoner i WGS 84.")
        parser.add_argument("--source", default="import", help="Källans namn, t.ex. baskarta eller OpenStreetMap.")

    def handle(self, *args: Any, site: str, file: Path, source: str, **options: Any) -> None:
        found = Site.objects.filter(name=site).first()
        if found is None:
            raise CommandError(gettext("Platsen %(site)s finns inte.") % {"site": site})
        try:
            with audit_context(source="command:import_buildings"):
                result = import_buildings(found, file.read_bytes(), source)
        except OSError as error:
            raise CommandError(gettext("Filen kunde inte läsas: %(error)s") % {"error": error}) from error
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            gettext("%(created)s byggnader nya, %(updated)s uppdaterade för %(site)s.")
            % {"created": result.created, "updated": result.updated, "site": found}
        )
