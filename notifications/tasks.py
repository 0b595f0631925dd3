"""The worker's side of the outbox: each task takes ids and calls a service
(notifications.services.sweep), which is safe to run twice."""

import datetime as dt
import logging

from celery import shared_task

from .services import sweep as outbox
from .services import webhooks

logger = logging.getLogger(__name__)


@shared_task(name="notifications.send_message", ignore_result=True)
def send_message(message_id: int) -> None:
    outbox.deliver(message_id)


@shared_task(name="notifications.send_messages", ignore_result=True)
def send_messages(message_ids: list[int]) -> None:
    """A chunk of messages, each on its own: one that fails in a way nobody
    foresaw is logged and left to the sweep (it stays "sending" until
    NOTIFICATION_SENDING_TIMEOUT, within the attempt limit); the rest go."""
    for message_id in message_ids:
        try:
            outbox.deliver(message_id)
        except Exception:  # noqa: BLE001 — one message must not hold up the others
            logger.exception("message %s could not be delivered", message_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep(now: str | None = None) -> None:
    """Run by beat every two minutes; `now` (ISO) lets tests move time."""
    moment = dt.datetime.fromisoformat(now) if now else None
    outbox.run_sweep(moment)
    webhooks.run_sweep(moment)


@shared_task(name="notifications.deliver_webhooks", ignore_result=True)
def deliver_webhooks(delivery_ids: list[int]) -> None:
    """Each delivery on its own, like the messages: one that fails in a way
    nobody foresaw stays "sending" until the sweep takes it back."""
    for delivery_id in delivery_ids:
        try:
            webhooks.deliver(delivery_id)
        except Exception:  # noqa: BLE001 — one receiver must not hold up the others
            logger.exception("webhook delivery %s failed", delivery_id)
