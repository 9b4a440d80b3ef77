"""The `trygg` console command: Django's management commands with Trygg's settings.

`trygg demo`, `trygg cameras_in_operation --date 2024-10-29`, `trygg migrate`, `trygg runserver` …
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # The embedded SQLite database lives in the data folder; make it on first use.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

    execute_from_command_line(["trygg", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
