"""Deadlines of conferences, plans and presentations reach the outbox: set
when the work is asked for, moved with it, ended when it is done; organisers
remind at once, read the log, resend; officials read their notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Role
from conferences import services as conferences
from conferences.models import ContentItem, Invitation
from core.models import AuditEntry
from notifications import services as notifications
from notifications.models import Channel, DeadlineItem, Message, MessageState, ReminderStep, StepState
from submissions import services as submissions
from submissions.models import Assignment

from . import presentation_files as files
from .conftest import _staff_of, client_for
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, UserFactory, future

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(lang_son):
    return AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Thất Khê")


@pytest.fixture
def commune_official(commune):
    return UserFactory(
        role=Role.OFFICIAL,
        agency=commune,
        username="xa.thatkhe",
        email="thatkhe@example.gov.vn",
        full_name="Lưu Văn Bình",
    )


@pytest.fixture
def invited(lang_son, organiser, commune, commune_official):
    conference = ConferenceFactory(
        province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency, reply_deadline=future(20)
    )
    ContentItem.objects.create(conference=conference, order=1, text="Báo cáo phân tích kết quả chỉ số.")
    InviteeLineFactory(conference=conference, group_kinds=[AgencyKind.COMMUNE])
    return conferences.conference_invite(actor=organiser, conference=conference)


def pending_steps(key: str) -> int:
    return ReminderStep.objects.filter(item__key=key, state=StepState.PENDING).count()


def test_invitation_reply_by_date_is_reminded_until_the_agency_answers(invited, commune_official):
    invitation = Invitation.objects.get(conference=invited)
    key = f"conferences.invitation:{invitation.pk}"
    item = DeadlineItem.objects.get(key=key)
    assert item.scope == f"conferences.conference:{invited.pk}" and item.what == "Hạn xác nhận tham dự"
    assert list(item.recipients.values_list("email", flat=True)) == ["thatkhe@example.gov.vn"]
    assert pending_steps(key) >= 4
    conferences.invitation_reply(actor=commune_official, invitation=invitation, reply="declined", delegates=[])
    assert pending_steps(key) == 0 and DeadlineItem.objects.get(key=key).done_at is not None


def test_moving_the_reply_by_date_moves_the_reminders(invited, organiser):
    key = f"conferences.invitation:{Invitation.objects.get(conference=invited).pk}"
    invited.reply_deadline = future(25)
    conferences.conference_save(actor=organiser, conference=invited)
    due = timezone.localtime(DeadlineItem.objects.get(key=key).due_at).date()
    assert due == future(25)
    day_of = ReminderStep.objects.get(item__key=key, code="ngay-han")
    assert timezone.localtime(day_of.send_at).date() <= future(25)


def test_cancelled_conference_stops_every_reminder(invited, organiser):
    conferences.conference_cancel(actor=organiser, conference=invited, reason="Lùi lịch")
    assert not ReminderStep.objects.filter(state=StepState.PENDING).exists()


def test_presentation_deadline_ends_with_the_first_upload(lang_son, organiser, official):
    conference = ConferenceFactory(province=lang_son)
    assignment = submissions.assignment_save(
        actor=organiser,
        assignment=Assignment(
            conference=conference, topic="Chuyển đổi số", agency=official.agency, due_date=future(10)
        ),
    )
    presentation = assignment.presentations.get()
    key = f"submissions.presentation:{presentation.pk}"
    item = DeadlineItem.objects.get(key=key)
    assert item.what == "Hạn gửi tham luận" and item.link == reverse("submissions:detail", args=[presentation.pk])
    assert list(item.recipients.values_list("user_id", flat=True)) == [official.pk]
    submissions.version_upload(
        actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    assert pending_steps(key) == 0


def test_organiser_reminds_chosen_agencies_now(
    invited, organiser, commune_official, lang_son, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get(conference=invited)
    other = ConferenceFactory(province=lang_son)
    chosen = {
        "key": [f"conferences.invitation:{invitation.pk}", "conferences.invitation:999999"],
        "next": reverse("conferences:board", args=[invited.pk]),
    }
    client = client_for(organiser)
    # First the count and the list; nothing goes before the organiser confirms.
    page = client.post(reverse("conferences:remind-now", args=[invited.pk]), chosen).content.decode()
    assert "tới 1 đơn vị" in page and invitation.agency.name in page and not mail.outbox
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("conferences:remind-now", args=[invited.pk]), {**chosen, "confirm": "1", "token": token}
        )
    assert response.status_code == 302 and response["Location"] == reverse("conferences:board", args=[invited.pk])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["thatkhe@example.gov.vn"]
    assert mail.outbox[0].subject.startswith("[Cần xử lý] Hạn xác nhận tham dự")
    # Keys of another conference are not this page's to remind.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(
            reverse("conferences:remind-now", args=[other.pk]),
            {"key": [f"conferences.invitation:{invitation.pk}"], "confirm": "1"},
        )
    assert len(mail.outbox) == 1
    # A double click or a reload of the confirmation sends nothing more that day.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:remind-now", args=[invited.pk]), {**chosen, "confirm": "1", "token": token})
    assert len(mail.outbox) == 1
    # Once more the same day only with a reason, which the log keeps with who asked.
    forced = {**chosen, "confirm": "1", "token": "abc123", "force": "on"}
    page = client.post(reverse("conferences:remind-now", args=[invited.pk]), forced).content.decode()
    assert "cần ghi lý do" in page and len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("conferences:remind-now", args=[invited.pk]), {**forced, "reason": "Đơn vị báo chưa nhận"})
        client.post(reverse("conferences:remind-now", args=[invited.pk]), {**forced, "reason": "Đơn vị báo chưa nhận"})
    assert len(mail.outbox) == 2
    entry = AuditEntry.objects.filter(action="reminder.remind_now").latest("pk")
    assert entry.actor == organiser and "Đơn vị báo chưa nhận" in entry.note


def test_board_offers_remind_now_for_agencies_that_have_not_answered(invited, organiser):
    html = client_for(organiser).get(reverse("conferences:board", args=[invited.pk])).content.decode()
    invitation = Invitation.objects.get(conference=invited)
    assert f'value="conferences.invitation:{invitation.pk}" form="remind-form"' in html and "Nhắc ngay" in html


def test_log_shows_failed_mail_with_its_error_and_resend_records_a_new_message(
    invited, organiser, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get(conference=invited)
    notifications.remind_now(
        keys=[f"conferences.invitation:{invitation.pk}"], scope=f"conferences.conference:{invited.pk}"
    )
    failed = Message.objects.get(channel=Channel.EMAIL)
    Message.objects.filter(pk=failed.pk).update(state=MessageState.FAILED, last_error="550 5.1.1 Hộp thư không tồn tại")
    url = reverse("conferences:reminders", args=[invited.pk])
    html = client_for(organiser).get(url + "?state=failed").content.decode()
    assert "550 5.1.1 Hộp thư không tồn tại" in html and "thatkhe@example.gov.vn" in html
    detail = client_for(organiser).get(reverse("conferences:detail", args=[invited.pk])).content.decode()
    assert "1 thư không gửi được" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client_for(organiser).post(reverse("conferences:reminder-resend", args=[invited.pk, failed.pk]))
    copy = Message.objects.get(resend_of=failed)
    assert copy.state == MessageState.SENT and Message.objects.get(pk=failed.pk).state == MessageState.FAILED


@pytest.mark.parametrize("who", ["leader", "official", "other_organiser"])
def test_only_the_provinces_organisers_reach_the_reminder_pages(invited, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("conferences:reminders", args=[invited.pk])).status_code in (403, 404)
    assert client.post(reverse("conferences:remind-now", args=[invited.pk]), {"key": ["x"]}).status_code in (403, 404)
    assert not Message.objects.exists()


def test_policy_saved_for_a_conference_moves_its_pending_steps(invited, organiser):
    key = f"conferences.invitation:{Invitation.objects.get(conference=invited).pk}"
    response = client_for(organiser).post(
        reverse("conferences:reminders", args=[invited.pk]),
        {
            "days_before": "5, 0",
            "send_time": "07:30",
            "overdue_every": "1",
            "overdue_max": "1",
            "skip_weekends": "",
            "holidays": "",
        },
    )
    assert response.status_code == 302
    pending = dict(ReminderStep.objects.filter(item__key=key, state=StepState.PENDING).values_list("code", "send_at"))
    assert set(pending) == {"truoc-5", "ngay-han", "qua-han-1"}
    assert timezone.localtime(pending["ngay-han"]).time() == dt.time(7, 30)


def test_policy_form_refuses_bad_days_in_vietnamese(invited, organiser):
    response = client_for(organiser).post(
        reverse("conferences:reminders", args=[invited.pk]),
        {
            "days_before": "7, ba",
            "send_time": "08:00",
            "overdue_every": "2",
            "overdue_max": "3",
            "holidays": "30/02/2026",
        },
    )
    html = response.content.decode()
    assert (
        response.status_code == 400
        and "“ba” không phải số ngày hợp lệ" in html
        and "“30/02/2026” không phải một ngày có thật" in html
    )


def test_official_sees_unread_notifications_and_opening_one_marks_it_read(
    invited, commune_official, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get(conference=invited)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.run_sweep(now=timezone.now() + dt.timedelta(days=30))
    notice = Message.objects.get(channel=Channel.PORTAL, user=commune_official)
    client = client_for(commune_official)
    home = client.get("/").content.decode()
    assert 'unread-count">1<' in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert notice.subject in inbox
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("conferences:invitation-reply", args=[invitation.pk])
    assert "unread-count" not in client.get("/").content.decode()


def test_official_chooses_a_daily_digest(commune_official):
    client = client_for(commune_official)
    client.post(reverse("notifications:inbox"), {"email_mode": "digest"})
    from notifications.models import Preference

    assert Preference.objects.get(user=commune_official).email_mode == "digest"


def test_another_persons_notification_cannot_be_opened(
    invited, commune_official, lang_son, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.run_sweep(now=timezone.now() + dt.timedelta(days=30))
    notice = Message.objects.get(channel=Channel.PORTAL)
    stranger = _staff_of(lang_son, Role.OFFICIAL, code="STP", name="Sở Tư pháp")
    assert client_for(stranger).get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert Message.objects.get(pk=notice.pk).read_at is None


def test_a_presentation_can_have_its_own_reminder_days(lang_son, organiser, official):
    conference = ConferenceFactory(province=lang_son, date=future(40))
    response = client_for(organiser).post(
        reverse("submissions:assignment-create", args=[conference.pk]),
        {
            "topic": "Chuyển đổi số",
            "assignee": "agency",
            "agency": official.agency.pk,
            "due_date": future(20).strftime("%d/%m/%Y"),
            "allow_late": "on",
            "reminder_days": "5, 2",
        },
    )
    assert response.status_code == 302
    presentation = Assignment.objects.get().presentations.get()
    codes = set(
        ReminderStep.objects.filter(item__key=f"submissions.presentation:{presentation.pk}").values_list(
            "code", flat=True
        )
    )
    assert {"truoc-5", "truoc-2"} <= codes and "truoc-7" not in codes


def test_board_offers_to_remind_agencies_that_have_not_finished_a_duty(invited, organiser, commune):
    from conferences.models import Duty, DutyAssignment

    duty = Duty.objects.create(
        conference=invited, task="Gửi báo cáo tự đánh giá", due_date=future(5), lead_agency=commune
    )
    conferences.duty_sync_assignments(duty=duty)
    assignment = DutyAssignment.objects.get(duty=duty)
    html = client_for(organiser).get(reverse("conferences:board", args=[invited.pk])).content.decode()
    assert f'value="conferences.dutyassignment:{assignment.pk}"' in html and "Nhắc đơn vị chưa hoàn thành" in html


def test_resend_of_a_reminder_is_written_for_today(invited, organiser, django_capture_on_commit_callbacks):
    invitation = Invitation.objects.get(conference=invited)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.remind_now(
            keys=[f"conferences.invitation:{invitation.pk}"], scope=f"conferences.conference:{invited.pk}"
        )
    first = Message.objects.get(channel=Channel.EMAIL)
    Message.objects.filter(pk=first.pk).update(body_text="còn 99 ngày (cũ)")
    with django_capture_on_commit_callbacks(execute=True):
        copy = notifications.message_resend(message=Message.objects.get(pk=first.pk), actor=organiser)
    copy.refresh_from_db()
    assert "còn 99 ngày" not in copy.body_text and "còn 20 ngày" in copy.body_text and copy.state == MessageState.SENT


def test_reminders_page_lists_the_reminders_still_to_go_out(invited, organiser):
    html = client_for(organiser).get(reverse("conferences:reminders", args=[invited.pk])).content.decode()
    assert "Lần nhắc sắp tới" in html and "UBND xã Thất Khê" in html


def test_scheduling_replies_takes_the_same_queries_for_3_or_30_agencies(lang_son, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conferences import reminders

    counts = []
    for size in (3, 30):
        conference = ConferenceFactory(province=lang_son, reply_deadline=future(20), title=f"Hội nghị {size}")
        ContentItem.objects.create(conference=conference, order=1, text="Nội dung.")
        kind = AgencyKind.COMMUNE if size == 3 else AgencyKind.WARD
        for n in range(size):
            agency = AgencyFactory(province=lang_son, kind=kind)
            UserFactory(role=Role.OFFICIAL, agency=agency, username=f"u{size}-{n}")
        InviteeLineFactory(conference=conference, group_kinds=[kind])
        conferences.conference_invite(actor=organiser, conference=conference)
        with CaptureQueriesContext(connection) as queries:
            reminders.schedule_replies(conference)  # again: every item moves, none is added
        counts.append(len(queries))
        assert DeadlineItem.objects.filter(scope=f"conferences.conference:{conference.pk}").count() == size
    assert counts[0] == counts[1], counts


@pytest.mark.django_db(transaction=True)
def test_two_organisers_reminding_at_once_send_once(invited, organiser):
    import threading

    from django.db import connection

    from conferences.reminders import scope_of

    invitation = Invitation.objects.get(conference=invited)
    key, scope = f"conferences.invitation:{invitation.pk}", scope_of(invited)
    start, results = threading.Barrier(2), []

    def remind(token):
        try:
            start.wait()
            results.append(notifications.remind_now(keys=[key], scope=scope, actor=organiser, token=token))
        finally:
            connection.close()

    threads = [threading.Thread(target=remind, args=(token,)) for token in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert Message.objects.filter(step__code__startswith="nhac-ngay", channel=Channel.EMAIL).count() == 1
