"""An assessment's path: self-assessing → submitted → appraised →
published (see core.workflow). Publication is one change for a whole
province and year (results_publish), made in bulk and audited as one."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

from .models import Assessment

S = Assessment.Status

ASSESSMENT = Workflow(
    "assessment",
    [
        Transition(
            "submit",
            _("Gửi bản tự đánh giá"),
            source=[S.SELF],
            target=S.SUBMITTED,
            permission="indices.self_assess",
            refusal=_("Bản tự đánh giá đã gửi, không sửa được nữa."),
            done=_("Đã gửi bản tự đánh giá tới Sở Nội vụ."),
            confirm=_("Gửi bản tự đánh giá? Sau khi gửi, đơn vị không sửa được nữa."),
            url_name="indices:submit",
            icon="send",
            stamp="submitted_at",
        ),
        Transition(
            "reopen",
            _("Trả lại để đơn vị sửa"),
            source=[S.SUBMITTED],
            target=S.SELF,
            permission="indices.organise",
            refusal=_("Chỉ trả lại được bản tự đánh giá đã gửi và chưa thẩm định."),
            done=_("Đã trả lại bản tự đánh giá để đơn vị sửa."),
            style="outline-secondary",
            url_name="indices:reopen",
        ),
        Transition(
            "appraise",
            _("Thẩm định"),
            source=[S.SELF, S.SUBMITTED, S.APPRAISED],
            target=S.APPRAISED,
            permission="indices.organise",
            refusal=_("Kết quả đã công bố, không sửa được nữa."),
            stamp="appraised_at",
        ),
        Transition(
            # Every agency with an appraised total, whatever step its own path had reached.
            "publish",
            _("Công bố kết quả"),
            source=[S.SELF, S.SUBMITTED, S.APPRAISED],
            target=S.PUBLISHED,
            permission="indices.organise",
        ),
    ],
)
