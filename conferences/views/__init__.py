"""Conference and plan pages, split by concern; urls.py names them here."""

from .board import (
    AttendancePdfView,
    BoardTableXlsxView,
    BoardView,
    BoardXlsxView,
    CheckInByTokenView,
    CheckInMarkView,
    CheckInView,
    ConferenceIcsView,
)
from .conferences import (
    ConferenceDetailView,
    ConferenceListView,
    ConferenceListXlsxView,
    OwnerFormView,
    TextActionView,
    TransitionView,
)
from .drafts import ConferenceDraftView, PlanDraftView
from .invitations import (
    AssignmentView,
    DutyFileView,
    InvitationCopyView,
    InvitationListView,
    InvitationReplyView,
    MyDutiesView,
)
from .parts import PartFormsetView, PlanPartFormsetView
from .plans import PlanDetailView, PlanDutiesFromIndexView, PlanFormView, PlanListView, PlanTransitionView
from .sending import SendInvitationsView

__all__ = [
    "AssignmentView",
    "AttendancePdfView",
    "BoardTableXlsxView",
    "BoardView",
    "BoardXlsxView",
    "CheckInByTokenView",
    "CheckInMarkView",
    "CheckInView",
    "ConferenceDetailView",
    "ConferenceDraftView",
    "ConferenceIcsView",
    "ConferenceListView",
    "ConferenceListXlsxView",
    "SendInvitationsView",
    "DutyFileView",
    "InvitationCopyView",
    "InvitationListView",
    "InvitationReplyView",
    "MyDutiesView",
    "OwnerFormView",
    "PartFormsetView",
    "PlanDetailView",
    "PlanDraftView",
    "PlanDutiesFromIndexView",
    "PlanFormView",
    "PlanListView",
    "PlanPartFormsetView",
    "PlanTransitionView",
    "TextActionView",
    "TransitionView",
]
