"""Invitations that reach people: one action on the conference's "Gửi giấy
mời" page checks everything at once, freezes the invitees, renders each
agency's copy and hands it to the outbox (an e-mail with its own PDF, a
notice to its officials), exactly once; a re-send reaches only the agencies
added since; each agency's state (sent, failed with its reason, read on the
portal) is on the page."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import AgencyKind, Role
from conferences import drafting
from conferences import services as conference_services
from conferences.models import ConferenceStatus, Invitation
from documents import services as document_services
from notifications.models import Channel, Message, MessageState

from . import test_documents
from .conftest import client_for
from .factories import AgencyFactory, UserFactory
from .test_documents import ready

# The fixtures this test shares with the documents' tests.
committee, communes, conference = test_documents.committee, test_documents.communes, test_documents.conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_official(communes):
    return UserFactory(role=Role.OFFICIAL, agency=communes[0], username="xa0.canbo", email="canbo.xa0@example.gov.vn")


@pytest.fixture
def issued(conference, organiser, django_capture_on_commit_callbacks):
    document = ready(drafting.draft_invitation(actor=organiser, conference=conference))
    with django_capture_on_commit_callbacks(execute=True):
        return document_services.issue(actor=organiser, document=document)


def send(client, conference, callbacks):
    with callbacks(execute=True):
        return client.post(reverse("conferences:send-invitations", args=[conference.pk]))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_one_press_sends_each_invitee_its_own_copy_and_a_notice_once(
    conference, issued, organiser, communes, commune_official, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert "Gửi giấy mời tới 3 đơn vị" in page and "xa1@example.gov.vn" in page
    mail.outbox.clear()

    response = send(client, conference, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.INVITED
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["xa0@example.gov.vn", "xa1@example.gov.vn", "xa2@example.gov.vn"]
    for i in range(3):
        message = by_address[f"xa{i}@example.gov.vn"]
        ((name, data, kind),) = message.attachments
        assert kind == "application/pdf" and f"UBND xã Thử {i}" in name
        # Its own copy: "Kính gửi" names this commune and no other.
        text = pdf_text(data)
        assert f"UBND xã Thử {i}" in text and not any(f"UBND xã Thử {j}" in text for j in range(3) if j != i)
        assert message.subject.startswith("Giấy mời số ") and f"Kính gửi: UBND xã Thử {i}" in message.body
    notice = Message.objects.get(user=commune_official, channel=Channel.PORTAL)
    invitation = Invitation.objects.get(conference=conference, agency=communes[0])
    assert notice.link == reverse("conferences:invitation-reply", args=[invitation.pk]) and notice.read_at is None
    assert Invitation.objects.filter(conference=conference, sent_at__isnull=False).count() == 3

    # Pressed again, or the worker's delivery run again: nothing twice.
    assert send(client, conference, django_capture_on_commit_callbacks).status_code == 302
    conference_services.invitations_deliver(conference_id=conference.pk)
    assert len(mail.outbox) == 3 and Message.objects.filter(channel=Channel.PORTAL).count() == 1

    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert page.count("Đã gửi thư") == 3 and "Chưa đọc" in page

    # The official opens the invitation: the notice is read, the organiser sees it.
    official = client_for(commune_official)
    reply_page = official.get(notice.link)
    assert reply_page.status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Đã đọc" in client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    # …and downloads its own copy from there.
    copy = official.get(reverse("conferences:invitation-copy", args=[invitation.pk]))
    assert copy.status_code == 200 and "UBND xã Thử 0" in pdf_text(b"".join(copy.streaming_content))
    other = Invitation.objects.get(conference=conference, agency=communes[1])
    assert official.get(reverse("conferences:invitation-copy", args=[other.pk])).status_code in (403, 404)


def test_everything_missing_is_said_at_once_and_nothing_changes(
    conference, organiser, django_capture_on_commit_callbacks
):
    conference.venue_tba = True
    conference.save()
    client = client_for(organiser)
    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert "Chưa có giấy mời" in page and "thông báo sau" in page
    assert "Gửi giấy mời tới" not in page  # no button while something is missing
    response = send(client, conference, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.DRAFT and not conference.invitations.exists()
    assert Message.objects.count() == 0


def test_a_drafted_but_unissued_invitation_is_named(conference, organiser):
    ready(drafting.draft_invitation(actor=organiser, conference=conference))
    problems = conference_services.send_problems(conference, None)
    assert any("chưa ban hành" in p for p in problems)


def test_resending_after_invitees_changed_reaches_only_the_new_ones(
    conference, issued, organiser, lang_son, communes, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    send(client, conference, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    post = AgencyFactory(province=lang_son, kind=AgencyKind.POST, name="Bưu điện tỉnh", email="buudien@example.vn")
    conference.refresh_from_db()
    conference_services.conference_part_save(
        actor=organiser,
        conference=conference,
        part="invitees",
        rows=[{"text": "Giám đốc Bưu điện tỉnh", "target": "agency", "agency": post, "role": "delegate", "quota": 1}],
        reason="Bổ sung theo chỉ đạo",
    )
    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert "Gửi cho 1 đơn vị mới" in page
    mail.outbox.clear()
    send(client, conference, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["buudien@example.vn"]]
    assert "Bưu điện tỉnh" in pdf_text(mail.outbox[0].attachments[0][1])


def test_a_failed_mail_shows_its_reason_on_the_agency_row(
    conference, issued, organiser, communes, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    send(client, conference, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(conference=conference, agency=communes[2])
    Message.objects.filter(ref=invitation.ref, channel=Channel.EMAIL).update(
        state=MessageState.FAILED, last_error="550 5.1.1 Hộp thư không tồn tại"
    )
    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert "Gửi thư lỗi" in page and "550 5.1.1 Hộp thư không tồn tại" in page


def test_only_organisers_of_the_province_reach_the_page(conference, official, other_organiser):
    url = reverse("conferences:send-invitations", args=[conference.pk])
    assert client_for(official).get(url).status_code in (403, 404)
    assert client_for(other_organiser).get(url).status_code == 404
    assert client_for(official).post(url).status_code in (403, 404)
    assert not conference.invitations.exists()


def test_a_failed_mail_sent_again_counts_by_its_new_copy(
    conference, issued, organiser, communes, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    send(client, conference, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(conference=conference, agency=communes[2])
    failed = Message.objects.get(ref=invitation.ref, channel=Channel.EMAIL)
    Message.objects.filter(pk=failed.pk).update(state=MessageState.FAILED, last_error="451 thử lại sau")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conferences:reminder-resend", args=[conference.pk, failed.pk]))
    assert response.status_code == 302 and [m.to for m in mail.outbox] == [["xa2@example.gov.vn"]]
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")
    page = client.get(reverse("conferences:send-invitations", args=[conference.pk])).content.decode()
    assert "Gửi thư lỗi" not in page and page.count("Đã gửi thư") == 3


def test_the_conference_page_says_when_new_invitees_wait_for_their_invitation(
    conference, issued, organiser, lang_son, django_capture_on_commit_callbacks
):
    client = client_for(organiser)
    send(client, conference, django_capture_on_commit_callbacks)
    detail = reverse("conferences:detail", args=[conference.pk])
    assert "chưa nhận giấy mời" not in client.get(detail).content.decode()
    post = AgencyFactory(province=lang_son, kind=AgencyKind.POST, name="Bưu điện tỉnh", email="bd@example.vn")
    conference.refresh_from_db()
    conference_services.conference_part_save(
        actor=organiser,
        conference=conference,
        part="invitees",
        rows=[{"text": "Giám đốc Bưu điện tỉnh", "target": "agency", "agency": post, "role": "delegate", "quota": 1}],
        reason="Bổ sung",
    )
    page = client.get(detail).content.decode()
    assert "1 đơn vị mới được thêm vào thành phần mời chưa nhận giấy mời" in page
    assert "Gửi giấy mời cho đơn vị mới" in page
