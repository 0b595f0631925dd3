from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "submissions"
    verbose_name = _("Tham luận")

    def ready(self):
        from core import audit, jobs

        from . import hooks, permissions  # noqa: F401  (permissions registers the presentations' permissions)
        from .services.booklets import booklets_sweep

        hooks.register()
        jobs.register_sweep("booklets", booklets_sweep)
        audit.register_actions(
            {
                "assignment.create": _("Giao tham luận"),
                "assignment.update": _("Sửa tham luận được giao"),
                "assignment.delete": _("Xóa tham luận được giao"),
                "assignment.sync": _("Cập nhật đơn vị tham luận theo nhóm"),
                "presentation.submit": _("Gửi tệp tham luận"),
                "presentation.accept": _("Chấp nhận tham luận"),
                "presentation.revise": _("Yêu cầu chỉnh sửa tham luận"),
                "presentation.reject": _("Không chấp nhận tham luận"),
                "booklet.request": _("Tạo tài liệu hội nghị"),
            }
        )
