from django.urls import path

from notifications import views as reminder_views

from . import views
from .reminders import reminder_owner

app_name = "conferences"

conference_reminders = reminder_owner("conference")
plan_reminders = reminder_owner("plan")

urlpatterns = [
    path("hoi-nghi/", views.ConferenceListView.as_view(), name="list"),
    path("hoi-nghi/danh-sach.xlsx", views.ConferenceListXlsxView.as_view(), name="list-xlsx"),
    path("hoi-nghi/tao-moi/", views.OwnerFormView.as_view(), name="create"),
    path("hoi-nghi/<int:pk>/", views.ConferenceDetailView.as_view(), name="detail"),
    path("hoi-nghi/<int:pk>/sua/", views.OwnerFormView.as_view(), name="update"),
    path("hoi-nghi/<int:pk>/muc/<slug:part>/", views.PartFormsetView.as_view(), name="part"),
    path("hoi-nghi/<int:pk>/gui-giay-moi/", views.SendInvitationsView.as_view(), name="send-invitations"),
    path("hoi-nghi/<int:pk>/chuyen/<slug:action>/", views.TransitionView.as_view(), name="transition"),
    path("hoi-nghi/<int:pk>/xu-ly/<slug:action>/", views.TextActionView.as_view(), name="text-action"),
    path("hoi-nghi/<int:pk>/soan/<slug:kind>/", views.ConferenceDraftView.as_view(), name="draft"),
    path("hoi-nghi/<int:pk>/theo-doi/", views.BoardView.as_view(), name="board"),
    path("hoi-nghi/<int:pk>/theo-doi/dai-bieu.xlsx", views.BoardXlsxView.as_view(), name="board-xlsx"),
    path("hoi-nghi/<int:pk>/theo-doi/bang.xlsx", views.BoardTableXlsxView.as_view(), name="board-table-xlsx"),
    path("hoi-nghi/<int:pk>/theo-doi/danh-sach-dai-bieu.pdf", views.AttendancePdfView.as_view(), name="attendance-pdf"),
    path("hoi-nghi/<int:pk>/diem-danh/", views.CheckInView.as_view(), name="checkin"),
    path("hoi-nghi/<int:pk>/lich.ics", views.ConferenceIcsView.as_view(), name="ics"),
    path("diem-danh/<uuid:token>/", views.CheckInByTokenView.as_view(), name="checkin-token"),
    path("diem-danh/<uuid:token>/co-mat/", views.CheckInMarkView.as_view(), name="checkin-mark"),
    path("giay-moi/", views.InvitationListView.as_view(), name="invitation-list"),
    path("giay-moi/<int:pk>/", views.InvitationReplyView.as_view(), name="invitation-reply"),
    path("giay-moi/<int:pk>/giay-moi.pdf", views.InvitationCopyView.as_view(), name="invitation-copy"),
    path("nhiem-vu/", views.MyDutiesView.as_view(), name="my-duties"),
    path("nhiem-vu/<int:pk>/", views.AssignmentView.as_view(), name="assignment"),
    path("nhiem-vu/<int:pk>/tep/<int:update_pk>/", views.DutyFileView.as_view(), name="duty-file"),
    path(
        "hoi-nghi/<int:pk>/nhac-han/",
        reminder_views.RemindersView.as_view(owner=conference_reminders),
        name="reminders",
    ),
    path(
        "hoi-nghi/<int:pk>/nhac-han/gui-lai/<int:message_pk>/",
        reminder_views.ResendView.as_view(owner=conference_reminders),
        name="reminder-resend",
    ),
    path(
        "hoi-nghi/<int:pk>/nhac-ngay/",
        reminder_views.RemindNowView.as_view(owner=conference_reminders),
        name="remind-now",
    ),
    path(
        "ke-hoach/<int:pk>/nhac-han/", reminder_views.RemindersView.as_view(owner=plan_reminders), name="plan-reminders"
    ),
    path(
        "ke-hoach/<int:pk>/nhac-han/gui-lai/<int:message_pk>/",
        reminder_views.ResendView.as_view(owner=plan_reminders),
        name="plan-reminder-resend",
    ),
    path(
        "ke-hoach/<int:pk>/nhac-ngay/",
        reminder_views.RemindNowView.as_view(owner=plan_reminders),
        name="plan-remind-now",
    ),
    path("ke-hoach/", views.PlanListView.as_view(), name="plan-list"),
    path("ke-hoach/tao-moi/", views.PlanFormView.as_view(), name="plan-create"),
    path("ke-hoach/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("ke-hoach/<int:pk>/sua/", views.PlanFormView.as_view(), name="plan-update"),
    path("ke-hoach/<int:pk>/muc/<slug:part>/", views.PlanPartFormsetView.as_view(), name="plan-part"),
    path("ke-hoach/<int:pk>/chuyen/<slug:action>/", views.PlanTransitionView.as_view(), name="plan-transition"),
    path("ke-hoach/<int:pk>/soan/<slug:kind>/", views.PlanDraftView.as_view(), name="plan-draft"),
    path(
        "ke-hoach/<int:pk>/nhiem-vu-tu-chi-so/",
        views.PlanDutiesFromIndexView.as_view(),
        name="plan-duties-from-index",
    ),
]
