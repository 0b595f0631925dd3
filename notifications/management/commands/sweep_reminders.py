import time

from core import jobs
from core.commands import SystemCommand
from notifications.services import run_sweep


class Command(SystemCommand):
    help = (
        "Chạy một lượt nhắc hạn (gửi các lần nhắc đã đến giờ) và chuyển lại các việc nền đang chờ (tạo tệp, "
        "tài liệu). Với --loop N: lặp lại mỗi N giây, thay cho celery beat khi chạy không có Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="seconds between sweeps; 0 runs once")

    def handle(self, *args, loop: int = 0, **options):
        while True:
            result = run_sweep()
            if result["steps"] or result["dispatched"] or options["verbosity"] > 1:
                self.stdout.write(
                    f"Nhắc hạn: {result['steps']} lần nhắc, {result['messages']} thông báo, "
                    f"{result['dispatched']} thư chuyển đi gửi, {result['recovered']} thư gửi lại."
                )
            handed = jobs.run_sweeps()
            if any(handed.values()) or options["verbosity"] > 1:
                self.stdout.write(
                    "Việc nền chuyển lại: " + ", ".join(f"{name} {count}" for name, count in handed.items())
                )
            if not loop:
                return
            time.sleep(loop)
