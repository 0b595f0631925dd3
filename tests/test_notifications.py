"""Reminders: the schedule a policy gives, the sweep that sends each step
once, and the outbox that records every message, against a real SMTP server."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import schedule, services
from notifications.models import Channel, DeadlineItem, Message, MessageState, ReminderPolicy, ReminderStep, StepState
from notifications.services import Recipient

from .factories import UserFactory
from .smtp_server import SMTPServer

TZ = timezone.get_default_timezone()


def at(day: str, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=TZ)


def policy(**values) -> ReminderPolicy:
    return ReminderPolicy(scope="", **{**services.DEFAULT_POLICY, **values})


# --- Schedule -----------------------------------------------------------------------------


def test_default_policy_reminds_7_3_1_days_before_on_the_day_then_every_2_days_3_times():
    # Due Friday 4/12/2026 at the end of the day.
    steps = schedule.steps_for(at("2026-12-04", 23, 59), policy(skip_weekends=False))
    assert [(code, when.astimezone(TZ).strftime("%a %d/%m %H:%M")) for code, when in steps] == [
        ("truoc-7", "Fri 27/11 08:00"),
        ("truoc-3", "Tue 01/12 08:00"),
        ("truoc-1", "Thu 03/12 08:00"),
        ("ngay-han", "Fri 04/12 08:00"),
        ("qua-han-1", "Sun 06/12 08:00"),
        ("qua-han-2", "Tue 08/12 08:00"),
        ("qua-han-3", "Thu 10/12 08:00"),
    ]


def test_weekends_and_holidays_move_steps_to_a_working_day():
    steps = dict(schedule.steps_for(at("2026-12-07", 17), policy(holidays=["2026-12-03"])))
    # Due Monday 7/12: 1 day before is Sunday → Friday 4/12; 3 days before is Friday too (one step);
    # 7 days before is Monday 30/11; overdue +2 is Wednesday 9/12; a holiday on Thursday 3/12 is skipped.
    assert {code: when.astimezone(TZ).date().isoformat() for code, when in steps.items()} == {
        "truoc-7": "2026-11-30",
        "truoc-1": "2026-12-04",
        "ngay-han": "2026-12-07",
        "qua-han-1": "2026-12-09",
        "qua-han-2": "2026-12-11",
        "qua-han-3": "2026-12-14",
    }


# --- Deadlines and the sweep ------------------------------------------------------------------


@pytest.fixture
def official(db):
    return UserFactory(email="ketoan@stc.example", full_name="Phạm Thị Nga")


def _deadline(user, due="2026-12-04", key="submissions.presentation:1", now=None, **extra):
    return services.deadline_set(
        key=key,
        scope="conferences.conference:1",
        due_at=at(due, 23, 59),
        what="Hạn gửi tham luận",
        context="Hội nghị phân tích SIPAS, PAR INDEX 2025",
        link="/tham-luan/1/",
        agency_name="Sở Tài chính",
        recipients=[Recipient(email=user.email, name=user.full_name, user_id=user.pk)],
        now=now or at("2026-11-20"),
        **extra,
    )


def test_due_step_is_sent_once_by_mail_and_in_the_portal(official, django_capture_on_commit_callbacks, monkeypatch):
    from notifications import clock

    monkeypatch.setattr(clock, "now", lambda: at("2026-11-27", 8, 1))  # the worker writes the body when it sends
    _deadline(official)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_sweep(now=at("2026-11-27", 8, 1))
    assert result["steps"] == 1 and len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == ("[Cần xử lý] Hạn gửi tham luận: 4/12/2026 — Hội nghị phân tích SIPAS, PAR INDEX 2025")
    assert "còn 7 ngày" in sent.body and "http://127.0.0.1:8000/tham-luan/1/" in sent.body
    assert "text/html" in sent.alternatives[0][1]
    assert Message.objects.get(channel=Channel.PORTAL).user == official
    assert Message.objects.get(channel=Channel.EMAIL).state == MessageState.SENT
    with django_capture_on_commit_callbacks(execute=True):
        again = services.run_sweep(now=at("2026-11-27", 8, 3))
    assert again["steps"] == 0 and len(mail.outbox) == 1


def test_steps_already_past_when_planned_are_not_sent_late(official):
    _deadline(official, now=at("2026-12-02", 9))
    states = dict(ReminderStep.objects.values_list("code", "state"))
    assert states["truoc-7"] == states["truoc-3"] == StepState.DROPPED
    assert states["truoc-1"] == states["ngay-han"] == StepState.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_step_once(official):
    for n in range(40):
        _deadline(official, key=f"item:{n}")
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        barrier.wait()
        try:
            results.append(services.run_sweep(now=at("2026-11-27", 8, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["steps"] for r in results) == 40
    assert Message.objects.filter(channel=Channel.EMAIL).count() == 40
    assert len(mail.outbox) == 40 and len({m.subject + m.to[0] + str(i) for i, m in enumerate(mail.outbox)}) == 40


def test_moved_deadline_moves_its_pending_steps(official):
    _deadline(official)
    _deadline(official, due="2026-12-11")
    steps = dict(ReminderStep.objects.filter(state=StepState.PENDING).values_list("code", "send_at"))
    assert steps["ngay-han"].astimezone(TZ).date() == dt.date(2026, 12, 11)
    assert steps["truoc-7"].astimezone(TZ).date() == dt.date(2026, 12, 4)
    assert DeadlineItem.objects.count() == 1


def test_finished_item_gets_no_more_reminders(official, django_capture_on_commit_callbacks):
    _deadline(official)
    services.deadline_done(keys=["submissions.presentation:1"], now=at("2026-11-21"))
    with django_capture_on_commit_callbacks(execute=True):
        services.run_sweep(now=at("2026-12-20"))
    assert not Message.objects.exists() and not mail.outbox
    assert not ReminderStep.objects.filter(state=StepState.PENDING).exists()


def test_digest_gathers_a_persons_reminders_into_one_mail(official, django_capture_on_commit_callbacks):
    services.preference_set(user=official, mode="digest")
    _deadline(official, key="a")
    _deadline(official, key="b", due="2026-11-30")  # its 7-day step (23/11) is overtaken by the 3-day one
    with django_capture_on_commit_callbacks(execute=True):
        services.run_sweep(now=at("2026-11-27", 8, 1))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Cần xử lý] 2 việc đến hạn — Cổng CCHC"
    assert Message.objects.filter(state=MessageState.MERGED).count() == 2
    assert Message.objects.filter(channel=Channel.PORTAL).count() == 2


def test_remind_now_sends_at_once_and_only_open_items(official, django_capture_on_commit_callbacks):
    _deadline(official, key="open")
    _deadline(official, key="done")
    services.deadline_done(keys=["done"])
    with django_capture_on_commit_callbacks(execute=True):
        made = services.remind_now(keys=["open", "done"], scope="conferences.conference:1", now=at("2026-11-22"))
    assert made == 1 and len(mail.outbox) == 1  # the open item only: one e-mail (and one portal notice)
    assert Message.objects.filter(channel=Channel.PORTAL).count() == 1


def test_sweep_query_count_does_not_grow_with_items(official, django_capture_on_commit_callbacks):
    counts = []
    for n, size in enumerate((2, 20)):
        for i in range(size):
            _deadline(official, key=f"q{n}:{i}")
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
            result = services.run_sweep(now=at("2026-11-27", 8, 1))
        assert result["steps"] == size
        services.deadline_done(keys=[f"q{n}:{i}" for i in range(size)])
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- Delivery against a real SMTP server -------------------------------------------------------


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


def _queued(official) -> Message:
    _deadline(official)
    services.run_sweep(now=at("2026-11-27", 8, 1))  # on_commit not run: the message stays queued
    return Message.objects.get(channel=Channel.EMAIL)


def test_smtp_451_is_retried_then_sent(official, smtp):
    message = _queued(official)
    smtp.mailbox.answers = ["451 4.3.0 Hệ thống bận, thử lại sau"]
    assert services.deliver(message.pk, now=at("2026-11-27", 8, 2)) == MessageState.QUEUED
    message.refresh_from_db()
    assert message.attempts == 1 and "451" in message.last_error and message.next_attempt_at == at("2026-11-27", 8, 3)
    assert services.deliver(message.pk, now=at("2026-11-27", 8, 3)) == MessageState.SENT
    assert len(smtp.mailbox.delivered) == 1
    assert smtp.mailbox.delivered[0]["subject"].startswith("[Cần xử lý] Hạn gửi tham luận")


def test_smtp_550_fails_and_is_kept_with_its_error(official, smtp):
    message = _queued(official)
    smtp.mailbox.answers = ["550 5.1.1 Hộp thư không tồn tại"]
    assert services.deliver(message.pk) == MessageState.FAILED
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and message.last_error.startswith("550")
    assert services.deliver(message.pk) is None and not smtp.mailbox.delivered  # never sent twice by accident
    copy = services.message_resend(message=message, actor=None)
    assert copy.resend_of == message and copy.state == MessageState.QUEUED


def test_refused_connection_is_transient(official, settings):
    message = _queued(official)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    assert services.deliver(message.pk) == MessageState.QUEUED


def test_message_stuck_in_sending_is_queued_again_by_the_sweep(official, smtp, django_capture_on_commit_callbacks):
    message = _queued(official)
    Message.objects.filter(pk=message.pk).update(state=MessageState.SENDING, sending_since=at("2026-11-27", 8, 2))
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_sweep(now=at("2026-11-27", 8, 30))
    assert result["recovered"] == 1
    message.refresh_from_db()
    assert message.state == MessageState.SENT and len(smtp.mailbox.delivered) == 1


def test_the_database_refuses_a_second_message_for_the_same_step_and_person(
    official, django_capture_on_commit_callbacks
):
    from django.db import IntegrityError, transaction

    _deadline(official)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_sweep(now=at("2026-11-27", 8, 1))
    sent = Message.objects.get(channel=Channel.EMAIL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(
            channel=Channel.EMAIL,
            step=sent.step,
            item=sent.item,
            email=sent.email,
            recipient_key=sent.recipient_key,
            subject="lần hai",
            body_text="",
        )
