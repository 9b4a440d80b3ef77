"""`trygg backup [--out DIR]`: the database and the uploaded files in one archive (see trygg.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from trygg.core import backup
from trygg.core.cli import SwedishCommand


class Command(SwedishCommand):
    help = _("Säkerhetskopierar databasen och de uppladdade filerna till ett arkiv med manifest och kontrollsummor.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help=_("Mapp för arkivet (standard: TRYGG_BACKUP_DIR eller backups i Tryggs datamapp)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup.create(options["out"])
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        files = len(archive.manifest["files"]) - 1
        self.stdout.write(
            _(
                "Säkerhetskopian är skriven: %(path)s (databas och %(files)s uppladdade filer, %(entries)s poster i ändringsloggen)."
            )
            % {"path": archive.path, "files": files, "entries": archive.manifest["change_log"]["entries"]}
        )
