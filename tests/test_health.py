import time

import pytest
from django.urls import reverse

from config.health import HEARTBEAT_KEY, worker_heartbeat_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers_expected(settings):
    # As in production: a real broker (the test Redis) and no eager mode.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def test_healthz_eager_mode_is_ok(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    data = client.get(reverse("healthz")).json()
    assert data["status"] == "ok"
    assert data["database"] == {"ok": True, "vendor": "postgresql"}
    assert data["worker"] == {"ok": True, "expected": False}


def test_healthz_reports_silent_worker(client, workers_expected):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    data = response.json()
    assert data["broker"] == {"ok": True, "mode": "redis"}
    assert data["worker"]["ok"] is False
    assert data["worker"]["last_seen_seconds_ago"] is None
    assert data["status"] == "degraded"


def test_healthz_worker_ok_after_heartbeat_task(client, workers_expected):
    from config.celery import heartbeat

    heartbeat.apply()  # runs the task body here, as a worker would
    data = client.get(reverse("healthz")).json()
    assert data["worker"]["ok"] is True
    assert data["worker"]["last_seen_seconds_ago"] <= 1
    assert data["status"] == "ok"


def test_healthz_stale_heartbeat_is_silent(client, workers_expected):
    worker_heartbeat_record(now=time.time() - workers_expected.WORKER_HEARTBEAT_STALE_SECONDS - 5)
    assert client.get(reverse("healthz")).json()["worker"]["ok"] is False


def test_healthz_broker_down_reported(client, workers_expected):
    from config.celery import app

    # Nothing listens on port 1: the broker is as good as down.
    previous, app.conf.broker_url = app.conf.broker_url, "redis://127.0.0.1:1/0"
    try:
        data = client.get(reverse("healthz")).json()
    finally:
        app.conf.broker_url = previous
    assert data["broker"]["ok"] is False
    assert data["status"] == "degraded"


def test_banner_shown_to_organiser_when_worker_silent(client, organiser, workers_expected):
    client.force_login(organiser)
    assert 'id="worker-warning"' in client.get(reverse("home")).content.decode()
    worker_heartbeat_record()
    assert 'id="worker-warning"' not in client.get(reverse("home")).content.decode()


def test_banner_not_shown_to_officials(client, official, workers_expected):
    client.force_login(official)
    assert 'id="worker-warning"' not in client.get(reverse("home")).content.decode()


def test_heartbeat_key_is_in_shared_cache(workers_expected):
    from django.core.cache import cache

    worker_heartbeat_record(now=123.0)
    assert cache.get(HEARTBEAT_KEY) == 123.0
