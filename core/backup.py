"""Backups of the whole portal: the database and every stored file, in one
folder described by a manifest (`manage.py backup DIR`, `manage.py restore DIR`).

The folder holds the database (PostgreSQL: `pg_dump` in its custom format;
SQLite: a consistent copy of the file), the files of the default storage
under `media/` (read through the storage API, so an object store works as
well as MEDIA_ROOT), and `manifest.json`: each file's size and SHA-256, the
portal's version and the migrations applied. The manifest is written last,
so a backup that was interrupted has none and cannot be restored.

A restore checks every file against the manifest before it touches
anything, and refuses a backup made by code newer than the running one."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path, PurePosixPath

import django
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .version import portal_version

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in Vietnamese."""


# --- Backup ---------------------------------------------------------------------------


def backup_create(*, target: Path, using: str = "default") -> dict:
    """Write a backup into `target` (new, or an empty folder) and return its manifest."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"Thư mục “{target}” đã có dữ liệu: mỗi bản sao lưu cần một thư mục mới hoặc trống.")
    created = not target.exists()
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        connection = connections[using]
        # The database first: a file stored meanwhile is copied without a row
        # (harmless), where the other order would lose the file of a new row.
        database = _database_dump(connection, target)
        files = [_entry(target, database["file"])]
        files += _media_copy(target)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "portal_version": portal_version(),
            "django_version": django.get_version(),
            "database": database,
            "migrations": _applied_migrations(connection),
            "files": files,
        }
        partial = target / f"{MANIFEST}.partial"
        partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.replace(target / MANIFEST)
    except BaseException:
        # Half a backup is worse than none: it looks like one.
        if created:
            shutil.rmtree(target, ignore_errors=True)
        else:
            for child in target.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return manifest


def _database_dump(connection, target: Path) -> dict:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu {vendor}: chỉ PostgreSQL và SQLite.")
    path = target / DUMPS[vendor]
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--file", str(path), *_pg_arguments(connection)], connection)
        tool = _run(["pg_dump", "--version"], connection).strip()
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(path)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        tool = f"sqlite3 {sqlite3.sqlite_version}"
    return {"vendor": vendor, "name": str(connection.settings_dict["NAME"]), "file": path.name, "tool": tool}


def _media_copy(target: Path) -> list[dict]:
    entries = []
    for name in _stored_names(default_storage):
        relative = f"{MEDIA}/{name}"
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, open(destination, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        entries.append({"path": relative, "size": size, "sha256": digest.hexdigest()})
    return entries


def _stored_names(storage, folder: str = ""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # MEDIA_ROOT not created yet: nothing stored
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{name}" if folder else name)


def _applied_migrations(connection) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- Verify ---------------------------------------------------------------------------


def backup_verify(*, source: Path) -> dict:
    """The manifest of the backup in `source`, once every file it lists is
    there with its size and SHA-256; BackupError listing every difference otherwise."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"“{source}” không có {MANIFEST}: không phải bản sao lưu, hoặc bản sao lưu chưa xong."
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{MANIFEST} của “{source}” bị hỏng.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu định dạng {manifest.get('format')}, lệnh này đọc định dạng {FORMAT}.")
    problems = []
    for entry in manifest["files"]:
        path = _inside(source, entry["path"])
        if not path.is_file():
            problems.append(f"thiếu {entry['path']}")
            continue
        size, sha256 = _measure(path)
        if size != entry["size"]:
            problems.append(f"{entry['path']}: {size} byte, manifest ghi {entry['size']}")
        elif sha256 != entry["sha256"]:
            problems.append(f"{entry['path']}: SHA-256 không khớp")
    if not any(entry["path"] == manifest["database"]["file"] for entry in manifest["files"]):
        problems.append(f"manifest không liệt kê {manifest['database']['file']}")
    if problems:
        shown = problems[:20] + ([f"… và {len(problems) - 20} lỗi khác"] if len(problems) > 20 else [])
        raise BackupError("Bản sao lưu không khớp manifest, không khôi phục:\n  " + "\n  ".join(shown))
    return manifest


