from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Kết nối hệ thống khác (API)")

    def ready(self):
        from core.audit import register_actions

        from . import permissions, schema  # noqa: F401 — registers the rules and the schema extensions

        register_actions(
            {
                "api.token_create": _("Tạo mã truy cập API"),
                "api.token_revoke": _("Thu hồi mã truy cập API"),
                "api.feed_reset": _("Tạo địa chỉ lịch riêng"),
                "api.feed_revoke": _("Hủy địa chỉ lịch riêng"),
            }
        )
