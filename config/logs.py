"""Logs that can be followed: every line names the request (its X-Request-ID)
or the Celery task it was written for, and production writes one JSON object
per line for the log collector.

The request id lives in a context variable set by
config.middleware.RequestIdMiddleware; the task is Celery's current task,
and a task queued by a request carries that request's id too, so a page's
request and the rendering it started are found with one search.
ContextFilter copies them onto every record that reaches a handler."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# What every LogRecord carries by itself; anything else on a record came from
# `extra=` (or a filter) and is written as a field of its own.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}
_CONTEXT = ("request_id", "task_id", "task_name")


def _current_task():
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - Celery is a requirement
        return None
    task = current_task._get_current_object()
    return task if task is not None and getattr(task.request, "id", None) else None


def _request_of(task) -> str:
    """The id of the request that queued `task` (config.celery passes it as a
    message header; a worker shows it on the request, an eager call under `headers`)."""
    if task is None:
        return ""
    request = task.request
    return getattr(request, "request_id", None) or (getattr(request, "headers", None) or {}).get("request_id") or ""


class ContextFilter(logging.Filter):
    """Adds request_id, task_id and task_name to the record (empty when there
    is none), and `context`, a short form of them for the plain format."""

    def filter(self, record: logging.LogRecord) -> bool:
        task = _current_task()
        record.request_id = getattr(record, "request_id", "") or request_id_var.get() or _request_of(task)
        record.task_id = task.request.id if task else ""
        record.task_name = task.name if task else ""
        parts = []
        if record.request_id:
            parts.append(f"request={record.request_id}")
        if record.task_id:
            parts.append(f"task={record.task_name}[{record.task_id}]")
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the
    request or task ids, whatever `extra=` added, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in _CONTEXT:
            if getattr(record, key, ""):
                entry[key] = getattr(record, key)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in _CONTEXT and key != "context" and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
