"""Every actor is told what concerns them, on the portal and by e-mail as
they chose: officials of a review, a note on their duty, a reply made on
their behalf, a document issued to them; organisers of replies, uploads,
completed duties and, each morning, what is overdue. Organisers and leaders
have the notification page and the unread count officials have."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Role
from conferences import drafting, notices
from conferences import services as conference_services
from conferences.models import Duty
from documents import services as document_services
from notifications import services as notification_services
from notifications.models import Channel, Message, MessageState, Preference
from submissions import services as submission_services
from submissions.models import Assignment

from . import presentation_files as files
from .conftest import _staff_of, client_for
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, UserFactory, future

pytestmark = pytest.mark.django_db


def notices_of(user):
    return list(Message.objects.filter(user=user, channel=Channel.PORTAL).order_by("pk"))


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


@pytest.fixture
def commune(lang_son):
    return AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Nà Thử", email="xa@example.vn")


@pytest.fixture
def commune_official(commune):
    return UserFactory(role=Role.OFFICIAL, agency=commune, username="xa.canbo", email="canbo@xa.example.vn")


@pytest.fixture
def invited(lang_son, organiser, commune, commune_official, django_capture_on_commit_callbacks):
    conference = ConferenceFactory(
        province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency, date=future(20)
    )
    InviteeLineFactory(conference=conference, group_kinds=["xa"], quota=2)
    return conference_services.conference_invite(actor=organiser, conference=conference)


def _delegates(n):
    return [{"full_name": f"Lê Văn {i}", "position": "Chủ tịch UBND xã", "phone": "", "email": ""} for i in range(n)]


def test_an_official_hears_each_review_with_its_comment_by_portal_and_mail(
    lang_son, organiser, commune, commune_official, django_capture_on_commit_callbacks
):
    conference = ConferenceFactory(province=lang_son)
    assignment = submission_services.assignment_save(
        actor=organiser,
        assignment=Assignment(conference=conference, topic="Chuyển đổi số cấp xã", agency=commune, due_date=future(9)),
    )
    presentation = assignment.presentations.get()
    mail.outbox.clear()
    submission_services.version_upload(
        actor=commune_official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    # The organisers hear of the upload.
    (upload_notice,) = notices_of(organiser)
    assert "UBND xã Nà Thử gửi tham luận (bản 1)" in upload_notice.subject
    assert upload_notice.link == reverse("submissions:detail", args=[presentation.pk])
    assert client_for(organiser).get(upload_notice.link).status_code == 200  # where the organiser reviews it

    with django_capture_on_commit_callbacks(execute=True):
        submission_services.presentation_review(
            actor=organiser, presentation=presentation, decision="revise", comment="Bổ sung số liệu năm 2025."
        )
    (notice,) = notices_of(commune_official)
    assert notice.subject.startswith("Tham luận cần chỉnh sửa") and "Bổ sung số liệu năm 2025." in notice.body_text
    assert notice.link == reverse("submissions:detail", args=[presentation.pk])
    (email,) = mails_to("canbo@xa.example.vn")
    assert "Bổ sung số liệu năm 2025." in email.body

    # Chosen: no e-mail, the portal only.
    notification_services.preference_set(user=commune_official, mode=Preference.Mode.PORTAL)
    submission_services.version_upload(
        actor=commune_official, presentation=presentation, upload=files.upload("b.pdf", files.pdf_bytes())
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission_services.presentation_review(actor=organiser, presentation=presentation, decision="accept")
    assert notices_of(commune_official)[-1].subject.startswith("Tham luận đã được chấp nhận")
    assert len(mails_to("canbo@xa.example.vn")) == 1

    # Chosen: a daily digest: the e-mail waits to be merged.
    notification_services.preference_set(user=commune_official, mode=Preference.Mode.DIGEST)
    assignment2 = submission_services.assignment_save(
        actor=organiser,
        assignment=Assignment(conference=conference, topic="Một cửa liên thông", agency=commune, due_date=future(9)),
    )
    second = assignment2.presentations.get()
    submission_services.version_upload(
        actor=commune_official, presentation=second, upload=files.upload("c.pdf", files.pdf_bytes())
    )
    submission_services.presentation_review(actor=organiser, presentation=second, decision="reject", comment="Trùng.")
    held = Message.objects.get(email="canbo@xa.example.vn", subject__startswith="Tham luận không được chấp nhận")
    assert held.state == MessageState.HELD


def test_replies_are_told_to_the_organisers_and_a_reply_on_behalf_to_the_agency(
    invited, organiser, commune, commune_official
):
    invitation = invited.invitations.get(agency=commune)
    conference_services.invitation_reply(
        actor=commune_official, invitation=invitation, reply="attending", delegates=_delegates(2)
    )
    (told,) = notices_of(organiser)
    assert told.subject.startswith("UBND xã Nà Thử trả lời: tham dự") and "2 đại biểu" in told.body_text
    assert notices_of(commune_official) == []

    conference_services.invitation_reply(actor=organiser, invitation=invitation, reply="declined", delegates=[])
    (on_behalf,) = notices_of(commune_official)
    assert on_behalf.subject.startswith("Sở Nội vụ đã trả lời thay đơn vị: không tham dự")
    assert on_behalf.link == reverse("conferences:invitation-reply", args=[invitation.pk])
    assert len(notices_of(organiser)) == 1  # the organiser is not told of their own act


def test_a_note_on_a_duty_reaches_the_agency_and_its_completion_the_organisers(
    invited, organiser, commune, commune_official
):
    duty = Duty.objects.create(conference=invited, lead_agency=commune, task="Chuẩn bị báo cáo", due_date=future(5))
    conference_services.duty_sync_assignments(duty=duty)
    assignment = duty.assignments.get()
    conference_services.duty_report(
        actor=organiser, assignment=assignment, status="in_progress", note="Đề nghị gửi dự thảo trước ngày 10."
    )
    (note,) = notices_of(commune_official)
    assert "Chuẩn bị báo cáo" in note.subject and note.body_text == "Đề nghị gửi dự thảo trước ngày 10."
    conference_services.duty_report(actor=commune_official, assignment=assignment, status="done", note="Đã gửi.")
    (done,) = notices_of(organiser)
    assert done.subject == "UBND xã Nà Thử đã hoàn thành nhiệm vụ: Chuẩn bị báo cáo"
    assert done.link == reverse("conferences:assignment", args=[assignment.pk])


def test_an_issued_plan_is_told_to_the_invited_agencies_and_the_leaders_once(
    invited, organiser, commune_official, lang_son, django_capture_on_commit_callbacks
):
    leader = _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND")
    document = drafting.draft_conference_plan(actor=organiser, conference=invited)
    for name, value in {
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
        "recipients": "Như thành phần mời;\nLưu: VT.",
    }.items():
        setattr(document, name, value)
    document.save()
    with django_capture_on_commit_callbacks(execute=True):
        document_services.issue(actor=organiser, document=document)
    for person in (commune_official, leader):
        (notice,) = notices_of(person)
        assert notice.subject.startswith("Văn bản mới: Kế hoạch số ")
        assert notice.link == reverse("documents:detail", args=[document.pk])
        assert client_for(person).get(notice.link).status_code == 200


def test_the_overdue_summary_goes_once_a_day(invited, organiser, commune, commune_official):
    duty = Duty.objects.create(
        conference=invited,
        lead_agency=commune,
        task="Gửi số liệu",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    conference_services.duty_sync_assignments(duty=duty)
    from conferences import reminders

    reminders.schedule_duties(invited)
    assert notices.overdue_summaries() == 1
    assert notices.overdue_summaries() == 1  # a rerun the same morning
    (summary,) = notices_of(organiser)
    assert (
        summary.subject.startswith("[Quá hạn] 1 việc quá hạn") and "UBND xã Nà Thử: Hạn hoàn thành" in summary.body_text
    )
    tomorrow = timezone.now() + dt.timedelta(days=1)
    notices.overdue_summaries(now=tomorrow)
    assert len(notices_of(organiser)) == 2
    assert notices_of(commune_official) == []


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.LEADER, Role.OFFICIAL])
def test_every_role_has_the_notification_page_and_the_unread_count(lang_son, role):
    user = _staff_of(lang_son, role)
    notification_services.notify(
        recipients=[notification_services.Recipient(user_id=user.pk, name="x")],
        subject="Văn bản mới: thử",
        body_text="Nội dung",
        portal=True,
    )
    client = client_for(user)
    home = client.get("/").content.decode()
    assert 'class="badge rounded-pill text-bg-danger unread-count">1<' in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Văn bản mới: thử" in inbox


def test_a_reminder_whose_work_is_done_no_longer_counts_as_unread(invited, commune, commune_official):
    from conferences import reminders
    from notifications.selectors import unread_count

    invitation = invited.invitations.get(agency=commune)
    reminders.schedule_replies(invited)
    from notifications.models import ReminderStep

    step = ReminderStep.objects.filter(item__key=invitation.ref).order_by("send_at").first()
    notification_services.send_steps([step.pk], now=step.send_at)
    assert unread_count(commune_official) == 1
    conference_services.invitation_reply(
        actor=commune_official, invitation=invitation, reply="attending", delegates=_delegates(1)
    )
    assert unread_count(commune_official) == 0
    inbox = client_for(commune_official).get(reverse("notifications:inbox")).content.decode()
    assert "Đã xong" in inbox
