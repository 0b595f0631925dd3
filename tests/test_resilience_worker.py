"""Background work through a real Celery worker and a real Redis, killed
and restarted: a batch of 43 personal invitations finishes after kill -9
of its worker and a Redis restart; tasks lost with a Redis that keeps
nothing are handed over again by the job sweep, and with one that keeps
them nothing is done twice; a document issued while Redis cannot be
reached is rendered once it can; a conference title typed on two lines
reaches 43 agencies as 43 e-mails with a one-line subject. Time is moved
for the sweep (its `now`), not waited for."""

from __future__ import annotations

import datetime as dt
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind
from conferences import drafting
from conferences.models import Invitation
from config.celery import app
from core import jobs
from documents import services as document_services
from documents.models import Document, RenderBatch, RenderedFile
from notifications.models import Channel, Message, MessageState

from . import test_documents, test_notifications_worker
from .conftest import client_for
from .factories import AgencyFactory
from .smtp_server import free_port
from .test_documents import ready
from .test_notifications_worker import Redis, Worker, wait_for

committee, conference, invitation = test_documents.committee, test_documents.conference, test_documents.invitation
smtp = test_notifications_worker.smtp

pytestmark = pytest.mark.django_db(transaction=True)
AGENCIES = 43


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def communes(lang_son):
    return [
        AgencyFactory(
            province=lang_son, kind=AgencyKind.COMMUNE, name=f"UBND xã Thử {i:02d}", email=f"xa{i:02d}@example.gov.vn"
        )
        for i in range(AGENCIES)
    ]


class KeepingRedis(Redis):
    """A private Redis that keeps its data across a restart (append-only file)."""

    def __init__(self, folder):
        super().__init__()
        self.folder = folder

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "yes"]
            + ["--appendfsync", "always", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ),
            10,
        )


