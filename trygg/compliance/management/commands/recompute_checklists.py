"""`trygg recompute_checklists`: recompute every camera's stored checklist as of today (run it nightly)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext

from trygg.compliance.stored import recompute_all


class Command(BaseCommand):
    help = "Räknar om alla kamerors sparade checklistor per i dag (kör varje natt)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = recompute_all()
        self.stdout.write(
            gettext("%(count)s checklistor beräknade per %(date)s på %(seconds).1f s.")
            % {"count": count, "date": timezone.localdate().isoformat(), "seconds": time.perf_counter() - started}
        )
