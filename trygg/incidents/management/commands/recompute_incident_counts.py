"""`trygg recompute_incident_counts`: count every incident again into the stored counts the need pages
read, and store today's ranking with the default settings (run it nightly, so the ranking page's
first visit of the day need not compute it; after writing incidents without signals, run it at once)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from trygg.incidents import stored


class Command(BaseCommand):
    help = "Räknar om de sparade antalen händelser per plats och dagens rangordning av platser (kör varje natt)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--bara-rangordning",
            "--ranking-only",
            action="store_true",
            dest="ranking_only",
            help="Räkna bara om dagens rangordning (om antalen ändrats sedan den sparades).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if not options["ranking_only"]:
            count = stored.rebuild()
            self.stdout.write(gettext("%(count)s händelser räknade.") % {"count": count})
        stored.refresh_default_ranking()
        self.stdout.write(
            gettext("Rangordningen per i dag sparad; klart på %(seconds).1f s.")
            % {"seconds": time.perf_counter() - started}
        )
