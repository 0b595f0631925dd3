from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

from core.backup import BackupError, backup_restore, backup_verify, migrations_compare
from core.commands import SystemCommand


class Command(SystemCommand):
    help = (
        "Khôi phục một bản sao lưu của lệnh backup: kiểm tra SHA-256 mọi tệp trước, rồi thay cơ sở dữ liệu "
        "đang cấu hình (pg_restore --clean) và ghi lại các tệp."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Thư mục bản sao lưu")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Không hỏi xác nhận."
        )
        parser.add_argument("--verify-only", action="store_true", help="Chỉ kiểm tra bản sao lưu, không khôi phục.")

    def handle(self, *args, directory, interactive, verify_only, **options):
        source = Path(directory)
        try:
            manifest = backup_verify(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Bản sao lưu {manifest['created_at']} (phiên bản {manifest['portal_version']}): "
            f"{len(manifest['files'])} tệp khớp manifest."
        )
        unknown, missing = migrations_compare(manifest)
        if unknown:
            raise CommandError(
                "Bản sao lưu được tạo bởi phiên bản mới hơn mã đang chạy "
                f"(migration chưa có: {', '.join(unknown[:10])}). "
                f"Hãy cài phiên bản {manifest['portal_version']} rồi khôi phục."
            )
        if verify_only:
            return
        if interactive:
            answer = input(
                f"Thao tác này XÓA và thay cơ sở dữ liệu “{connection.settings_dict['NAME']}” và ghi đè các tệp "
                f"trong {settings.MEDIA_ROOT}. Gõ “yes” để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy, không thay đổi gì.")
        try:
            result = backup_restore(source=source, manifest=manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Đã khôi phục cơ sở dữ liệu và {result['files_written']} tệp "
            f"({result['files_unchanged']} tệp đã có sẵn, không đổi)."
        )
        if result["tables_dropped"]:
            self.stdout.write(f"Đã bỏ các bảng không có trong bản sao lưu: {', '.join(result['tables_dropped'])}.")
        if missing:
            self.stdout.write(
                f"Mã đang chạy có {len(missing)} migration mới hơn bản sao lưu: chạy `manage.py migrate`."
            )
