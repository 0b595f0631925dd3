from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Đăng nhập và bảo mật tài khoản")

    def ready(self):
        from core import audit

        from . import session_state  # noqa: F401  (marks each new session with its second-factor state)

        audit.register_actions(
            {
                "auth.login": _("Đăng nhập"),
                "auth.login_failed": _("Đăng nhập sai mật khẩu"),
                "auth.lockout": _("Tạm khóa đăng nhập vì nhập sai nhiều lần"),
                "auth.logout": _("Đăng xuất"),
                "auth.idle_logout": _("Hết phiên vì không hoạt động"),
                "auth.password_reset_throttled": _("Chặn yêu cầu đặt lại mật khẩu quá nhiều"),
                "two_factor.enrol": _("Bật xác thực hai bước"),
                "two_factor.verify": _("Xác thực hai bước"),
                "two_factor.verify_failed": _("Nhập sai mã xác thực hai bước"),
                "two_factor.recovery_used": _("Dùng mã khôi phục"),
                "two_factor.recovery_regenerate": _("Tạo lại mã khôi phục"),
                "two_factor.disable": _("Tắt xác thực hai bước"),
                "two_factor.reset": _("Đặt lại xác thực hai bước"),
            }
        )
