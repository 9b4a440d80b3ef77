"""`trygg recompute_programme_effect`: evaluate every camera site and store the programme's effect, which
the programme page (`/utvardering/programmet/`) shows with the time it was computed (run it nightly,
after `recompute_incident_counts`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from trygg.evaluation import programme_store


class Command(BaseCommand):
    help = "Räknar om och sparar programmets effekt för sidan Programmets effekt (kör varje natt)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        effect = programme_store.recompute()
        self.stdout.write(
            gettext("Programmets effekt sparad för %(count)s platser; klart på %(seconds).1f s.")
            % {"count": effect.sites_total, "seconds": time.perf_counter() - started}
        )
