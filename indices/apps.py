from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indices"
    verbose_name = _("Chỉ số PAR INDEX, SIPAS")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import audit

        # The national indices every install knows (PAR INDEX, SIPAS, PAPI,
        # PCI, DTI), written again after a test's flush.
        post_migrate.connect(_write_indices, sender=self)

        from . import permissions  # noqa: F401  (registers the indices' permissions)
        from .drafting import register_hooks

        register_hooks()

        audit.register_actions(
            {
                "framework.load": _("Nạp bộ chỉ số"),
                "assessment.open": _("Mở tự đánh giá"),
                "assessment.scores.self": _("Chấm điểm tự đánh giá"),
                "assessment.scores.appraised": _("Chấm điểm thẩm định"),
                "assessment.submit": _("Gửi bản tự đánh giá"),
                "assessment.reopen": _("Trả lại bản tự đánh giá"),
                "assessment.appraise": _("Thẩm định kết quả"),
                "assessment.publish": _("Công bố kết quả chỉ số"),
                "assessment.import.self": _("Nhập điểm tự đánh giá từ tệp"),
                "assessment.import.appraised": _("Nhập điểm thẩm định từ tệp"),
                "national_result.create": _("Thêm kết quả công bố toàn quốc"),
                "national_result.update": _("Sửa kết quả công bố toàn quốc"),
                "national_result.import": _("Nhập bảng kết quả toàn quốc"),
                "responsibility.save": _("Phân công cơ quan chủ trì tiêu chí"),
                "assessment.open_explanation": _("Mở giải trình"),
                "assessment.explanations": _("Ghi giải trình"),
                "assessment.explain": _("Gửi giải trình"),
                "assessment.final_appraise": _("Thẩm định lần 2"),
                "assessment.adjustment_add": _("Cho điểm thưởng, điểm trừ"),
                "assessment.adjustment_remove": _("Bỏ điểm thưởng, điểm trừ"),
                "national_index.create": _("Thêm chỉ số toàn quốc"),
                "national_index.update": _("Sửa chỉ số toàn quốc"),
            }
        )


def _write_indices(sender, apps=None, **kwargs):
    from django.apps import apps as installed

    apps = apps or installed  # flush sends no app registry
    from .national_table import ensure_indices

    try:
        model = apps.get_model("indices", "NationalIndex")
    except LookupError:  # migrated back before it
        return
    ensure_indices(model)
