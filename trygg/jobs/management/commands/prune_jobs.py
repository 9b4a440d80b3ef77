"""`trygg prune_jobs [--days N] [--dry-run]`: remove the files of jobs finished more than N days ago.

Also undoes what dead processes left (`trygg.jobs.recovery`), unless --dry-run.

N is TRYGG_JOB_FILES_DAYS (default 7). Run it once a day by cron or a systemd timer (README, *Bakgrundsjobb*).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from trygg.jobs import pruning, recovery


class Command(BaseCommand):
    help = "Tar bort filerna från bakgrundsjobb som avslutades för mer än N dagar sedan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Antal dagar (standard: TRYGG_JOB_FILES_DAYS).")
        parser.add_argument("--dry-run", action="store_true", help="Visa bara vad som skulle tas bort.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            days = settings.TRYGG_JOB_FILES_DAYS if options["days"] is None else options["days"]
            if days < 0:
                raise CommandError(gettext("Antalet dagar får inte vara negativt."))
            jobs = pruning.prunable(days, timezone.now())
            if not options["dry_run"]:
                # Daily, so also the place to undo what a dead process left (a worker recovers at its start).
                found = recovery.recover()
                if found.jobs or found.import_runs:
                    self.stdout.write(
                        gettext("Avbrutna jobb markerade som misslyckade: %(jobs)s; importer som togs bort: %(runs)s")
                        % {"jobs": len(found.jobs), "runs": len(found.import_runs)}
                    )
            if options["dry_run"]:
                for job in jobs:
                    self.stdout.write(f"{job.pk}\t{job.get_kind_display()}\t{job.result_name or '-'}")
                count = jobs.count()
                self.stdout.write(
                    ngettext(
                        "%(count)s jobb skulle rensas (avslutat för mer än %(days)s dagar sedan).",
                        "%(count)s jobb skulle rensas (avslutade för mer än %(days)s dagar sedan).",
                        count,
                    )
                    % {"count": count, "days": days}
                )
                return
            count = pruning.prune(jobs)
            self.stdout.write(
                ngettext(
                    "%(count)s jobb rensades (avslutat för mer än %(days)s dagar sedan).",
                    "%(count)s jobb rensades (avslutade för mer än %(days)s dagar sedan).",
                    count,
                )
                % {"count": count, "days": days}
            )
