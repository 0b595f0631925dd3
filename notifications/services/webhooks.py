"""Webhooks: the province's other systems told of its events.

An app calls `emit` inside the transaction that makes the change; one
delivery row per subscription is written with it, so the event exists
exactly when the change does. After commit the rows go to the workers;
each POST is signed (HMAC-SHA256 of "<timestamp>.<body>" with the
subscription's secret) and carries the event's id, the same on every
attempt, for the receiver to drop a repeat. Anything but a 2xx answer is
retried with a doubling delay; a worker killed mid-POST leaves the row
"sending", and the sweep queues it again. At least once, never lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.exceptions import Refused
from core.permissions import require

from .. import clock
from ..models import WEBHOOK_EVENTS, DeliveryState, WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)
BATCH = 500
REDISPATCH_AFTER = dt.timedelta(minutes=5)
# Event ids are UUIDv5 of what the event is about: emitted twice, the same id.
EVENT_NAMESPACE = uuid.UUID("6f1d8f7e-3c0b-4a53-9a4e-2d2f4b8b9c11")
USER_AGENT = "CCHC-Portal-Webhook/1"


class LocalTimeEncoder(DjangoJSONEncoder):
    """Moments in the portal's time zone with their offset, as the API writes them."""

    def default(self, o):
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            return timezone.localtime(o).isoformat()
        return super().default(o)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: followed, a POST becomes a
    body-less GET that would be counted as received."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment and no redirects: the POST goes where the administrator said.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What X-CCHC-Signature carries: "sha256=" and the hex HMAC of "<timestamp>.<body>"."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# --- Subscriptions (administrators) ----------------------------------------------------------------


@transaction.atomic
def subscription_create(*, actor, province_id: int, name: str, url: str, events: list[str]) -> WebhookSubscription:
    require(actor, "notifications.manage_webhooks")
    problems = []
    if not name.strip():
        problems.append(_("Hãy ghi tên hệ thống nhận."))
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        problems.append(_("Địa chỉ nhận phải bắt đầu bằng https:// (hoặc http:// trong mạng nội bộ)."))
    elif parts.username or parts.password:
        problems.append(_("Địa chỉ nhận không được chứa tên, mật khẩu: hệ thống nhận kiểm tra chữ ký của cổng."))
    if not events or any(e not in WEBHOOK_EVENTS for e in events):
        problems.append(_("Hãy chọn ít nhất một sự kiện trong danh sách."))
    if problems:
        raise Refused(*problems)
    subscription = WebhookSubscription.objects.create(
        province_id=province_id,
        name=name.strip(),
        url=url.strip(),
        secret=f"whsec_{secrets.token_urlsafe(32)}",
        events=sorted(set(events)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="notifications.webhook_create",
        target=subscription,
        province_id=province_id,
        after={"name": subscription.name, "url": subscription.url, "events": subscription.events},
    )
    return subscription


@transaction.atomic
def subscription_set_active(*, actor, subscription: WebhookSubscription, active: bool) -> WebhookSubscription:
    require(actor, "notifications.manage_webhooks")
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.active == active:
        return subscription
    subscription.active = active
    subscription.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="notifications.webhook_active",
        target=subscription,
        province_id=subscription.province_id,
        before={"active": not active},
        after={"active": active},
    )
    return subscription


@transaction.atomic
def delivery_retry(*, actor, delivery: WebhookDelivery, now=None) -> WebhookDelivery:
    """A failed delivery tried again by hand, its attempts counted afresh; a
    queued one (waiting for its next try, or for a worker) sent now."""
    require(actor, "notifications.manage_webhooks")
    now = now or clock.now()
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state not in (DeliveryState.FAILED, DeliveryState.QUEUED):
        return delivery
    if delivery.state == DeliveryState.FAILED:
        delivery.attempts = 0
    delivery.state, delivery.next_attempt_at = DeliveryState.QUEUED, None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    audit.record(
        actor=actor,
        action="notifications.webhook_retry",
        target=delivery.subscription,
        province_id=delivery.subscription.province_id,
        note=f"{delivery.event} {delivery.event_id}",
    )
    dispatch_after_commit([delivery.pk])
    return delivery


# --- Emitting ----------------------------------------------------------------------------------------


def api_url(name: str, pk) -> str:
    """The API address of what an event is about, for the receiver to read
    in full (by URL name: this app imports no other)."""
    from django.urls import reverse

    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(f"api:{name}", args=[pk])


