from pathlib import Path

from django.core.management.base import CommandError
from django.template.defaultfilters import filesizeformat

from core.backup import MEDIA, BackupError, backup_create
from core.commands import SystemCommand


class Command(SystemCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (pg_dump, định dạng custom) và mọi tệp đã lưu vào một thư mục mới, "
        "kèm manifest.json ghi kích thước và SHA-256 từng tệp, phiên bản và các migration đã chạy."
    )
    # A backup must run even when the configuration is incomplete (no mail server…).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Thư mục mới (hoặc trống) để ghi bản sao lưu")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_create(target=Path(directory))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        database = next(entry for entry in manifest["files"] if entry["path"] == manifest["database"]["file"])
        media = [entry for entry in manifest["files"] if entry["path"].startswith(f"{MEDIA}/")]
        self.stdout.write(
            f"Đã sao lưu vào {directory}: cơ sở dữ liệu {filesizeformat(database['size'])}, "
            f"{len(media)} tệp ({filesizeformat(sum(entry['size'] for entry in media))})."
        )
