"""`trygg audit verify`: check the change log's hash chain and report the first broken link.

Exits with status 0 when the chain is whole and 1 when it is broken (for cron and monitoring). Each
run is stored (`AuditVerification`) and shown on the history pages.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from trygg.core.audit import audit_context, verify_chain
from trygg.core.cli import SwedishCommand


class Command(SwedishCommand):
    help = _("Kontrollerar ändringsloggens hashkedja och anger den första brutna länken.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help=_("verify: kontrollera kedjan"))
        parser.add_argument(
            "--by", default="", help=_("Vem som kör kontrollen (standard: kommandot och systemanvändaren).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "?"
        checked_by = options["by"] or _("kommandot trygg audit verify (%(user)s)") % {"user": who}
        with audit_context(source="command", message=checked_by):
            verification = verify_chain(checked_by)
        if verification.ok:
            self.stdout.write(verification.summary())
            return
        self.stderr.write(verification.summary())
        raise SystemExit(1)