def _point_at(url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis(request, tmp_path):
    """As the reminders' fixture; `indirect` True gives a Redis that keeps its data."""
    server = KeepingRedis(tmp_path) if getattr(request, "param", False) else Redis()
    server.start()
    old = app.conf.broker_url, app.conf.task_always_eager
    _point_at(server.url)
    app.conf.task_always_eager = False
    yield server
    _point_at(old[0])
    app.conf.task_always_eager = old[1]
    if server.process.poll() is None:
        server.stop()


def _answers() -> bool:
    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:  # noqa: BLE001 — a connection of the Redis before its restart
        _point_at(app.conf.broker_url)
        return False


class SturdyWorker(Worker):
    """The reminders' worker, waited for past the dead connections a Redis restart leaves."""

    def start(self):
        try:
            super().start()
        except Exception:  # noqa: BLE001 — the wait's first ping used a connection of the old server
            assert wait_for(_answers, 60), "the worker did not start"


@pytest.fixture
def worker(redis, smtp):
    """A worker the test starts (and kills) itself."""
    process = SturdyWorker(redis, smtp)
    yield process
    process.stop()


def restart(redis: Redis) -> None:
    redis.stop()
    redis.start()
    _point_at(redis.url)  # the pooled connections died with the server


def copies(batch: RenderBatch):
    return RenderedFile.objects.filter(batch=batch)


def test_a_worker_killed_mid_batch_and_redis_restarted_the_sweep_finishes_the_batch(
    invitation, organiser, worker, redis
):
    worker.start()
    batch = document_services.request_batch(actor=organiser, document=invitation)
    assert batch.total == AGENCIES
    assert wait_for(lambda: copies(batch).filter(status="done").count() >= 5, timeout=120)
    worker.kill()
    done_at_kill = copies(batch).filter(status="done").count()
    assert done_at_kill < AGENCIES
    # The chunks still in Redis go with it: a Redis that keeps nothing.
    restart(redis)
    worker.start()
    time.sleep(2)
    assert copies(batch).filter(status="done").count() == done_at_kill  # nobody knows about the rest
    handed = jobs.run_sweeps(now=later(10))
    assert handed["documents"] >= 1
    assert wait_for(lambda: RenderBatch.objects.get(pk=batch.pk).status == "done", timeout=180)
    # Every copy rendered; only the one the killed worker held was taken twice.
    attempts = sorted(copies(batch).values_list("attempts", flat=True))
    assert copies(batch).filter(status="done").count() == AGENCIES
    assert attempts[:-1] == [1] * (AGENCIES - 1) and attempts[-1] in (1, 2)


@pytest.mark.parametrize("redis", [False, True], ids=["redis-keeps-nothing", "redis-keeps-its-data"], indirect=True)
def test_tasks_in_a_restarted_redis_are_neither_lost_nor_done_twice(invitation, organiser, worker, redis):
    # No worker yet: the tasks wait in Redis.
    pdf = document_services.request_file(document=invitation, kind="pdf")
    docx = document_services.request_file(document=invitation, kind="docx")
    batch = document_services.request_batch(actor=organiser, document=invitation)
    assert RenderedFile.objects.filter(pk__in=[pdf.pk, docx.pk], dispatched_at__isnull=False).count() == 2
    restart(redis)
    worker.start()
    jobs.run_sweeps(now=later(6))
    rows = RenderedFile.objects.filter(document=invitation)
    assert wait_for(lambda: RenderBatch.objects.get(pk=batch.pk).status == "done", timeout=180)
    assert wait_for(lambda: rows.exclude(status="done").count() == 0, timeout=60)
    time.sleep(2)  # anything handed over twice would run by now
    jobs.run_sweeps(now=later(12))
    time.sleep(2)
    assert rows.count() == AGENCIES + 2
    assert set(rows.values_list("attempts", flat=True)) == {1}


def test_a_document_issued_while_redis_is_unreachable_is_rendered_once_it_is_back(invitation, organiser, worker, redis):
    worker.start()
    _point_at(f"redis://127.0.0.1:{free_port()}/0")
    response = client_for(organiser).post(reverse("documents:issue", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Document.Status.ISSUED and invitation.number == 1
    files = RenderedFile.objects.filter(document=invitation)
    assert set(files.values_list("status", flat=True)) == {"queued"}
    _point_at(redis.url)
    assert jobs.run_sweeps(now=later(2))["documents"] == 2
    assert wait_for(lambda: files.exclude(status="done").count() == 0, timeout=60)
    invitation.refresh_from_db()
    assert invitation.issued_sha256 and set(files.values_list("attempts", flat=True)) == {1}


def test_a_title_on_two_lines_reaches_43_agencies_with_a_one_line_subject(conference, organiser, worker, smtp):
    worker.start()
    conference.title = "Hội nghị phân tích chỉ số CCHC\r\ncủa tỉnh Lạng Sơn"
    conference.save()
    document = ready(drafting.draft_invitation(actor=organiser, conference=conference))
    document_services.issue(actor=organiser, document=document)
    response = client_for(organiser).post(reverse("conferences:send-invitations", args=[conference.pk]))
    assert response.status_code == 302
    assert wait_for(lambda: len(smtp.mailbox.delivered) >= AGENCIES, timeout=240), len(smtp.mailbox.delivered)
    time.sleep(2)  # anything sent twice would arrive by now
    delivered = smtp.mailbox.delivered
    assert sorted(d["to"][0] for d in delivered) == [f"xa{i:02d}@example.gov.vn" for i in range(AGENCIES)]
    subjects = {d["subject"] for d in delivered}
    assert len(subjects) == 1
    subject = subjects.pop()
    assert "\n" not in subject and "\r" not in subject
    assert subject.endswith("Dự Hội nghị phân tích chỉ số CCHC của tỉnh Lạng Sơn")
    mails = Message.objects.filter(channel=Channel.EMAIL)
    assert mails.count() == AGENCIES and set(mails.values_list("state", flat=True)) == {MessageState.SENT}
    assert Invitation.objects.filter(conference=conference, sent_at__isnull=False).count() == AGENCIES