def emit(event: str, *, province_id: int | None, about: str, data: dict, now=None) -> list[WebhookDelivery]:
    """Queue `event` for every active subscription of the province that asked
    for it. `about` names what happened once ("document:12:issued"): the
    event id is derived from it, so emitting it again delivers nothing new."""
    if event not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event}")
    if province_id is None:
        return []
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(province_id=province_id, active=True) if event in s.events
    ]
    if not subscriptions:
        return []
    now = now or clock.now()
    event_id = uuid.uuid5(EVENT_NAMESPACE, f"{event}:{about}")
    payload = {
        "id": str(event_id),
        "event": event,
        "occurred_at": timezone.localtime(now).isoformat(),
        "province_id": province_id,
        "data": json.loads(json.dumps(data, cls=LocalTimeEncoder)),
    }
    rows = [
        WebhookDelivery(subscription=s, event=event, event_id=event_id, payload=payload, next_attempt_at=now)
        for s in subscriptions
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    made = list(
        WebhookDelivery.objects.filter(
            subscription__in=subscriptions, event_id=event_id, state=DeliveryState.QUEUED, attempts=0
        ).values_list("pk", flat=True)
    )
    dispatch_after_commit(made)
    return rows


def dispatch_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _publish(ids))


def _publish(ids: list[int]) -> None:
    from ..tasks import deliver_webhooks

    try:
        deliver_webhooks.delay(delivery_ids=ids)
    except Exception:  # noqa: BLE001 — the broker is down: the rows stay queued for the sweep
        logger.warning("broker unavailable; %d webhook deliveries stay queued", len(ids))
        return
    WebhookDelivery.objects.filter(pk__in=ids).update(dispatched_at=timezone.now())


# --- Delivering ----------------------------------------------------------------------------------------


def _claim(delivery_id: int, now) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(pk=delivery_id, state=DeliveryState.QUEUED)
            .exclude(next_attempt_at__gt=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.state, delivery.sending_since = DeliveryState.SENDING, now
        delivery.attempts += 1
        delivery.save(update_fields=["state", "sending_since", "attempts"])
    return delivery


def body(payload: dict) -> bytes:
    """The bytes POSTed (and signed) for a payload."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _post(delivery: WebhookDelivery) -> int:
    body_bytes = body(delivery.payload)
    timestamp = str(int(timezone.now().timestamp()))
    request = urllib.request.Request(
        delivery.subscription.url,
        data=body_bytes,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-CCHC-Event": delivery.event,
            "X-CCHC-Delivery": str(delivery.pk),
            "Idempotency-Key": str(delivery.event_id),
            "X-CCHC-Timestamp": timestamp,
            "X-CCHC-Signature": signature(delivery.subscription.secret, timestamp, body_bytes),
        },
    )
    try:
        with _OPENER.open(request, timeout=settings.WEBHOOK_TIMEOUT) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def deliver(delivery_id: int, now=None) -> str | None:
    """POST one queued delivery. Returns its new state, or None if it was not ours to send."""
    now = now or clock.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    if not delivery.subscription.active:
        return _finish(delivery, DeliveryState.FAILED, error=_("Đăng ký đã thôi dùng; không gửi."))
    try:
        status = _post(delivery)
    except (OSError, ValueError) as error:  # refused, timed out, no route, bad URL
        return _retry_or_fail(delivery, now, f"{type(error).__name__}: {error}")
    delivery.last_status = status
    if 200 <= status < 300:
        return _finish(delivery, DeliveryState.DELIVERED)
    return _retry_or_fail(delivery, now, f"HTTP {status}")


def _finish(delivery: WebhookDelivery, state: str, *, error: str = "") -> str:
    delivery.state, delivery.last_error = state, error[:1000]
    if state == DeliveryState.DELIVERED:
        delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["state", "last_error", "last_status", "delivered_at"])
    return state


def _retry_or_fail(delivery: WebhookDelivery, now, error: str) -> str:
    delivery.last_error = error[:1000]
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        return _finish(delivery, DeliveryState.FAILED, error=error)
    # 30 s, 1 min, 2 min… at most 6 hours between tries.
    delay = min(30 * 2 ** (delivery.attempts - 1), 6 * 3600)
    delivery.state, delivery.next_attempt_at = DeliveryState.QUEUED, now + dt.timedelta(seconds=delay)
    delivery.save(update_fields=["state", "last_error", "last_status", "next_attempt_at"])
    return delivery.state


def run_sweep(now=None) -> dict:
    """Deliveries left "sending" by a killed worker back to the queue (or
    failed once their attempts are spent); queued ones now due to the workers."""
    now = now or clock.now()
    stale = WebhookDelivery.objects.filter(
        state=DeliveryState.SENDING, sending_since__lt=now - dt.timedelta(seconds=settings.WEBHOOK_SENDING_TIMEOUT)
    )
    stale.filter(attempts__gte=settings.WEBHOOK_MAX_ATTEMPTS).update(
        state=DeliveryState.FAILED, last_error="Gửi dở dang nhiều lần (tiến trình gửi dừng); không gửi lại nữa."
    )
    # Due at once (no next attempt time): whichever worker takes it sends it.
    recovered = stale.update(
        state=DeliveryState.QUEUED, next_attempt_at=None, last_error="Gửi dở dang (tiến trình gửi dừng); gửi lại."
    )
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.QUEUED)
            .exclude(next_attempt_at__gt=now)
            .exclude(dispatched_at__gt=now - REDISPATCH_AFTER, attempts=0)
            .values_list("pk", flat=True)[:BATCH]
        )
        dispatch_after_commit(ids)
    return {"recovered": recovered, "dispatched": len(ids)}
