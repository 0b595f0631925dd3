"""The worker's side of the outbox: each task takes ids and calls a service
(notifications.services.sweep), which is safe to run twice."""

import datetime as dt

from celery import shared_task

from .services import sweep as outbox


@shared_task(name="notifications.send_message", ignore_result=True)
def send_message(message_id: int) -> None:
    outbox.deliver(message_id)


@shared_task(name="notifications.send_messages", ignore_result=True)
def send_messages(message_ids: list[int]) -> None:
    for message_id in message_ids:
        outbox.deliver(message_id)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep(now: str | None = None) -> None:
    """Run by beat every two minutes; `now` (ISO) lets tests move time."""
    outbox.run_sweep(dt.datetime.fromisoformat(now) if now else None)
