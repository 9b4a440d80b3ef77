"""SQLite as in the demo (a file, WAL, busy timeout): a login succeeds while an incident import writes.

The tests' database is SQLite in memory, which has no WAL and no second process; so the test copies
it (schema and demo data) to a file and runs `login_during_import.py` on that file in a process of
its own with Trygg's real database settings. The control case wraps the same import in one
transaction, as imports were written before they were batched, and the same login then fails.
"""

from __future__ import annotations

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


def run_probe(database_file: Path, tmp_path: Path, mode: str) -> dict[str, object]:
    shutil.copyfile(database_file, tmp_path / "trygg.sqlite3")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
        "TRYGG_DEMO": "1",
        "TRYGG_DATA_DIR": str(tmp_path),
        "TRYGG_MEDIA_ROOT": str(tmp_path / "media"),
        "TRYGG_IMPORT_IN_WORKER": "false",
        "DATABASE_URL": "",
    }
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
    """The same probe with the import in one transaction: shows the first test can fail."""
    result = run_probe(database_file, tmp_path, "one_transaction")
    assert "database is locked" in str(result["login"])
    assert (result["run"], result["incidents"]) == ("done", 150)
