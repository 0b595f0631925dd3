import json

from django.core.management.base import CommandError

from core.commands import SystemCommand
from core.exceptions import Refused
from indices.loading import framework_from_xlsx
from indices.services import framework_load


class Command(SystemCommand):
    help = (
        "Nạp một bộ chỉ số từ tệp JSON hoặc Excel .xlsx "
        "(cây lĩnh vực → tiêu chí → tiêu chí thành phần, có điểm tối đa)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        try:
            if path.lower().endswith(".xlsx"):
                with open(path, "rb") as handle:
                    data = framework_from_xlsx(handle.read())
            else:
                with open(path, encoding="utf-8") as handle:
                    data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Không đọc được tệp {path}: {error}") from None
        except Refused as refused:
            raise CommandError("; ".join(refused.reasons)) from None
        try:
            framework = framework_load(data)
        except Refused as refused:
            raise CommandError("Bộ chỉ số không hợp lệ, chưa nạp gì:\n- " + "\n- ".join(refused.reasons)) from None
        self.stdout.write(f"Đã nạp {framework} với {framework.criteria.count()} tiêu chí.")
