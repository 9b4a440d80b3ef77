"""`trygg restore ARCHIVE [--force]`: put back a backup made by `trygg backup` (see trygg.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from trygg.core import backup
from trygg.core.cli import SwedishCommand


class Command(SwedishCommand):
    help = _("Återställer databasen och de uppladdade filerna från en säkerhetskopia gjord med trygg backup.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help=_("Säkerhetskopian (trygg-backup-….tar.gz)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Skriv över en databas eller mapp för uppladdade filer som inte är tom."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore(options["archive"], force=options["force"])
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            _("Återställt från säkerhetskopian gjord %(created)s: databasen och %(files)s uppladdade filer.")
            % {"created": manifest["created"], "files": restored.media_files}
        )
        if restored.kept_database:
            self.stdout.write(_("Den tidigare databasen finns kvar i %(path)s.") % {"path": restored.kept_database})
        if restored.kept_media:
            self.stdout.write(_("De tidigare filerna finns kvar i %(path)s.") % {"path": restored.kept_media})
        self.stdout.write(_("Kontrollera ändringsloggen nu: trygg audit verify"))
