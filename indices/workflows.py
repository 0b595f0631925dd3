"""An assessment's path (see core.workflow), in the four rounds provinces
score in: self-assessing → submitted → appraised (round 1) → explaining
(the agency answers where points were cut, by a deadline) → explained →
final (round 2) → published. The explanation is optional: round 1 may be
published as it is. Opening the explanation and publication are changes
for a whole province and framework, made in bulk and audited as one."""

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
            # In bulk for the framework and province (explanations_open).
            "open_explanation",
            _("Mở giải trình"),
            source=[S.APPRAISED],
            target=S.EXPLAINING,
            permission="indices.organise",
            refusal=_("Chỉ mở giải trình cho kết quả đã thẩm định lần 1."),
        ),
        Transition(
            "explain",
            _("Gửi giải trình"),
            source=[S.EXPLAINING],
            target=S.EXPLAINED,
            permission="indices.explain",
            refusal=_("Giải trình đã gửi hoặc chưa mở, không gửi được."),
            done=_("Đã gửi giải trình tới Sở Nội vụ."),
            confirm=_("Gửi giải trình? Sau khi gửi, đơn vị không sửa được nữa."),
            url_name="indices:explain-submit",
            icon="send",
            stamp="explained_at",
        ),
        Transition(
            "final_appraise",
            _("Thẩm định lần 2"),
            source=[S.EXPLAINING, S.EXPLAINED, S.FINAL],
            target=S.FINAL,
            permission="indices.organise",
            refusal=_("Kết quả đã công bố, không sửa được nữa."),
            stamp="final_at",
        ),
        Transition(
            # Every agency with an appraised total, whatever step its own path had reached.
            "publish",
            _("Công bố kết quả"),
            source=[S.SELF, S.SUBMITTED, S.APPRAISED, S.EXPLAINING, S.EXPLAINED, S.FINAL],
            target=S.PUBLISHED,
            permission="indices.organise",
        ),
    ],
)
