"""Reminders through a real Celery worker, a real Redis and a real SMTP
server: sent once; a worker killed mid-send neither duplicates nor loses a
message; a broker that was down loses nothing. Time is moved, not waited for."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app
from notifications import services
from notifications.models import Channel, Message, MessageState, ReminderStep, StepState

from .factories import UserFactory
from .smtp_server import SMTPServer, free_port
from .test_notifications import _deadline, at

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def wait_for(condition, timeout=30.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


class Redis:
    """A private Redis, so stopping it does not touch the suite's own."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            ),
            10,
        )

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Worker:
    def __init__(self, redis: Redis, smtp: SMTPServer):
        self.env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            CELERY_TASK_ALWAYS_EAGER="0",
            REDIS_URL=redis.url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        )
        self.process = None

    def start(self):
        # Its own session, so a kill takes the whole worker at once.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-n",
                f"notify{time.time_ns()}@%h",
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        assert wait_for(lambda: app.control.ping(timeout=0.5), 60), "the worker did not start"

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    # The suite publishes to its own Redis in eager mode; here, to this one, for real.
    old = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = server.url, False
    app._pool = None
    app.amqp._producer_pool = None
    yield server
    app.conf.broker_url, app.conf.task_always_eager = old
    app._pool = None
    app.amqp._producer_pool = None
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def worker(redis, smtp):
    process = Worker(redis, smtp)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def official(db):
    return UserFactory(email="ketoan@stc.example", full_name="Phạm Thị Nga")


def test_real_worker_sends_a_due_step_once(official, worker, smtp):
    _deadline(official)
    services.run_sweep(now=at("2026-11-27", 8, 1))
    assert wait_for(lambda: len(smtp.mailbox.delivered) == 1)
    services.run_sweep(now=at("2026-11-27", 8, 5))
    services.run_sweep(now=at("2026-11-27", 9, 0))
    time.sleep(1.5)
    assert len(smtp.mailbox.delivered) == 1
    assert Message.objects.get(channel=Channel.EMAIL).state == MessageState.SENT


def test_worker_killed_while_sending_gives_no_duplicate_and_no_loss(official, worker, smtp):
    _deadline(official)
    smtp.mailbox.pause = 3.0  # the server takes its time inside DATA
    services.run_sweep(now=at("2026-11-27", 8, 1))
    message = Message.objects.get(channel=Channel.EMAIL)
    assert wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.SENDING)
    worker.kill()
    time.sleep(3.5)  # the server notices the client is gone and drops the half-sent message
    smtp.mailbox.pause = 0
    assert smtp.mailbox.delivered == []
    worker.start()
    # The recovery sweep runs on the real clock (the dead worker stamped
    # sending_since with it); the item's later steps, due by then, are not
    # what this test counts.
    ReminderStep.objects.filter(state=StepState.PENDING).update(state=StepState.DROPPED)
    later = timezone.now() + dt.timedelta(minutes=10)  # past NOTIFICATION_SENDING_TIMEOUT
    result = services.run_sweep(now=later)
    assert result["recovered"] == 1
    assert wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.SENT)
    services.run_sweep(now=later + dt.timedelta(minutes=10))
    time.sleep(1)
    assert len(smtp.mailbox.delivered) == 1
    assert Message.objects.get(pk=message.pk).attempts == 2


def test_redis_stopped_during_a_sweep_loses_nothing(official, worker, redis, smtp):
    for n in range(5):
        _deadline(official, key=f"item:{n}")
    redis.stop()
    result = services.run_sweep(now=at("2026-11-27", 8, 1))  # the steps become messages; none can be handed over
    assert result["messages"] == 10
    assert Message.objects.filter(channel=Channel.EMAIL, state=MessageState.QUEUED, dispatched_at=None).count() == 5
    redis.start()
    assert wait_for(lambda: app.control.ping(timeout=0.5), 60), "the worker did not reconnect"
    services.run_sweep(now=at("2026-11-27", 8, 3))
    assert wait_for(lambda: len(smtp.mailbox.delivered) == 5)
    time.sleep(1)
    assert len(smtp.mailbox.delivered) == 5
    assert Message.objects.filter(channel=Channel.EMAIL, state=MessageState.SENT).count() == 5
