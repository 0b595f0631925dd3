"""A webhook delivery through a real Celery worker and Redis, the worker
killed while the receiver is still reading the POST: the sweep sends it
again once its "sending" has lasted too long, under the same idempotency
key, and it is delivered. At least once, nothing lost."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest
from django.db import transaction
from django.utils import timezone

from agencies.models import Role
from notifications.models import DeliveryState, WebhookDelivery
from notifications.services import webhooks

from .factories import UserFactory
from .test_notifications_worker import redis, smtp, wait_for, worker  # noqa: F401 (fixtures)
from .test_webhooks import Receiver, verified

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def test_a_worker_killed_mid_delivery_loses_nothing(worker, lang_son):  # noqa: F811
    admin_user = UserFactory(role=Role.ADMINISTRATOR, agency=None)
    with Receiver() as receiver:
        subscription = webhooks.subscription_create(
            actor=admin_user, province_id=lang_son.pk, name="QLVB", url=receiver.url, events=["duty.completed"]
        )
        receiver.pause = 4.0  # the receiver takes its time before answering
        with transaction.atomic():
            webhooks.emit("duty.completed", province_id=lang_son.pk, about="duty:9", data={"duty_id": 9})
        delivery = WebhookDelivery.objects.get()
        assert wait_for(lambda: len(receiver.requests) == 1)
        assert WebhookDelivery.objects.get(pk=delivery.pk).state == DeliveryState.SENDING
        worker.kill()
        receiver.pause = 0
        worker.start()
        # Past WEBHOOK_SENDING_TIMEOUT: the sweep takes the delivery back.
        result = webhooks.run_sweep(timezone.now() + dt.timedelta(minutes=5))
        assert result["recovered"] == 1
        assert wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).state == DeliveryState.DELIVERED)
        time.sleep(0.5)
        delivery.refresh_from_db()
        assert delivery.attempts == 2 and len(receiver.requests) == 2
        # The receiver saw the event twice, under one key: it keeps the first and drops the repeat.
        keys = {verified(r, subscription.secret, at=r["at"])["id"] for r in receiver.requests}
        assert keys == {str(delivery.event_id)}
