"""Backup and restore: the database and the uploaded files in one archive with a manifest.

`trygg backup` writes `trygg-backup-<UTC time>.tar.gz` holding
- `database.sqlite3`, copied with SQLite's online backup API (`sqlite3.Connection.backup`: a consistent
  copy while Trygg keeps running), or `database.pgdump`, PostgreSQL's custom format from `pg_dump -Fc`;
- `media/…`, every file under MEDIA_ROOT (attachments, imported files);
- `manifest.json`: format, time, versions (Trygg, Django, Python, SQLite or pg_dump), the last migration
  of each app, the change log's chain head (last entry and hash, so the archive also anchors the
  chain), and the SHA-256 and size of every file.

`trygg restore ARCHIVE` checks every checksum before it writes anything, refuses a database or a
media folder that is not empty unless `--force` (then the old SQLite file and media folder are kept
beside, named `…before-restore-<time>`), and restores both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = "trygg-backup/1"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Swedish and says why and what to do."""


def default_folder() -> Path:
    """Where archives go without --out: TRYGG_BACKUP_DIR, or `backups` in Trygg's data folder."""
    return Path(os.environ.get("TRYGG_BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


def engine(database: dict[str, Any]) -> str:
    """ "sqlite" or "postgresql" for a Django DATABASES entry; BackupError for anything else."""
    name = database["ENGINE"].rsplit(".", 1)[-1]
    if name == "sqlite3":
        return "sqlite"
    if name in {"postgresql", "postgis"}:
        return "postgresql"
    raise BackupError(_("Säkerhetskopiering stöds för SQLite och PostgreSQL, inte för %(engine)s.") % {"engine": name})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")]:
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "Programmet %(tool)s finns inte på datorn. Installera PostgreSQL:s klientprogram (t.ex. postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s misslyckades: %(error)s") % {"tool": Path(command[0]).name, "error": done.stderr.strip()}
        )
    return done.stdout.strip()


def _dump_database(alias: str, folder: Path) -> tuple[Path, dict[str, Any]]:
    database = connections[alias].settings_dict
    kind = engine(database)
    if kind == "sqlite":
        target = folder / SQLITE_FILE
        # A connection of its own, outside any transaction of Django's: the online backup API copies a
        # consistent state while Trygg keeps writing (WAL), restarting if a write lands during the copy.
        name = str(database["NAME"])
        source, copy = sqlite3.connect(name, uri=name.startswith("file:")), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return target, {"engine": kind, "file": SQLITE_FILE, "sqlite_version": sqlite3.sqlite_version}
    target = folder / PG_FILE
    env = _pg_env(database)
    tool = _tool("pg_dump")
    _run([tool, "--format=custom", "--file", str(target), "--dbname", str(database["NAME"])], env)
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return target, {
        "engine": kind,
        "file": PG_FILE,
        "pg_dump_version": _run([tool, "--version"], env),
        "server_version": server,
    }


def _migrations(alias: str) -> dict[str, str]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        last: dict[str, str] = {}
        for app, name in cursor.fetchall():
            last[app] = name
    return last


def _chain_head(alias: str) -> dict[str, Any]:
    from trygg.core.models import ChainHead, ObjectChange

    head = ChainHead.objects.using(alias).filter(pk=1).first()
    return {
        "entries": ObjectChange.objects.using(alias).count(),
        "last_entry_id": head.last_entry_id if head else None,
        "last_hash": head.last_hash if head else "",
    }


def media_files(root: Path) -> list[Path]:
    """Every file under `root`, sorted, as paths relative to it ([] when the folder does not exist)."""
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def _trygg_version() -> str:
    try:
        return metadata.version("trygg")
    except metadata.PackageNotFoundError:
        return "?"


@dataclass(frozen=True)
class Archive:
    path: Path
    manifest: dict[str, Any]


