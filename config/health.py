"""Health of the moving parts: database, broker, workers.

Peer systems fail silently when the worker dies: reminders simply stop. The
heartbeat task writes a timestamp to the cache (Redis); the health endpoint and
the organisers' banner compare it with the clock."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "worker:heartbeat"


def worker_heartbeat_record(*, now: float | None = None) -> None:
    cache.set(HEARTBEAT_KEY, now if now is not None else time.time(), timeout=None)


def workers_expected() -> bool:
    return not settings.CELERY_TASK_ALWAYS_EAGER


def worker_last_seen() -> float | None:
    try:
        return cache.get(HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001 - a dead cache means we cannot tell
        return None


def worker_is_silent(*, now: float | None = None) -> bool:
    """True when workers should be running but none has reported lately."""
    if not workers_expected():
        return False
    last = worker_last_seen()
    now = now if now is not None else time.time()
    return last is None or now - last > settings.WORKER_HEARTBEAT_STALE_SECONDS


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}


def check_broker() -> dict:
    if not workers_expected():
        return {"ok": True, "mode": "eager"}
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return {"ok": True, "mode": "redis"}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}


def check_worker(*, now: float | None = None) -> dict:
    if not workers_expected():
        return {"ok": True, "expected": False}
    last = worker_last_seen()
    now = now if now is not None else time.time()
    age = None if last is None else round(now - last)
    return {
        "ok": not worker_is_silent(now=now),
        "expected": True,
        "last_seen_seconds_ago": age,
        "stale_after_seconds": settings.WORKER_HEARTBEAT_STALE_SECONDS,
    }


def health_report() -> dict:
    report = {"database": check_database(), "broker": check_broker(), "worker": check_worker()}
    report["status"] = "ok" if all(part["ok"] for part in report.values()) else "degraded"
    return report
