"""`trygg db_worker`: django-tasks' database worker, which first undoes what a dead worker left.

The same command and options as `django_tasks_db`'s (this app comes first in INSTALLED_APPS, so its
command is the one `trygg db_worker` runs). Before taking tasks it marks failed the jobs whose process
died and deletes the incidents of their unfinished imports (`trygg.jobs.recovery`), so a restart after
a crash, an out-of-memory kill or a power cut leaves nothing half-written and no job "pågår" for ever.
A busy SQLite database ("database is locked") no longer stops the worker: it waits and goes on.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.management.commands import db_worker

from trygg.core.errors import database_busy
from trygg.jobs import recovery

logger = logging.getLogger("trygg.jobs")
BUSY_PAUSE_S = 2.0


class Command(db_worker.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            found = recovery.recover()
            if found.jobs or found.import_runs:
                self.stdout.write(
                    gettext("Avbrutna jobb markerade som misslyckade: %(jobs)s; importer som togs bort: %(runs)s")
                    % {"jobs": len(found.jobs), "runs": len(found.import_runs)}
                )
        while True:
            try:
                super().handle(*args, **options)
                return
            except OperationalError as error:
                # SQLite busy past its timeout while the worker claimed a task: django-tasks' worker
                # stopped, and every later job waited for ever (walkthrough). Wait and take tasks again.
                if not database_busy(error):
                    raise
                logger.warning("The database was busy; the worker starts again in %s s", BUSY_PAUSE_S)
                time.sleep(BUSY_PAUSE_S)