def create(out: Path | None = None, alias: str = "default", now: dt.datetime | None = None) -> Archive:
    """Write a backup archive into `out` (made if missing; default `default_folder()`) and return it.

    Raises BackupError (Swedish) when pg_dump is missing or fails, or the database is neither SQLite nor
    PostgreSQL. The archive is written under a temporary name and renamed when complete.
    """
    now = now or dt.datetime.now(dt.UTC)
    folder = Path(out) if out is not None else default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="trygg-backup-") as work:
        dump, database = _dump_database(alias, Path(work))
        files = [{"path": dump.name, "sha256": sha256_of(dump), "bytes": dump.stat().st_size}]
        media = media_files(media_root)
        for relative in media:
            source = media_root / relative
            files.append(
                {
                    "path": str(PurePosixPath(MEDIA, *relative.parts)),
                    "sha256": sha256_of(source),
                    "bytes": source.stat().st_size,
                }
            )
        manifest = {
            "format": FORMAT,
            "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "versions": {
                "trygg": _trygg_version(),
                "django": django.get_version(),
                "python": platform.python_version(),
            },
            "database": database,
            "migrations": _migrations(alias),
            "change_log": _chain_head(alias),
            "files": files,
        }
        target = folder / f"trygg-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for relative in media:
                tar.add(media_root / relative, arcname=str(PurePosixPath(MEDIA, *relative.parts)))
        partial.replace(target)
    return Archive(target, manifest)


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.load(member) if member is not None else None
    except (KeyError, json.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Filen är ingen säkerhetskopia från Trygg (manifest.json saknas eller har fel format)."))
    return manifest


def _safe(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("Säkerhetskopian innehåller en otillåten sökväg: %(path)s") % {"path": name})
    return path


def _extract_checked(tar: tarfile.TarFile, manifest: dict[str, Any], folder: Path) -> None:
    """Extract every file the manifest lists into `folder`, checking size and SHA-256 of each."""
    for entry in manifest["files"]:
        relative = _safe(entry["path"])
        try:
            member = tar.extractfile(entry["path"])
        except KeyError:
            member = None
        if member is None:
            raise BackupError(_("Filen %(path)s saknas i säkerhetskopian.") % {"path": entry["path"]})
        target = folder.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while block := member.read(CHUNK):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != entry["sha256"] or target.stat().st_size != entry["bytes"]:
            raise BackupError(
                _("Kontrollsumman för %(path)s stämmer inte: säkerhetskopian är skadad eller ändrad.")
                % {"path": entry["path"]}
            )


def database_is_empty(alias: str = "default") -> bool:
    """True when the database has no tables at all (a new, empty database)."""
    connection = connections[alias]
    if engine(connection.settings_dict) == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and not name.startswith("file:") and not Path(name).exists():
            return True
    return not connection.introspection.table_names()


def _restore_sqlite(source: Path, database: dict[str, Any], keep_old: bool, stamp: str) -> Path | None:
    target = Path(database["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if keep_old and target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        with sqlite3.connect(target) as old, sqlite3.connect(kept) as copy:
            old.backup(copy)
    restored, into = sqlite3.connect(source), sqlite3.connect(target)
    try:
        restored.backup(into)
    finally:
        restored.close()
        into.close()
    return kept


def _restore_postgresql(source: Path, database: dict[str, Any]) -> None:
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--dbname",
        str(database["NAME"]),
        str(source),
    ]
    _run(command, _pg_env(database))


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    media_files: int
    kept_database: Path | None
    kept_media: Path | None


def restore(archive: Path, force: bool = False, alias: str = "default", media_root: Path | None = None) -> Restored:
    """Restore `archive` into the database `alias` and `media_root` (default MEDIA_ROOT).

    Refuses (BackupError, Swedish) a file that is not a Trygg backup, a checksum that does not match,
    a backup of another kind of database, and a database or media folder that is not empty unless
    `force`. Nothing is written before every file has been checked.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("Säkerhetskopian %(path)s finns inte.") % {"path": archive})
    connection = connections[alias]
    database = connection.settings_dict
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 (closed by the with-block below)
    except tarfile.TarError as error:
        raise BackupError(_("Filen går inte att läsa som säkerhetskopia: %(error)s") % {"error": error}) from error
    with tar, tempfile.TemporaryDirectory(prefix="trygg-restore-") as work:
        manifest = read_manifest(tar)
        kind = engine(database)
        if manifest["database"]["engine"] != kind:
            raise BackupError(
                _("Säkerhetskopian är från en %(theirs)s-databas men Trygg använder %(ours)s.")
                % {"theirs": manifest["database"]["engine"], "ours": kind}
            )
        if not force:
            if not database_is_empty(alias):
                raise BackupError(
                    _(
                        "Databasen är inte tom. Återställningen skulle skriva över den; ange --force om det är "
                        "meningen (en SQLite-databas sparas då bredvid)."
                    )
                )
            if media_files(media_root):
                raise BackupError(
                    _(
                        "Mappen för uppladdade filer (%(path)s) är inte tom. Ange --force för att ersätta den "
                        "(den gamla mappen sparas då bredvid)."
                    )
                    % {"path": media_root}
                )
        folder = Path(work)
        _extract_checked(tar, manifest, folder)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        connection.close()
        kept_database = None
        if kind == "sqlite":
            kept_database = _restore_sqlite(folder / SQLITE_FILE, database, keep_old=force, stamp=stamp)
        else:
            _restore_postgresql(folder / PG_FILE, database)
        kept_media = None
        if media_root.exists() and media_files(media_root):
            kept_media = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(kept_media)
        media_root.mkdir(parents=True, exist_ok=True)
        restored_media = folder / MEDIA
        count = 0
        if restored_media.is_dir():
            for relative in media_files(restored_media):
                target = media_root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(restored_media / relative, target)
                count += 1
    return Restored(manifest, count, kept_database, kept_media)
