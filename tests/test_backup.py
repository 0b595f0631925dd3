"""Backup and restore, drilled on the test database: data and an uploaded
file are backed up, the tables and the files are wiped, and the restore must
bring back every row and every byte."""

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agencies.models import Province
from submissions.models import Version

from .factories import MessageFactory, ProvinceFactory, VersionFactory
from .test_settings import run


@pytest.fixture
def media(settings, tmp_path):
    # A media folder of this test's own: the drill wipes it.
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def wipe_database():
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
        # A table the backup does not know (as a newer migration would leave).
        cursor.execute("CREATE TABLE stray (id integer)")


@pytest.mark.django_db(transaction=True)
def test_restore_drill_brings_back_every_row_and_file(media, tmp_path):
    version = VersionFactory()
    MessageFactory.create_batch(3)
    before_rows = row_counts()
    before_files = checksums(media)
    assert version.file.name in before_files
    assert before_rows["submissions_version"] == 1
    target = tmp_path / "backup" / "2026-05-29"

    out = io.StringIO()
    call_command("backup", str(target), stdout=out)

    assert out.getvalue().startswith(f"Đã sao lưu vào {target}: cơ sở dữ liệu ")
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "postgresql"
    assert manifest["database"]["file"] == "database.dump"
    assert "0001_initial" in manifest["migrations"]["agencies"]
    assert manifest["portal_version"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == {"database.dump", *(f"media/{name}" for name in before_files)}
    for name, sha256 in before_files.items():
        assert listed[f"media/{name}"]["sha256"] == sha256
        assert listed[f"media/{name}"]["size"] == (media / name).stat().st_size

    wipe_database()
    shutil.rmtree(media)
    assert connection.introspection.table_names() == ["stray"]

    out = io.StringIO()
    call_command("restore", str(target), interactive=False, stdout=out)

    assert row_counts() == before_rows
    assert checksums(media) == before_files
    restored = Version.objects.get()
    with restored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == restored.sha256
    assert "stray" not in connection.introspection.table_names()
    assert f"Đã khôi phục cơ sở dữ liệu và {len(before_files)} tệp (0 tệp đã có sẵn, không đổi)." in out.getvalue()
    assert "Đã bỏ các bảng không có trong bản sao lưu: stray." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_whose_file_changed(media, tmp_path):
    version = VersionFactory()
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    stored = target / "media" / version.file.name
    stored.write_bytes(stored.read_bytes()[:-1] + b"X")
    ProvinceFactory(code="lai-chau", name="Lai Châu")  # written after the backup

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(target), interactive=False, stdout=io.StringIO())

    assert str(refused.value) == (
        f"Bản sao lưu không khớp manifest, không khôi phục:\n  media/{version.file.name}: SHA-256 không khớp"
    )
    assert Province.objects.filter(code="lai-chau").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_missing_dump(media, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    (target / "database.dump").unlink()
    with pytest.raises(CommandError, match="thiếu database.dump"):
        call_command("restore", str(target), interactive=False)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_of_newer_code(media, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["migrations"]["agencies"].append("0999_from_the_future")
    (target / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"phiên bản mới hơn .*agencies\.0999_from_the_future"):
        call_command("restore", str(target), interactive=False)


def test_restore_refuses_a_folder_without_manifest(db, tmp_path):
    (tmp_path / "database.dump").write_bytes(b"half a backup")
    with pytest.raises(CommandError, match="không có manifest.json"):
        call_command("restore", str(tmp_path), interactive=False)


def test_restore_refuses_a_path_out_of_the_backup(db, tmp_path):
    manifest = {
        "format": 1,
        "database": {"vendor": "postgresql", "file": "database.dump"},
        "migrations": {},
        "files": [{"path": "../etc/passwd", "size": 1, "sha256": "0" * 64}],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="đường dẫn không hợp lệ: “../etc/passwd”"):
        call_command("restore", str(tmp_path), interactive=False)


def test_backup_refuses_a_folder_with_data(db, tmp_path):
    (tmp_path / "older.dump").write_bytes(b"x")
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("backup", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["older.dump"]


def test_backup_and_restore_of_a_sqlite_database(tmp_path):
    """`make run` without DATABASE_URL keeps SQLite: its file is copied."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": "",
        "DJANGO_SUPERUSER_PASSWORD": "Hoi-nghi-CCHC-2026!",
    }
    (tmp_path / "media" / "imports").mkdir(parents=True)
    (tmp_path / "media" / "imports" / "danh-ba.csv").write_bytes("Mã,Tên\nSNV,Sở Nội vụ\n".encode())
    users = "import django; django.setup(); from agencies.models import User; "

    def manage(*arguments):
        result = run(list(arguments), env)
        assert result.returncode == 0, result.stderr

    manage("manage.py", "migrate", "-v", "0")
    manage("manage.py", "createadmin", "--username", "quantri", "--email", "quantri@langson.gov.vn")
    manage("manage.py", "backup", str(tmp_path / "backup"))
    manage("-c", users + "User.objects.all().delete()")
    shutil.rmtree(tmp_path / "media")
    manage("manage.py", "restore", str(tmp_path / "backup"), "--noinput")

    listed = run(["-c", users + "print(list(User.objects.values_list('username', flat=True)))"], env)
    assert listed.stdout.strip() == "['quantri']"
    assert (tmp_path / "media" / "imports" / "danh-ba.csv").read_bytes() == "Mã,Tên\nSNV,Sở Nội vụ\n".encode()
    assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["database"]["file"] == "database.sqlite3"
