from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (danh bạ, hội nghị… từ các văn bản mẫu). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("Không nạp dữ liệu mẫu trên máy chủ thật (cấu hình production).")
        # Each app contributes its own demo data through its AppConfig, in
        # dependency order (INSTALLED_APPS), so no app imports one above it.
        # Documents are drafted last, from everything the apps have seeded.
        with transaction.atomic():
            for phase in ("seed_demo", "seed_demo_documents"):
                for config in apps.get_app_configs():
                    seed = getattr(config, phase, None)
                    if callable(seed):
                        seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
