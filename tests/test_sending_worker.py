"""The invitation send end to end: a real Celery worker renders each
agency's copy and a real SMTP server (aiosmtpd) receives the mail. Two
presses at once, from two threads, send each invitee one e-mail with its
own PDF and one portal notice."""

from __future__ import annotations

import email
import io
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import Role
from conferences import drafting
from conferences.models import Invitation
from documents import services as document_services
from notifications.models import Channel, Message

from . import test_documents, test_notifications_worker
from .conftest import client_for
from .factories import UserFactory
from .test_documents import ready
from .test_notifications_worker import wait_for

# The fixtures this test shares with the documents' and the reminders' tests.
committee, communes, conference = test_documents.committee, test_documents.communes, test_documents.conference
redis, smtp, worker = test_notifications_worker.redis, test_notifications_worker.smtp, test_notifications_worker.worker

pytestmark = pytest.mark.django_db(transaction=True)


def attachment_text(message: email.message.Message) -> tuple[str, str]:
    for part in message.walk():
        if part.get_content_type() == "application/pdf":
            data = part.get_payload(decode=True)
            return part.get_filename(), "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    raise AssertionError("no PDF attached")


def test_two_presses_at_once_send_each_invitee_one_mail_with_its_pdf_and_one_notice(
    conference, organiser, communes, worker, smtp
):
    official = UserFactory(role=Role.OFFICIAL, agency=communes[1], username="xa1.canbo", email="cb1@example.gov.vn")
    document = ready(drafting.draft_invitation(actor=organiser, conference=conference))
    document_services.issue(actor=organiser, document=document)
    url = reverse("conferences:send-invitations", args=[conference.pk])
    statuses = []

    def press():
        try:
            statuses.append(client_for(organiser).post(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]

    assert wait_for(lambda: len(smtp.mailbox.delivered) >= 3, timeout=90), smtp.mailbox.delivered
    time.sleep(2)  # anything sent twice would arrive by now
    delivered = smtp.mailbox.delivered
    assert sorted(d["to"][0] for d in delivered) == [f"xa{i}@example.gov.vn" for i in range(3)]
    for entry in delivered:
        i = int(entry["to"][0][2])
        name, text = attachment_text(entry["message"])
        assert f"UBND xã Thử {i}" in name and f"UBND xã Thử {i}" in text
        assert not any(f"UBND xã Thử {j}" in text for j in range(3) if j != i)
    assert Message.objects.filter(channel=Channel.PORTAL).count() == 1
    assert Message.objects.get(channel=Channel.PORTAL).user == official
    assert Invitation.objects.filter(conference=conference, sent_at__isnull=False).count() == 3
