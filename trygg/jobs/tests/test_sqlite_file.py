"""SQLite as in the demo (a file, WAL, busy timeout): a login succeeds while an incident import writes.

The tests' database is SQLite in memory, which has no WAL and no second process; so the test copies
it (schema and demo data) to a file and runs `login_during_import.py` on that file in a process of
its own with Trygg's real database settings. The control case wraps the same import in one
transaction, as imports were written before they were batched, and the same login then fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# Marked so that pytest-django sets up the test database, which the module fixture copies.
pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).with_name("login_during_import.py")


@pytest.fixture(scope="module")
def database_file(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """The test database (migrated, with the demo data) copied to a file, before any test's transaction
    is open (SQLite cannot copy a database while its own connection holds a write transaction)."""
    path = tmp_path_factory.mktemp("sqlite") / "trygg.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    return path


def _environment(tmp_path: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
        "TRYGG_DEMO": "1",
        "TRYGG_DATA_DIR": str(tmp_path),
        "TRYGG_MEDIA_ROOT": str(tmp_path / "media"),
        "TRYGG_IMPORT_IN_WORKER": "false",
        "DATABASE_URL": "",
    }


def run_probe(database_file: Path, tmp_path: Path, mode: str) -> dict[str, object]:
    shutil.copyfile(database_file, tmp_path / "trygg.sqlite3")
    env = _environment(tmp_path)
    done = subprocess.run(
        [sys.executable, str(SCRIPT), mode], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's locking")
def test_a_login_succeeds_while_an_import_writes_in_batches(database_file, tmp_path):
    result = run_probe(database_file, tmp_path, "batched")
    assert result["journal_mode"] == "wal"
    assert result["login"] == "ok"
    assert (result["run"], result["created"], result["incidents"]) == ("done", 150, 150)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's locking")
def test_control_one_long_transaction_blocks_the_login(database_file, tmp_path):
    """The same probe with the import in one transaction: shows the first test can fail. The login finds
    the database locked past its busy timeout and gets the 503 page "Trygg är upptaget" (no server error)."""
    result = run_probe(database_file, tmp_path, "one_transaction")
    assert result["login"] == "status 503"
    assert (result["run"], result["incidents"]) == ("done", 150)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="runs on the demo's SQLite file")
def test_a_worker_started_after_a_killed_one_undoes_its_half_written_import(database_file, tmp_path):
    """The worker importing a file is killed after its first batch of 50 of 150 rows; ten minutes later
    (the stale limit; the sign-of-life times are moved back instead of waiting) a new worker starts: it
    deletes the 50 rows and marks the import run and the job failed, with the reason in Swedish."""
    shutil.copyfile(database_file, tmp_path / "trygg.sqlite3")
    env = _environment(tmp_path)
    killed = subprocess.run(
        [sys.executable, str(SCRIPT), "killed"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert killed.returncode == -9, killed.stderr[-3000:]
    run_id = json.loads(killed.stdout.strip().splitlines()[-1])["run"]

    database = sqlite3.connect(tmp_path / "trygg.sqlite3")

    def state() -> tuple[object, ...]:
        run = database.execute(
            "SELECT status, created_rows FROM incidents_importrun WHERE id = ?", (run_id,)
        ).fetchone()
        written = database.execute("SELECT count(*) FROM incidents_incident WHERE import_run_id = ?", (run_id,))
        job = database.execute("SELECT state, failure FROM jobs_job ORDER BY id DESC LIMIT 1").fetchone()
        return (*run, written.fetchone()[0], *job)

    assert state()[:4] == ("importing", 50, 50, "running")  # what the killed worker left

    def start_worker() -> str:
        worker = subprocess.run(
            [sys.executable, "-m", "django", "db_worker", "--batch", "--interval", "0.1"],
            env=env | {"TRYGG_JOB_STALE_MINUTES": "10"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        return worker.stdout

    # Within the stale limit the import may still be alive (another worker): the new worker leaves it.
    start_worker()
    assert state()[:4] == ("importing", 50, 50, "running")

    # Django keeps datetimes in SQLite as UTC text.
    eleven_minutes_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with database:
        database.execute("UPDATE incidents_importrun SET progress_at = ? WHERE id = ?", (eleven_minutes_ago, run_id))
        database.execute("UPDATE jobs_job SET heartbeat_at = ?", (eleven_minutes_ago,))
    said = start_worker()
    status, created, written, job_state, job_failure = state()
    assert (status, created, written, job_state) == ("failed", 0, 0, "failed")
    assert "Bakgrundsprocessen stoppades" in job_failure
    failure = database.execute("SELECT failure FROM incidents_importrun WHERE id = ?", (run_id,)).fetchone()[0]
    assert failure.startswith("Importen stannade mitt i arbetet") and "Inget sparades" in failure
    assert "importer som togs bort: 1" in said
