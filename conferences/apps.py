from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conferences"
    verbose_name = _("Hội nghị và kế hoạch")

    def ready(self):
        from core import audit, jobs

        from . import permissions  # noqa: F401  (registers the conferences' permissions)
        from .drafting import register_hooks
        from .services.sending import invitations_sweep

        register_hooks()
        jobs.register_sweep("invitations", invitations_sweep)

        audit.register_actions(
            {
                "conference.create": _("Tạo hội nghị"),
                "conference.update": _("Sửa hội nghị"),
                "conference.plan": _("Chuyển hội nghị sang lên kế hoạch"),
                "conference.invite": _("Gửi giấy mời hội nghị"),
                "conference.invitations_freeze": _("Chốt danh sách đơn vị được mời"),
                "conference.invitations_send": _("Gửi giấy mời tới các đơn vị"),
                "conference.hold": _("Ghi nhận hội nghị đã tổ chức"),
                "conference.conclude": _("Kết luận hội nghị"),
                "conference.cancel": _("Hủy hội nghị"),
                "conference.part.basis": _("Sửa văn bản căn cứ"),
                "conference.part.content": _("Sửa nội dung hội nghị"),
                "conference.part.programme": _("Sửa chương trình hội nghị"),
                "conference.part.invitees": _("Sửa thành phần mời"),
                "conference.part.duties": _("Sửa nhiệm vụ"),
                "conference.part.awards": _("Sửa khen thưởng"),
                "invitation.reply": _("Trả lời giấy mời"),
                "delegate.check_in": _("Điểm danh đại biểu"),
                "delegate.check_in_undo": _("Bỏ điểm danh đại biểu"),
                "duty.progress": _("Báo cáo tiến độ nhiệm vụ"),
                "duty.complete": _("Báo cáo hoàn thành nhiệm vụ"),
                "plan.create": _("Tạo kế hoạch"),
                "plan.update": _("Sửa kế hoạch"),
                "plan.activate": _("Triển khai kế hoạch"),
                "plan.close": _("Tổng kết kế hoạch"),
                "plan.part.basis": _("Sửa văn bản căn cứ của kế hoạch"),
                "plan.part.duties": _("Sửa nhiệm vụ của kế hoạch"),
                "plan.duties_from_index": _("Lập nhiệm vụ từ tiêu chí bị mất điểm"),
            }
        )
