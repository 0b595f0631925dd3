import getpass
import os
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from agencies import services
from agencies.models import User
from core.commands import SystemCommand

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"


class Command(SystemCommand):
    help = (
        "Tạo tài khoản quản trị hệ thống (không thuộc cơ quan nào, vào được trang quản trị). "
        f"Mật khẩu đọc từ biến môi trường {PASSWORD_VARIABLE}, nếu không có thì hỏi hai lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="Tên đăng nhập")
        parser.add_argument("--email", required=True, help="Thư điện tử (để lấy lại mật khẩu)")
        parser.add_argument("--full-name", default="", help="Họ và tên")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Không hỏi mật khẩu."
        )

    def handle(self, *args, username, email, full_name, interactive, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Đã có tài khoản “{username}”.")
        candidate = User(username=username, email=email, full_name=full_name)
        password = self._password(candidate, interactive=interactive)
        try:
            user = services.administrator_create(username=username, email=email, password=password, full_name=full_name)
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from None
        self.stdout.write(f"Đã tạo tài khoản quản trị “{user.username}”.")

    def _password(self, candidate, *, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is not None:
            self._validate(password, candidate)
            return password
        if not interactive or not sys.stdin.isatty():
            raise CommandError(f"Chưa có mật khẩu: đặt biến môi trường {PASSWORD_VARIABLE} hoặc chạy lệnh ở terminal.")
        while True:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                self.stderr.write("Hai lần nhập không khớp.")
                continue
            try:
                self._validate(password, candidate)
            except CommandError as exc:
                self.stderr.write(str(exc))
                continue
            return password

    @staticmethod
    def _validate(password: str, candidate) -> None:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(_messages(exc))) from None


def _messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]
