"""`trygg send_reminders`: today's e-mail reminders, one e-mail per user (run daily by cron or a timer).

    trygg send_reminders                     # today (Europe/Stockholm)
    trygg send_reminders --date 2025-12-20   # as if it were that day
    trygg send_reminders --dry-run           # show who would get what; send and log nothing

A reminder already sent (same user, thing and due date) is never sent again, so running the command
twice a day, or on several servers, sends nothing twice. Exits with status 1 if any e-mail failed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from trygg.notifications.services import send_reminders


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            gettext("--date: %(value)s är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-12-20.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = "Skickar dagens påminnelser per e-post: tidsfrister, översyner, skyltinspektioner och beslutskön."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Dagen att skicka för, ÅÅÅÅ-MM-DD (standard: i dag).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vem som skulle få vad; skicka och spara ingenting."
        )

    def handle(self, *args: Any, date: str | None = None, dry_run: bool = False, **options: Any) -> None:
        today = _date(date) if date else timezone.localdate()
        if dry_run:
            self.stdout.write(gettext("Provkörning: ingenting skickas eller sparas."))
        report = send_reminders(today, dry_run=dry_run, progress=self.stdout.write)
        if dry_run:
            for outcome in report.sent:
                for item in outcome.items:
                    self.stdout.write(f"  {outcome.username}: {item.due_on:%Y-%m-%d} {item.title} {item.url}")
        summary = ngettext(
            "%(date)s: %(count)s e-postmeddelande", "%(date)s: %(count)s e-postmeddelanden", len(report.sent)
        ) % {"date": today.isoformat(), "count": len(report.sent)}
        self.stdout.write(self.style.SUCCESS(summary))
        if report.without_address:
            self.stderr.write(
                gettext("Utan e-postadress (inget skickat): %(users)s")
                % {"users": ", ".join(o.username for o in report.without_address)}
            )
        if report.failed:
            raise CommandError(
                ngettext(
                    "%(count)s e-postmeddelande kunde inte skickas: %(users)s",
                    "%(count)s e-postmeddelanden kunde inte skickas: %(users)s",
                    len(report.failed),
                )
                % {"count": len(report.failed), "users": ", ".join(o.username for o in report.failed)}
            )
