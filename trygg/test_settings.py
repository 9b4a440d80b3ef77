"""Settings for the test suite: Trygg's settings in demo mode, so the demo secret key is allowed.

pytest-django imports the settings before any conftest.py runs, so `.venv/bin/pytest` on its own
needs demo mode declared here (make and scripts/run-tests declare it too).
"""

import os

os.environ.setdefault("TRYGG_DEMO", "1")

from trygg.settings import *  # noqa: F403

# Jobs run at once, in the test's own transaction; one test drives the database backend and its worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

# Every request touches the session, as before SessionTouchMiddleware: the tests that count a page's
# queries compare requests made within the same minute. Its own test sets the real interval.
SESSION_TOUCH_SECONDS = 0
