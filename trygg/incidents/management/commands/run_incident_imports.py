"""The worker for queued incident imports (with TRYGG_IMPORT_IN_WORKER=true).

    trygg run_incident_imports           # keeps running, looks for work every 2 seconds
    trygg run_incident_imports --once    # runs what is queued now and stops

Several workers may run side by side: a run is claimed with a conditional update, so only one
of them takes it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from trygg.incidents.services import process_queue


class Command(BaseCommand):
    help = "Granskar och importerar köade filer med händelser."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Kör det som står i kö och avsluta.")
        parser.add_argument("--sleep", type=float, default=2.0, help="Sekunder mellan varje titt i kön.")

    def handle(self, *args: Any, once: bool = False, sleep: float = 2.0, **options: Any) -> None:
        while True:
            done = process_queue()
            if done:
                self.stdout.write(f"{done} pass klara.")
            if once:
                return
            time.sleep(sleep)
