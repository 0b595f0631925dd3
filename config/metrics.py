"""Prometheus metrics at /metrics: requests and their latency per view, the
length of the Celery queues in Redis, the outbox (messages by state) and the
rendered files by status, the worker's heartbeat.

Request counters are kept per process; under gunicorn's several workers set
PROMETHEUS_MULTIPROC_DIR (an empty directory at each start) so that a scrape,
whichever worker answers it, sums them all. What lives in the database or in
Redis is read at scrape time. The page is not public: only a bearer of
METRICS_TOKEN or a client in METRICS_ALLOWED_IPS gets it, anyone else a 404."""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from core.audit import client_ip
from core.scoping import scopes_disabled
from core.version import portal_version

from .health import worker_last_seen, workers_expected

# The *_created series double every line for a start time nobody graphs.
disable_created_metrics()
HTTP = CollectorRegistry()
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
REQUESTS = Counter(
    "cchc_http_requests", "HTTP requests answered, by view and status.", ["method", "view", "status"], registry=HTTP
)
LATENCY = Histogram(
    "cchc_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["method", "view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=HTTP,
)

# Kombu keeps a Redis queue's prioritised messages in sibling lists.
PRIORITY_STEPS = (0, 3, 6, 9)
PRIORITY_SEPARATOR = "\x06\x16"


class MetricsMiddleware:
    """Counts every answered request under its URL name (a bounded set:
    "unresolved" for what matched no URL), never under its path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        return response


def _queue_lengths() -> dict[str, int] | None:
    """Messages waiting in each Celery queue; None when the broker is not Redis or does not answer."""
    import redis

    from config.celery import app

    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    names = {app.conf.task_default_queue} | {queue.name for queue in app.conf.task_queues or ()}
    keys = {
        name: [name if step == 0 else f"{name}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS] for name in names
    }
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        pipe = client.pipeline(transaction=False)
        for name in sorted(keys):
            for key in keys[name]:
                pipe.llen(key)
        lengths = iter(pipe.execute())
    except redis.RedisError:
        return None
    finally:
        client.close()
    return {name: sum(next(lengths) for _ in keys[name]) for name in sorted(keys)}


class PortalCollector:
    """What is read at scrape time, from the database and the broker."""

    def collect(self):
        from documents.models import RenderedFile, RenderStatus
        from notifications.models import Channel, Message, MessageState

        info = GaugeMetricFamily("cchc_info", "The running portal.", labels=["version"])
        info.add_metric([portal_version()], 1)
        yield info

        with scopes_disabled():
            messages = {
                (row["state"], row["channel"]): row["n"]
                for row in Message.objects.order_by().values("state", "channel").annotate(n=Count("pk"))
            }
            oldest = Message.objects.filter(state=MessageState.QUEUED).aggregate(at=Min("created_at"))["at"]
            files = {
                row["status"]: row["n"]
                for row in RenderedFile.objects.order_by().values("status").annotate(n=Count("pk"))
            }

        outbox = GaugeMetricFamily(
            "cchc_outbox_messages", "Messages of the outbox by state.", labels=["state", "channel"]
        )
        for state in MessageState.values:
            for channel in Channel.values:
                outbox.add_metric([state, channel], messages.get((state, channel), 0))
        yield outbox
        yield GaugeMetricFamily(
            "cchc_outbox_oldest_queued_age_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits).",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        rendered = GaugeMetricFamily("cchc_rendered_files", "Rendered document files by status.", labels=["status"])
        for status in RenderStatus.values:
            rendered.add_metric([status], files.get(status, 0))
        yield rendered

        if workers_expected():
            lengths = _queue_lengths()
            yield GaugeMetricFamily("cchc_broker_up", "Whether the broker answered.", value=int(lengths is not None))
            queues = GaugeMetricFamily("cchc_celery_queue_length", "Tasks waiting in each queue.", labels=["queue"])
            for name, length in (lengths or {}).items():
                queues.add_metric([name], length)
            yield queues
            last = worker_last_seen()
            if last is not None:
                yield GaugeMetricFamily(
                    "cchc_worker_heartbeat_age_seconds",
                    "Seconds since a worker last ran the heartbeat task.",
                    value=max(time.time() - last, 0),
                )


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    address = client_ip(request)
    if not address or not settings.METRICS_ALLOWED_IPS:
        return False
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS)


def metrics_text() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = HTTP
    portal = CollectorRegistry()
    portal.register(PortalCollector())
    return generate_latest(requests) + generate_latest(portal)


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
