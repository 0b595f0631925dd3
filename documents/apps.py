from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from core import audit, jobs

        from . import permissions  # noqa: F401  (registers the documents' permissions)
        from .services.files import jobs_sweep

        jobs.register_sweep("documents", jobs_sweep)

        audit.register_actions(
            {
                "document.create": _("Soạn văn bản"),
                "document.update": _("Sửa dự thảo văn bản"),
                "document.issue": _("Ban hành văn bản"),
                "document.revoke": _("Thu hồi văn bản"),
                "document.replace": _("Tạo văn bản thay thế"),
                "document.register": _("Vào sổ văn bản đã ký"),
                "document.copies": _("Tạo giấy mời riêng"),
                "document.email": _("Gửi giấy mời qua thư điện tử"),
                "document.redraft": _("Soạn lại văn bản từ dữ liệu"),
                "document.outline": _("Sửa dàn ý văn bản"),
                "outline.template": _("Lưu mẫu dàn ý"),
                "outline.template_delete": _("Xóa mẫu dàn ý"),
                "document.sign_prepare": _("Chuẩn bị tệp để ký số"),
                "document.sign_upload": _("Nhận tệp đã ký số"),
                "document.sign_cancel": _("Hủy chuẩn bị ký số"),
                "signing.anchor_add": _("Nạp chứng thư tin cậy"),
                "signing.crl_load": _("Nạp danh sách thu hồi chứng thư"),
                "signing.certificate_add": _("Gắn chứng thư số"),
                "signing.certificate_deactivate": _("Thôi dùng chứng thư số"),
                "signing.certificate_activate": _("Dùng lại chứng thư số"),
                "signing.body_key_add": _("Nạp chữ ký số của cơ quan"),
                "signing.body_key_use": _("Dùng chữ ký số của cơ quan"),
            }
        )