def migrations_compare(manifest: dict, *, using: str = "default") -> tuple[list[str], list[str]]:
    """(migrations of the backup this code does not have, migrations of this code the backup lacks)."""
    known = set(MigrationLoader(connections[using], ignore_no_migrations=True, load=True).disk_migrations)
    recorded = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in recorded - known)
    missing = sorted(f"{app}.{name}" for app, name in known - recorded)
    return unknown, missing


# --- Restore --------------------------------------------------------------------------


def backup_restore(*, source: Path, manifest: dict, using: str = "default") -> dict:
    """Replace the database and the stored files with the backup in `source`
    (already checked by backup_verify). Files stored since the backup are
    left where they are."""
    source = Path(source)
    connection = connections[using]
    database = manifest["database"]
    if database["vendor"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {database['vendor']}, cơ sở dữ liệu đang cấu hình là {connection.vendor}."
        )
    dump = _inside(source, database["file"])
    dropped = _database_restore(connection, dump)
    written = unchanged = 0
    for entry in manifest["files"]:
        if not entry["path"].startswith(f"{MEDIA}/"):
            continue
        if _media_restore(_inside(source, entry["path"]), entry):
            written += 1
        else:
            unchanged += 1
    return {"files_written": written, "files_unchanged": unchanged, "tables_dropped": dropped}


def _database_restore(connection, dump: Path) -> list[str]:
    # Our own connection holds nothing the restore's DROPs would wait for.
    connection.close()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(dump)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            with target:
                copy.backup(target)
        finally:
            target.close()
            copy.close()
        return []
    # Read the dump's table of contents first: a dump pg_restore cannot read
    # changes nothing. Tables the backup does not have (made by migrations
    # newer than it) go, so that the schema is the backup's and `migrate`
    # can create them again.
    listed = _run(["pg_restore", "--list", str(dump)], connection)
    in_dump = {
        (parts[4], parts[5])
        for parts in (line.split() for line in listed.splitlines() if line and not line.startswith(";"))
        if len(parts) > 5 and parts[3] == "TABLE" and parts[4] != "DATA"
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) "
            "ORDER BY tablename"
        )
        extra = [(schema, table) for schema, table in cursor.fetchall() if (schema, table) not in in_dump]
        for schema, table in extra:
            cursor.execute(
                f"DROP TABLE IF EXISTS {connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)} CASCADE"
            )
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *_pg_arguments(connection),
            str(dump),
        ],
        connection,
    )
    return [table for _, table in extra]


def _media_restore(path: Path, entry: dict) -> bool:
    """Put one file back at its stored name; False when it is there already, unchanged."""
    name = entry["path"][len(MEDIA) + 1 :]
    if default_storage.exists(name):
        if default_storage.size(name) == entry["size"]:
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as current:
                while chunk := current.read(CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() == entry["sha256"]:
                return False
        default_storage.delete(name)
    with open(path, "rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:
        raise BackupError(f"Kho tệp lưu “{name}” dưới tên “{saved}”.")
    return True


# --- Helpers --------------------------------------------------------------------------


def _entry(target: Path, relative: str) -> dict:
    size, sha256 = _measure(target / relative)
    return {"path": relative, "size": size, "sha256": sha256}


def _measure(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _inside(root: Path, relative: str) -> Path:
    """A path the manifest names, refused if it would lead out of the backup."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"Manifest ghi một đường dẫn không hợp lệ: “{relative}”.")
    return root.joinpath(*pure.parts)


def _pg_arguments(connection) -> list[str]:
    params = connection.settings_dict
    arguments = []
    if params.get("HOST"):
        arguments += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", str(params["USER"])]
    return [*arguments, "--no-password", "--dbname", str(params["NAME"])]


def _run(arguments: list[str], connection) -> str:
    params = connection.settings_dict
    environment = os.environ.copy()
    if params.get("PASSWORD"):  # never on the command line, where `ps` shows it
        environment["PGPASSWORD"] = str(params["PASSWORD"])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if params.get("OPTIONS", {}).get(option):
            environment[variable] = str(params["OPTIONS"][option])
    try:
        result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy chương trình {arguments[0]} (gói postgresql-client).") from None
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} báo lỗi: {result.stderr.strip()}")
    return result.stdout
