"""The status tables of conferences, plans and duty assignments (see
core.workflow). The services take each step through `step`; the pages show
the steps `allowed` to their user."""

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow

from .models import ConferenceStatus, DutyAssignment, ImprovementPlan

S = ConferenceStatus
P = ImprovementPlan.Status
A = DutyAssignment.Status

CONFERENCE = Workflow(
    "conference",
    [
        Transition(
            "plan",
            _("Lên kế hoạch"),
            source=[S.DRAFT],
            target=S.PLANNED,
            permission="conferences.organise",
            refusal=_("Chỉ hội nghị đang dự thảo mới chuyển sang lên kế hoạch."),
            done=_("Hội nghị đã chuyển sang lên kế hoạch."),
            style="outline-primary",
            url_name="conferences:transition",
            slug="len-ke-hoach",
        ),
        Transition(
            "invite",
            _("Gửi giấy mời"),
            source=[S.DRAFT, S.PLANNED],
            target=S.INVITED,
            permission="conferences.organise",
            refusal=_("Giấy mời đã được gửi hoặc hội nghị không còn mở."),
            done=_("Đã gửi giấy mời; danh sách đơn vị được mời đã chốt."),
            # Its page checks everything at once, lists who gets what, then sends.
            url_name="conferences:send-invitations",
            opens_page=True,
            icon="send",
            stamp="invited_at",
        ),
        Transition(
            "hold",
            _("Đã tổ chức"),
            source=[S.INVITED],
            target=S.HELD,
            permission="conferences.organise",
            refusal=_("Chỉ hội nghị đã gửi giấy mời mới được ghi nhận đã tổ chức."),
            done=_("Đã ghi nhận hội nghị đã tổ chức."),
            confirm=_("Ghi nhận hội nghị đã tổ chức? Các đơn vị sẽ không trả lời giấy mời được nữa."),
            style="outline-success",
            url_name="conferences:transition",
            slug="da-to-chuc",
            icon="check2-square",
        ),
        Transition(
            "conclude",
            _("Kết luận"),
            source=[S.HELD],
            target=S.CONCLUDED,
            permission="conferences.organise",
            refusal=_("Chỉ hội nghị đã tổ chức mới được kết luận."),
            done=_("Đã lưu kết luận; hội nghị đã kết thúc."),
            url_name="conferences:text-action",
            slug="ket-luan",
            icon="journal-check",
            text_field="conclusions",
            stamp="concluded_at",
        ),
        Transition(
            "cancel",
            _("Hủy hội nghị"),
            source=[S.DRAFT, S.PLANNED, S.INVITED],
            target=S.CANCELLED,
            permission="conferences.organise",
            refusal=_("Hội nghị đã tổ chức hoặc đã kết thúc, không thể hủy."),
            done=_("Đã hủy hội nghị."),
            style="outline-danger",
            url_name="conferences:text-action",
            slug="huy",
            text_field="reason",
        ),
    ],
)

PLAN = Workflow(
    "plan",
    [
        Transition(
            "activate",
            _("Triển khai"),
            source=[P.DRAFT],
            target=P.ACTIVE,
            permission="conferences.organise",
            refusal=_("Kế hoạch đã được triển khai."),
            done=_("Kế hoạch đã được triển khai tới các đơn vị."),
            url_name="conferences:plan-transition",
            slug="trien-khai",
            icon="send",
        ),
        Transition(
            "close",
            _("Tổng kết"),
            source=[P.ACTIVE],
            target=P.CLOSED,
            permission="conferences.organise",
            refusal=_("Chỉ kế hoạch đang thực hiện mới được tổng kết."),
            done=_("Kế hoạch đã được tổng kết."),
            confirm=_("Tổng kết kế hoạch? Sau đó không sửa được nữa."),
            style="outline-primary",
            url_name="conferences:plan-transition",
            slug="tong-ket",
        ),
    ],
)

DUTY_ASSIGNMENT = Workflow(
    "duty",
    [
        # A lead agency reports as it goes; a duty reported done may be taken up again.
        Transition(
            "progress",
            _("Đang thực hiện"),
            source=[A.OPEN, A.IN_PROGRESS, A.DONE],
            target=A.IN_PROGRESS,
            permission="conferences.report_duty",
        ),
        Transition(
            "complete",
            _("Hoàn thành"),
            source=[A.OPEN, A.IN_PROGRESS, A.DONE],
            target=A.DONE,
            permission="conferences.report_duty",
        ),
    ],
)
