from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from accounts import services
from accounts.throttling import attempted_username
from core.commands import SystemCommand


class Command(SystemCommand):
    help = (
        "Đặt lại xác thực hai bước của một tài khoản (mất cả điện thoại lẫn mã khôi phục): xoá ứng dụng "
        "xác thực và mã khôi phục; lần đăng nhập sau người đó thiết lập lại. --unlock mở khóa đăng nhập."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập")
        parser.add_argument("--unlock", action="store_true", help="Xoá cả các lần nhập sai mật khẩu đang tính.")

    def handle(self, *args, username, unlock, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        services.two_factor_disable(actor=None, user=user)
        self.stdout.write(f"Đã đặt lại xác thực hai bước của “{username}”.")
        if unlock:
            removed = AxesProxyHandler.reset_attempts(username=attempted_username(None, {"username": username}))
            self.stdout.write(f"Đã xoá {removed} bản ghi đăng nhập sai.")
