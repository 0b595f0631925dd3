"""The Celery application. Broker: Redis (REDIS_URL); without it, settings
make every task eager so the portal runs on one machine with no services."""

import os

from celery import Celery, Task
from celery.signals import worker_ready
from django_scopes import scopes_disabled

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


class PortalTask(Task):
    """Tasks act for the system on the ids a scoped request handed them, so
    they run with the province scope disabled (core.scoping)."""

    def __call__(self, *args, **kwargs):
        with scopes_disabled():
            return super().__call__(*args, **kwargs)


app = Celery("cchc", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.heartbeat", ignore_result=True)
def heartbeat():
    """Scheduled by beat every minute; /healthz and the organisers' banner
    read its timestamp to tell whether a worker is alive."""
    from config.health import worker_heartbeat_record

    worker_heartbeat_record()


@worker_ready.connect
def _heartbeat_on_start(**kwargs):
    # A worker that just started should not wait a minute to be seen.
    from config.health import worker_heartbeat_record

    worker_heartbeat_record()
