"""A presentation's path (see core.workflow): the agency sends a version;
the organiser accepts it, asks for a revision or rejects it. A decision is
taken on any status but its own, and only once a file has come."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

from .models import Presentation

S = Presentation.Status
ALL = list(S.values)

PRESENTATION = Workflow(
    "presentation",
    [
        Transition(
            "submit",
            _("Gửi tệp"),
            source=[S.AWAITING, S.SUBMITTED, S.REVISION],
            target=S.SUBMITTED,
            permission="submissions.upload",
            refusal=_("Tham luận đã được xem xét xong; không nhận thêm tệp."),
        ),
        Transition(
            "accept",
            _("Chấp nhận"),
            source=[s for s in ALL if s != S.ACCEPTED],
            target=S.ACCEPTED,
            permission="submissions.manage",
            refusal=_("Tham luận đã ở trạng thái “Đã chấp nhận”."),
        ),
        Transition(
            "revise",
            _("Yêu cầu chỉnh sửa"),
            source=[s for s in ALL if s != S.REVISION],
            target=S.REVISION,
            permission="submissions.manage",
            refusal=_("Tham luận đã ở trạng thái “Cần chỉnh sửa”."),
        ),
        Transition(
            "reject",
            _("Không chấp nhận"),
            source=[s for s in ALL if s != S.REJECTED],
            target=S.REJECTED,
            permission="submissions.manage",
            refusal=_("Tham luận đã ở trạng thái “Không chấp nhận”."),
        ),
    ],
)
