"""Work that survives the broker, and mail that is neither stuck nor
repeated: a request never fails because Redis cannot be reached (its job
waits queued in PostgreSQL and the page says so); the job sweep and the
"try again" buttons hand over what was lost; one message that cannot be
built fails alone, with its reason; subjects are one line; password-reset
mail goes through the outbox; the directory refuses a parent loop.

The broker is made unreachable by pointing Celery at a closed port; "the
broker back" is eager mode (the task runs inline, as a worker would). The
same with a real worker, a real Redis and kill -9 is in
test_resilience_worker.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone

from agencies import services as directory
from agencies.models import AgencyKind
from conferences.models import Invitation
from config.celery import app
from core import jobs
from core.exceptions import Refused
from core.scoping import scopes_disabled
from documents import services as document_services
from documents.models import Document, RenderBatch, RenderedFile
from notifications import services as outbox
from notifications import tasks as notification_tasks
from notifications.models import Channel, Message, MessageState
from notifications.services import Recipient
from submissions import services as submission_services
from submissions.models import Assignment, Booklet

from . import presentation_files, test_documents
from .conftest import client_for
from .factories import AgencyFactory, ConferenceFactory, future
from .smtp_server import free_port

committee, communes, conference = test_documents.committee, test_documents.communes, test_documents.conference
invitation = test_documents.invitation


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


class Broker:
    """Celery pointed at a port nobody listens on, then given back."""

    def __init__(self):
        self.saved = app.conf.broker_url, app.conf.task_always_eager

    def down(self):
        app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{free_port()}/0", False
        self._reset()

    def back(self):
        # Eager: the task runs here, as a worker would have run it.
        app.conf.broker_url, app.conf.task_always_eager = self.saved
        self._reset()

    @staticmethod
    def _reset():
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def broker():
    broker = Broker()
    broker.down()
    yield broker
    broker.back()


# --- A request never fails because the broker is down ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_issue_with_the_broker_unreachable_issues_and_its_files_wait_queued(invitation, organiser, broker):
    response = client_for(organiser).post(reverse("documents:issue", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Document.Status.ISSUED and invitation.number == 1
    files = RenderedFile.objects.filter(document=invitation)
    assert sorted(files.values_list("kind", "status", "dispatched_at")) == [
        ("docx", "queued", None),
        ("pdf", "queued", None),
    ]
    # Queued a while: the page says it waits for the server, and offers to try again.
    files.update(queued_at=timezone.now() - dt.timedelta(minutes=1))
    page = client_for(organiser).get(reverse("documents:detail", args=[invitation.pk])).content.decode()
    assert "Đang chờ máy chủ xử lý" in page and "Thử lại" in page

    broker.back()
    assert jobs.run_sweeps(now=later(2))["documents"] == 2
    assert sorted(files.values_list("kind", "status")) == [("docx", "done"), ("pdf", "done")]
    invitation.refresh_from_db()
    assert invitation.issued_sha256 == invitation.issued_file.sha256 != ""


@pytest.mark.django_db(transaction=True)
def test_a_file_asked_for_with_the_broker_down_waits_and_try_again_requeues_a_stuck_one(invitation, organiser, broker):
    url = reverse("documents:file-request", args=[invitation.pk, "pdf"])
    assert client_for(organiser).post(url).status_code == 302
    row = RenderedFile.objects.get(document=invitation, kind="pdf")
    assert (row.status, row.dispatched_at) == ("queued", None)
    # A worker took it and was killed: "running" for an hour.
    RenderedFile.objects.filter(pk=row.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=1), attempts=1
    )
    page = client_for(organiser).get(reverse("documents:files", args=[invitation.pk])).content.decode()
    assert "Thử lại" in page
    broker.back()
    assert client_for(organiser).post(url).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 1)


@pytest.mark.django_db(transaction=True)
def test_personal_copies_stuck_after_a_killed_worker_are_finished_by_try_again(invitation, organiser, broker):
    client = client_for(organiser)
    assert client.post(reverse("documents:batch-request", args=[invitation.pk])).status_code == 302
    batch = RenderBatch.objects.get(document=invitation)
    items = list(batch.items.order_by("pk"))
    assert len(items) == 3 and batch.status == "queued"
    # As a kill -9 leaves it: running, one copy done, one taken, one never reached.
    broker.back()
    document_services.file_render(row_id=items[0].pk)
    RenderBatch.objects.filter(pk=batch.pk).update(status="running", started_at=timezone.now())
    RenderedFile.objects.filter(pk=items[1].pk).update(status="running", started_at=timezone.now(), attempts=1)
    assert client.post(reverse("documents:batch-request", args=[invitation.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done", batch.error
    # Asked again, the copies not done start afresh (their attempts too); the done one is kept.
    assert sorted(batch.items.values_list("status", "attempts")) == [("done", 1)] * 3


@pytest.mark.django_db(transaction=True)
def test_invitations_sent_while_the_broker_is_down_are_delivered_by_the_sweep(
    conference, invitation, organiser, broker
):
    broker.back()
    document_services.issue(actor=organiser, document=invitation)
    document_services.request_batch(actor=organiser, document=invitation)  # the copies are rendered (inline)
    broker.down()
    response = client_for(organiser).post(reverse("conferences:send-invitations", args=[conference.pk]))
    assert response.status_code == 302
    asked = Invitation.objects.filter(conference=conference, send_requested_at__isnull=False)
    assert asked.count() == 3 and not asked.filter(sent_at__isnull=False).exists()
    assert not Message.objects.filter(channel=Channel.EMAIL).exists()
    broker.back()
    assert jobs.run_sweeps(now=later(6))["invitations"] == 1
    assert asked.filter(sent_at__isnull=False).count() == 3
    assert sorted(Message.objects.filter(channel=Channel.EMAIL).values_list("email", "state")) == [
        (f"xa{i}@example.gov.vn", "sent") for i in range(3)
    ]
    assert jobs.run_sweeps(now=later(12))["invitations"] == 0  # nothing left to hand over


@pytest.mark.django_db(transaction=True)
def test_the_sweep_requeues_a_file_left_running_and_fails_one_that_killed_its_workers(invitation, organiser):
    pdf = document_services.request_file(document=invitation, kind="pdf")
    docx = document_services.request_file(document=invitation, kind="docx")
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    RenderedFile.objects.filter(pk=pdf.pk).update(status="running", started_at=long_ago, attempts=1)
    RenderedFile.objects.filter(pk=docx.pk).update(status="running", started_at=long_ago, attempts=jobs.MAX_ATTEMPTS)
    jobs.run_sweeps(now=timezone.now())
    pdf.refresh_from_db(), docx.refresh_from_db()
    assert (pdf.status, pdf.attempts) == ("done", 2)
    assert docx.status == "failed" and "dừng giữa chừng" in docx.error


def _accepted_presentation(conference, organiser, lang_son):
    agency = AgencyFactory(province=lang_son, name="Sở Tư pháp")
    assignment = submission_services.assignment_save(
        actor=organiser,
        assignment=Assignment(conference=conference, topic="Chủ đề", agency=agency, order=1, due_date=future(5)),
    )
    presentation = assignment.presentations.get()
    data = presentation_files.pdf_bytes("TUPHAP", 1)
    submission_services.version_upload(
        actor=organiser, presentation=presentation, upload=presentation_files.upload("tuphap.pdf", data)
    )
    submission_services.presentation_review(actor=organiser, presentation=presentation, decision="accept")


@pytest.mark.django_db(transaction=True)
def test_a_booklet_asked_for_with_the_broker_down_is_built_by_the_sweep(organiser, lang_son, broker):
    conference = ConferenceFactory(province=lang_son)
    with scopes_disabled():
        _accepted_presentation(conference, organiser, lang_son)
    response = client_for(organiser).post(reverse("submissions:booklet-request", args=[conference.pk]))
    assert response.status_code == 302
    booklet = Booklet.objects.get(conference=conference)
    assert (booklet.status, booklet.dispatched_at) == ("queued", None)
    broker.back()
    assert jobs.run_sweeps(now=later(2))["booklets"] == 1
    booklet.refresh_from_db()
    assert (booklet.status, booklet.attempts) == ("done", 1)


@pytest.mark.django_db(transaction=True)
def test_try_again_requeues_a_booklet_stuck_running(organiser, lang_son):
    conference = ConferenceFactory(province=lang_son)
    with scopes_disabled():
        _accepted_presentation(conference, organiser, lang_son)
    client = client_for(organiser)
    client.post(reverse("submissions:booklet-request", args=[conference.pk]))
    booklet = Booklet.objects.get(conference=conference)
    # Its worker died a minute into the build: before, the button did nothing for half an hour.
    Booklet.objects.filter(pk=booklet.pk).update(status="running", started_at=timezone.now() - dt.timedelta(minutes=1))
    client.post(reverse("submissions:booklet-request", args=[conference.pk]))
    booklet.refresh_from_db()
    assert booklet.status == "done", booklet.error


# --- Mail: one line, failed alone and with its reason, within the attempt limit -----------------


@pytest.mark.django_db(transaction=True)
def test_a_title_typed_on_two_lines_gives_a_one_line_subject_and_the_mail_goes(mailoutbox):
    outbox.notify(
        recipients=[Recipient(email="xa1@example.gov.vn", name="UBND xã\r\nThử 1")],
        subject="Giấy mời số 5/GM-UBND: Dự Hội nghị\nphân tích chỉ số\u2028CCHC",
        body_text="Kính mời.",
    )
    message = Message.objects.get()
    assert (message.subject, message.name) == (
        "Giấy mời số 5/GM-UBND: Dự Hội nghị phân tích chỉ số CCHC",
        "UBND xã Thử 1",
    )
    assert message.state == MessageState.SENT
    assert [m.subject for m in mailoutbox] == ["Giấy mời số 5/GM-UBND: Dự Hội nghị phân tích chỉ số CCHC"]


@pytest.mark.django_db(transaction=True)
def test_a_message_that_cannot_be_built_fails_with_its_reason_and_the_rest_of_its_chunk_goes(mailoutbox):
    def row(email):
        return Message.objects.create(channel=Channel.EMAIL, email=email, subject="Nhắc hạn", body_text="…")

    good, bad, other = row("a@example.gov.vn"), row("b@example.gov.vn\nBcc: x@example.com"), row("c@example.gov.vn")
    notification_tasks.send_messages(message_ids=[good.pk, bad.pk, other.pk])
    states = dict(Message.objects.values_list("pk", "state"))
    assert states == {good.pk: "sent", bad.pk: "failed", other.pk: "sent"}
    bad.refresh_from_db()
    assert bad.attempts == 1 and "Không tạo được thư" in bad.last_error
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.gov.vn", "c@example.gov.vn"]
    # Never retried: no sweep takes it again.
    outbox.run_sweep(now=later(60))
    bad.refresh_from_db()
    assert (bad.state, bad.attempts, len(mailoutbox)) == ("failed", 1, 2)


@pytest.mark.django_db(transaction=True)
def test_a_message_left_sending_after_its_last_attempt_is_failed_not_sent_again(settings, mailoutbox):
    stale = timezone.now() - dt.timedelta(hours=1)
    spent = Message.objects.create(
        channel=Channel.EMAIL,
        email="a@example.gov.vn",
        subject="Nhắc hạn",
        body_text="…",
        state=MessageState.SENDING,
        sending_since=stale,
        attempts=settings.NOTIFICATION_MAX_ATTEMPTS,
    )
    left = Message.objects.create(
        channel=Channel.EMAIL,
        email="b@example.gov.vn",
        subject="Nhắc hạn",
        body_text="…",
        state=MessageState.SENDING,
        sending_since=stale,
        attempts=1,
    )
    result = outbox.run_sweep(now=timezone.now())
    assert result["recovered"] == 1
    spent.refresh_from_db(), left.refresh_from_db()
    assert spent.state == "failed" and "không gửi lại" in spent.last_error
    assert (left.state, left.attempts) == ("sent", 2)
    assert [m.to for m in mailoutbox] == [["b@example.gov.vn"]]


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_goes_through_the_outbox_once(client, organiser, mailoutbox, monkeypatch):
    # The same second: the same link (a double click).
    moment = dt.datetime(2026, 5, 4, 9, 0, 0)
    monkeypatch.setattr(default_token_generator, "_now", lambda: moment)
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": organiser.email}).status_code == 302
    message = Message.objects.get(ref="auth.password_reset")
    assert (message.email, message.state, message.channel) == (organiser.email, "sent", "email")
    assert len(mailoutbox) == 1
    assert "/tai-khoan/dat-lai-mat-khau/" in mailoutbox[0].body and "\n" not in mailoutbox[0].subject


# --- The directory refuses a parent loop ---------------------------------------------------------


@pytest.fixture
def chain(lang_son):
    top = AgencyFactory(province=lang_son, code="SXD", name="Sở Xây dựng", parent=None, kind=AgencyKind.DEPARTMENT)
    middle = AgencyFactory(province=lang_son, code="SXD-VP", name="Văn phòng Sở Xây dựng", parent=top)
    bottom = AgencyFactory(province=lang_son, code="SXD-TCHC", name="Tổ Hành chính", parent=middle)
    return top, middle, bottom


@pytest.mark.django_db
def test_a_unit_under_an_agency_is_refused_as_its_parent_on_the_form(organiser, chain):
    top, _middle, bottom = chain
    data = {"code": "SXD", "name": "Sở Xây dựng", "short_name": "", "kind": AgencyKind.DEPARTMENT, "parent": bottom.pk}
    response = client_for(organiser).post(reverse("agencies:agency-update", args=[top.pk]), data)
    assert response.status_code == 200
    assert "vòng lặp" in response.content.decode()
    top.refresh_from_db()
    assert top.parent_id is None


@pytest.mark.django_db
def test_the_directory_service_refuses_a_parent_loop(organiser, chain):
    top, middle, bottom = chain
    for parent in (top, bottom):
        top.parent = parent
        with pytest.raises(Refused, match="vòng lặp"):
            directory.agency_save(actor=organiser, agency=top)
    top.refresh_from_db()
    assert top.parent_id is None
    bottom.parent = top  # a move within the tree is no loop
    directory.agency_save(actor=organiser, agency=bottom)
    assert middle.parent_id == top.pk
