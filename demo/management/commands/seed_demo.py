from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from core.commands import SystemCommand
from demo.conferences import seed_conferences, seed_documents
from demo.directory import seed_directory
from demo.district import seed_district, seed_district_directory
from demo.indices import seed_indices
from demo.signing import seed_signing
from demo.submissions import seed_presentations
from demo.upcoming import seed_upcoming


class Command(SystemCommand):
    help = "Nạp dữ liệu mẫu (danh bạ, hội nghị… từ các văn bản mẫu). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Không nạp dữ liệu mẫu trên máy chủ thật (cấu hình production).")
        # The directory first, then what rests on it; documents last, drafted
        # from everything seeded before them.
        with transaction.atomic():
            seed_directory(stdout=self.stdout)
            seed_district_directory()
            seed_indices(stdout=self.stdout)
            seed_conferences(stdout=self.stdout)
            seed_presentations(stdout=self.stdout)
            seed_upcoming(stdout=self.stdout)
            seed_district(stdout=self.stdout)
            self.stdout.write(f"Văn bản mẫu: {seed_documents()} văn bản dự thảo, có sẵn PDF và DOCX.")
            seed_signing(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
