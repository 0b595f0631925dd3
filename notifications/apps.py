from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Thông báo, nhắc hạn")

    def ready(self):
        from core import audit

        from . import permissions  # noqa: F401 — registers the rules

        audit.register_actions(
            {
                "reminder.policy": _("Sửa lịch nhắc hạn"),
                "reminder.remind_now": _("Nhắc ngay"),
                "message.resend": _("Gửi lại thư"),
                "notifications.webhook_create": _("Đăng ký nhận sự kiện (webhook)"),
                "notifications.webhook_active": _("Bật, tắt đăng ký nhận sự kiện"),
                "notifications.webhook_retry": _("Gửi lại sự kiện"),
            }
        )
