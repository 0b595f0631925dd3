"""Background work whose state is a row in PostgreSQL, never only a message
in Redis (as the outbox's messages are).

A job row (a rendered file, a batch of copies, a booklet) carries `status`
(queued → running → done | failed), `queued_at`, `dispatched_at` (last
handed to the broker), `started_at` and `attempts`. A service writes the
row and calls `dispatch`, which publishes the task after commit: when the
broker cannot be reached the request still succeeds, a warning is logged
and the row stays queued with no `dispatched_at`. Each app registers a
sweep here (`register_sweep`, from its `ready()`); `run_sweeps`, every two
minutes from beat (`core.sweep_jobs`) or from `manage.py sweep_reminders
--loop` without Redis, hands over again what is queued and was not handed
over lately, and queues again what has been running longer than a task may
live (its worker was killed). Tasks take the row by its id and do nothing
unless it is theirs to do, so a task published twice runs once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .scoping import scopes_disabled

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A queued row not handed to a worker for this long is handed over again
# (the broker was down, or lost the message in a restart).
REDISPATCH_AFTER = dt.timedelta(minutes=5)
# A row is left to the request that queued it for this long before a sweep
# may hand it over too (its own publish runs after its commit).
GRACE = dt.timedelta(seconds=60)
# A page says "waiting for the server" once a row has been queued this long.
WAITING_AFTER = dt.timedelta(seconds=30)
# A job that killed its worker this many times is marked failed, not retried.
MAX_ATTEMPTS = 3


def running_timeout() -> dt.timedelta:
    """Running for longer than a task may live: its worker is gone."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def publish(task, /, **kwargs) -> bool:
    """Hand one task to the broker now. False, with a warning in the log,
    when the broker cannot take it: the caller's row stays queued and the
    sweep hands it over later. Without a broker (eager mode) the task runs
    here and its errors propagate."""
    if task.app.conf.task_always_eager:
        task.delay(**kwargs)
        return True
    try:
        task.delay(**kwargs)
    except Exception as error:  # noqa: BLE001 — the broker is down: the row in the database is the job
        logger.warning("broker unavailable (%s); %s(%s) stays queued for the sweep", error, task.name, kwargs)
        return False
    return True


def dispatch(task, model, ids: int | list[int], /, **kwargs) -> None:
    """After the current transaction commits, publish `task(**kwargs)` and
    stamp `dispatched_at` on the rows `ids` of `model`. A broker that is
    down fails nothing: the change is committed and its rows wait queued."""
    ids = [ids] if isinstance(ids, int) else list(ids)

    def send():
        if publish(task, **kwargs) and ids:
            model._base_manager.filter(pk__in=ids).update(dispatched_at=timezone.now())

    transaction.on_commit(send)


def requeue_fields(now) -> dict:
    """What a row becomes when it is queued again (by the sweep or a retry)."""
    return {"status": QUEUED, "queued_at": now, "dispatched_at": None, "error": ""}


def waiting(qs: QuerySet, now) -> QuerySet:
    """Queued rows no worker was handed lately (or ever, once their request's
    own publish had time to run)."""
    return qs.filter(status=QUEUED, queued_at__lt=now - GRACE).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER)
    )


def recover(qs: QuerySet, now, timeout: dt.timedelta | None = None) -> list[int]:
    """Rows running for longer than `timeout` lost their worker (kill -9, a
    machine restarted): queued again, or failed once they have been tried
    MAX_ATTEMPTS times. Returns the ids queued again, for the caller to hand over."""
    stale = qs.filter(status=RUNNING, started_at__lt=now - (timeout or running_timeout()))
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=FAILED,
        error=_("Tiến trình xử lý dừng giữa chừng %(n)d lần; hãy kiểm tra nội dung rồi tạo lại.") % {"n": MAX_ATTEMPTS},
    )
    ids = list(stale.values_list("pk", flat=True))
    qs.filter(pk__in=ids, status=RUNNING).update(**requeue_fields(now))
    return ids


def take(row, now, timeout: dt.timedelta | None = None) -> bool:
    """Whether a worker may take this (locked) row: queued, or running so long
    that its worker is gone. Marks it running; one tried too often is failed."""
    stale = (
        row.status == RUNNING and row.started_at is not None and now - row.started_at > (timeout or running_timeout())
    )
    if row.status != QUEUED and not stale:
        return False
    if stale and row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
        row.error = _("Tiến trình xử lý dừng giữa chừng %(n)d lần; hãy kiểm tra nội dung rồi tạo lại.") % {
            "n": MAX_ATTEMPTS
        }
        row.save(update_fields=["status", "error"])
        return False
    row.status, row.started_at, row.attempts = RUNNING, now, row.attempts + 1
    row.save(update_fields=["status", "started_at", "attempts"])
    return True


def is_waiting(row, now=None) -> bool:
    """For the pages: queued long enough that the user should know it waits for a worker."""
    now = now or timezone.now()
    return row.status == QUEUED and row.queued_at is not None and now - row.queued_at > WAITING_AFTER


def is_stuck(row, now=None) -> bool:
    """Waiting for a worker, or running past the time a task may live: the
    page offers to try again (which queues it again whatever its state)."""
    now = now or timezone.now()
    if row.status == RUNNING:
        return row.started_at is not None and now - row.started_at > running_timeout()
    return is_waiting(row, now)


_SWEEPS: dict[str, Callable] = {}


def register_sweep(name: str, sweep: Callable) -> None:
    """An app's sweep: `sweep(now) -> int`, how many rows it handed over."""
    _SWEEPS[name] = sweep


def run_sweeps(now=None) -> dict[str, int]:
    """Every app's sweep, one after the other; one failing does not stop the others."""
    now = now or timezone.now()
    results = {}
    with scopes_disabled():  # the sweep acts for the system, over every province
        for name, sweep in _SWEEPS.items():
            try:
                results[name] = sweep(now)
            except Exception:  # noqa: BLE001 — logged; the next sweep tries again
                logger.exception("job sweep %s failed", name)
                results[name] = 0
    return results
