"""Conference and plan pages, split by concern; urls.py names them here."""

from .board import (
    AttendancePdfView,
    BoardView,
    BoardXlsxView,
    CheckInByTokenView,
    CheckInMarkView,
    CheckInView,
    ConferenceIcsView,
)
from .conferences import ConferenceDetailView, ConferenceListView, OwnerFormView, TextActionView, TransitionView
from .drafts import ConferenceDraftView, PlanDraftView
from .invitations import AssignmentView, DutyFileView, InvitationListView, InvitationReplyView, MyDutiesView
from .parts import PartFormsetView, PlanPartFormsetView
from .plans import PlanDetailView, PlanDutiesFromIndexView, PlanFormView, PlanListView, PlanTransitionView

__all__ = [
    "AssignmentView",
    "AttendancePdfView",
    "BoardView",
    "BoardXlsxView",
    "CheckInByTokenView",
    "CheckInMarkView",
    "CheckInView",
    "ConferenceDetailView",
    "ConferenceDraftView",
    "ConferenceIcsView",
    "ConferenceListView",
    "DutyFileView",
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
