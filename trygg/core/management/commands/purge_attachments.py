"""`trygg purge_attachments [--dry-run]`: remove attachment files under MEDIA_ROOT that no attachment points to.

Such files are left when a transaction that stored a file was rolled back, or a file could not be
removed when its attachment was deleted. Only the attachments' own folder (MEDIA_ROOT/bilagor/) is
searched; files younger than `--min-age` minutes are left, since an upload may still be committing.
Attachments whose file is missing are listed too (they are not changed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, ngettext

from trygg.core.models import Attachment

ATTACHMENT_FOLDER = "bilagor"


def orphaned_files(media_root: Path, min_age: dt.timedelta, now: dt.datetime) -> list[Path]:
    """Files under `media_root`/bilagor/ that no Attachment row names, older than `min_age` (sorted)."""
    folder = media_root / ATTACHMENT_FOLDER
    if not folder.is_dir():
        return []
    known = set(Attachment.objects.values_list("file", flat=True).iterator())
    cutoff = (now - min_age).timestamp()
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(media_root).as_posix() not in known and path.stat().st_mtime <= cutoff
    )


def missing_files(media_root: Path) -> list[Attachment]:
    """Attachments whose file is not on disk."""
    return [
        attachment
        for attachment in Attachment.objects.only("pk", "file", "original_name").order_by("pk").iterator()
        if not (media_root / attachment.file.name).is_file()
    ]


class Command(BaseCommand):
    help = "Tar bort filer under MEDIA_ROOT/bilagor/ som ingen bilaga pekar på (med --dry-run bara en lista)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Lista filerna utan att ta bort dem.")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="Rör inte filer som är yngre än så många minuter (standard 60).",
        )

    def handle(self, *args: Any, dry_run: bool = False, min_age: int = 60, **options: Any) -> None:
        media_root = Path(settings.MEDIA_ROOT)
        now = dt.datetime.now(tz=dt.UTC)
        orphans = orphaned_files(media_root, dt.timedelta(minutes=min_age), now)
        for path in orphans:
            name = path.relative_to(media_root).as_posix()
            if dry_run:
                self.stdout.write(gettext("Skulle ta bort %(file)s") % {"file": name})
            else:
                path.unlink(missing_ok=True)
                self.stdout.write(gettext("Tog bort %(file)s") % {"file": name})
        for attachment in missing_files(media_root):
            self.stderr.write(
                gettext("Bilaga %(pk)s (”%(name)s”) saknar sin fil %(file)s.")
                % {"pk": attachment.pk, "name": attachment.original_name, "file": attachment.file.name}
            )
        count = len(orphans)
        summary = (
            ngettext(
                "%(count)s fil utan bilaga hittades (inget togs bort).",
                "%(count)s filer utan bilaga hittades (inget togs bort).",
                count,
            )
            if dry_run
            else ngettext("%(count)s fil utan bilaga togs bort.", "%(count)s filer utan bilaga togs bort.", count)
        )
        self.stdout.write(summary % {"count": count})
