"""`trygg cameras_in_operation --date 2024-10-29`: the indicator "antal kameror i drift" on given dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.services import cameras_in_operation


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            gettext("Ogiltigt datum %(value)s: skriv ÅÅÅÅ-MM-DD, t.ex. 2024-10-29.") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = "Antal kameror i drift vid dagens slut för ett eller flera datum, räknat från statusändringarna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            dest="dates",
            action="append",
            default=[],
            help="Datum ÅÅÅÅ-MM-DD (kan upprepas). Standard: i dag.",
        )

    def handle(self, *args: Any, dates: list[str], **options: Any) -> None:
        for on in [_date(d) for d in dates] or [timezone.localdate()]:
            self.stdout.write(f"{on.isoformat()}\t{cameras_in_operation(on)}")
