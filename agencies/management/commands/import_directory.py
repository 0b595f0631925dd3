from pathlib import Path

from django.core.management.base import CommandError

from agencies import services
from agencies.models import DirectoryImport, Province
from core.commands import SystemCommand
from core.exceptions import ImportFileError, Refused


class Command(SystemCommand):
    help = "Nhập danh sách đơn vị hoặc cán bộ của một tỉnh từ tệp CSV/XLSX (cả tệp hoặc không gì cả)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp .csv hoặc .xlsx")
        parser.add_argument("--province", required=True, help="Mã tỉnh, ví dụ lang-son")
        parser.add_argument("--kind", choices=DirectoryImport.Kind.values, default=DirectoryImport.Kind.AGENCIES)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi")

    def handle(self, *args, path, province, kind, dry_run, **options):
        try:
            province_obj = Province.objects.get(code=province)
        except Province.DoesNotExist:
            raise CommandError(f"Không có tỉnh mã “{province}”.") from None
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"Không tìm thấy tệp “{path}”.")
        data = source.read_bytes()
        try:
            preview = services.directory_preview(kind=kind, province=province_obj, name=source.name, data=data)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for row in preview.error_rows:
            for error in row.errors:
                self.stderr.write(f"Dòng {row.line}: {error}")
        counts = preview.counts
        summary = (
            f"{counts['create']} thêm mới, {counts['update']} cập nhật, "
            f"{counts['unchanged']} không đổi, {counts['error']} lỗi"
        )
        if not preview.ok:
            raise CommandError(f"Tệp có lỗi, chưa ghi gì ({summary}).")
        if dry_run:
            self.stdout.write(f"Kiểm tra xong, chưa ghi: {summary}.")
            return
        try:
            services.directory_import(actor=None, kind=kind, province=province_obj, name=source.name, data=data)
        except (Refused, ImportFileError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {summary}."))
