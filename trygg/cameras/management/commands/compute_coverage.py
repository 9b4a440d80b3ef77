"""`trygg compute_coverage`: recompute every camera's coverage and intrusion (all sites, or one)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext

from trygg.cameras.coverage import recompute
from trygg.cameras.models import Camera


class Command(BaseCommand):
    help = "Räknar om täckning och intrång för alla kameror (eller en plats) med rumsligt index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="Bara kameror på platsen med detta namn.")

    def handle(self, *args: Any, site: str | None = None, **options: Any) -> None:
        cameras = Camera.objects.order_by("site_id", "pk")
        if site:
            cameras = cameras.filter(site__name=site)
        started = time.perf_counter()
        problems: dict[int, str] = {}
        count = recompute(cameras, problems=problems)
        intruding = Camera.objects.filter(pk__in=cameras.values("pk")).exclude(intrusions=[]).count()
        self.stdout.write(
            gettext("%(count)s kameror beräknade på %(seconds).2f s; %(intruding)s med intrång i skyddade områden.")
            % {"count": count, "seconds": time.perf_counter() - started, "intruding": intruding}
        )
        # Cameras whose coverage could not be computed, and why; the others were computed as usual.
        names = dict(Camera.objects.filter(pk__in=problems).values_list("pk", "identifier"))
        for pk, problem in sorted(problems.items()):
            self.stdout.write(
                gettext("Kamera %(camera)s: täckningen kunde inte räknas. %(problem)s")
                % {"camera": names.get(pk, pk), "problem": problem}
            )
