import time

from core.commands import SystemCommand
from notifications.services import run_sweep


class Command(SystemCommand):
    help = (
        "Chạy một lượt nhắc hạn (gửi các lần nhắc đã đến giờ). Với --loop N: lặp lại mỗi N giây, thay cho "
        "celery beat khi chạy không có Redis."
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
            if not loop:
                return
            time.sleep(loop)
