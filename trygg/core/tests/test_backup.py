"""Backup → restore → identical (issue 15, item 9), on SQLite and, with pg_dump/pg_restore, on PostgreSQL.

The archive is made from the test database (the demo, committed before the tests) and restored by the
`trygg restore` command into a new, empty database and media folder in a separate process; then every
table's rows and every file are compared, and `trygg audit verify` must pass on the restored copy.
On PostgreSQL: DATABASE_URL=postgres://… TRYGG_TEST_DB_NAME=test_x pytest this file.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from trygg.core import backup

# Without the test's own transaction: the backup reads the database from a connection of its own, as
# `trygg backup` does beside a running Trygg. The demo is reloaded by later tests that need it.
pytestmark = pytest.mark.django_db(transaction=True)

POSTGRES = connection.vendor == "postgresql"


def trygg(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trygg.cli", *args], env=env, capture_output=True, text=True, check=False, timeout=600
    )


def rows_of(cursor, tables: list[str]) -> dict[str, list[tuple]]:
    contents = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the database itself)
        contents[table] = sorted(cursor.fetchall(), key=repr)
    return contents


def files_of(root: Path) -> dict[str, bytes]:
    return {str(path): (root / path).read_bytes() for path in backup.media_files(root)}


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "bilagor" / "cameras-camera").mkdir(parents=True)
    (root / "bilagor" / "cameras-camera" / "beslut.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    (root / "incident-imports" / "2025" / "01").mkdir(parents=True)
    (root / "incident-imports" / "2025" / "01" / "polisen.csv").write_text("datum;plats\n2025-01-02;Torget\n")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def target(tmp_path):
    """Environment for a `trygg` process using a new, empty database and media folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TRYGG_TEST_DB_NAME", "TRYGG_MEDIA_ROOT"}}
    env.update(TRYGG_DEMO="1", TRYGG_DATA_DIR=str(tmp_path / "restored"))
    if not POSTGRES:
        yield env, None
        return
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored"
    params = {
        k: settings_dict[v] for k, v in [("host", "HOST"), ("port", "PORT"), ("user", "USER")] if settings_dict[v]
    }
    if settings_dict["PASSWORD"]:
        params["password"] = settings_dict["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    env["DATABASE_URL"] = (
        f"postgres://{auth}@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/{name}"
    )
    yield env, (name, params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_rows(env, pg, tables):
    if pg is None:
        import sqlite3

        with sqlite3.connect(Path(env["TRYGG_DATA_DIR"]) / "trygg.sqlite3") as restored:
            return rows_of(restored.cursor(), tables)
    import psycopg

    with psycopg.connect(dbname=pg[0], **pg[1]) as restored:
        return rows_of(restored.cursor(), tables)


def original_rows(pg, tables):
    if pg is None:
        import sqlite3

        # Raw values, as the restored file gives them (Django's cursor would convert booleans and times).
        name = str(connection.settings_dict["NAME"])
        original = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            return rows_of(original.cursor(), tables)
        finally:
            original.close()
    import psycopg

    # A connection of its own sees what pg_dump saw: the committed demo data.
    with psycopg.connect(dbname=connection.settings_dict["NAME"], **pg[1]) as original:
        return rows_of(original.cursor(), tables)


@pytest.mark.skipif(POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="no pg_dump")
def test_backup_then_restore_gives_identical_tables_and_files_and_a_whole_chain(demo_users, media, target, tmp_path):
    env, pg = target
    archive = backup.create(tmp_path / "out")
    manifest = archive.manifest
    assert manifest["database"]["engine"] == ("postgresql" if POSTGRES else "sqlite")
    assert {f["path"] for f in manifest["files"]} >= {
        "media/bilagor/cameras-camera/beslut.pdf",
        "media/incident-imports/2025/01/polisen.csv",
    }
    assert manifest["migrations"]["core"].startswith("0006") or manifest["migrations"]["core"] > "0006"
    assert manifest["change_log"]["entries"] > 100

    done = trygg(["restore", str(archive.path)], env)
    assert done.returncode == 0, done.stderr
    assert "Återställt från säkerhetskopian" in done.stdout

    tables = sorted(connection.introspection.table_names())
    assert "core_objectchange" in tables and "sites_site" in tables
    original = original_rows(pg, tables)
    restored = restored_rows(env, pg, tables)
    assert original.keys() == restored.keys()
    for table in tables:
        assert restored[table] == original[table], table
    assert sum(len(rows) for rows in original.values()) > 1000
    assert files_of(Path(env["TRYGG_DATA_DIR"]) / "media") == files_of(media)

    verified = trygg(["audit", "verify"], env)
    assert verified.returncode == 0, verified.stderr
    assert "kedjan hel" in verified.stdout

    # A second restore would overwrite: refused in Swedish, and nothing changes.
    again = trygg(["restore", str(archive.path)], env)
    assert again.returncode != 0 and "Databasen är inte tom" in again.stderr


def test_a_changed_file_in_the_archive_is_refused_before_anything_is_written(demo_users, media, tmp_path, target):
    env, _pg = target
    archive = backup.create(tmp_path / "out").path
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name.endswith("polisen.csv"):
                data = data.replace(b"Torget", b"Target")
            copy.addfile(member, io.BytesIO(data))
    done = trygg(["restore", str(tampered)], env)
    assert done.returncode != 0 and "Kontrollsumman för media/incident-imports/2025/01/polisen.csv" in done.stderr
    assert not (Path(env["TRYGG_DATA_DIR"]) / "media").exists()
    if _pg is None:
        assert not (Path(env["TRYGG_DATA_DIR"]) / "trygg.sqlite3").exists()


def test_a_file_that_is_no_backup_is_refused_in_swedish(tmp_path):
    bogus = tmp_path / "x.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("annat.txt"), io.BytesIO(b""))
    with pytest.raises(backup.BackupError, match="ingen säkerhetskopia från Trygg"):
        backup.restore(bogus)
