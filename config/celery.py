"""The Celery application. Broker: Redis (REDIS_URL); without it, settings
make every task eager so the portal runs on one machine with no services."""

from celery import Celery, Task
from celery.signals import before_task_publish, setup_logging, worker_init, worker_process_init, worker_ready
from django_scopes import scopes_disabled

from .environment import choose_settings

choose_settings("config.settings.local")


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


@worker_init.connect
def _load_printing(**kwargs):
    # WeasyPrint's modules (0.6 s to import) once, in the process the pool's
    # processes are forked from: each inherits them.
    import weasyprint  # noqa: F401


@worker_process_init.connect
def _warm_printing(**kwargs):
    # Each pool process loads the fonts as it starts (in its own process:
    # fontconfig and Pango's state are not shared across a fork), so the
    # first document after a start or a restart, a batch of invitations
    # spread over every process, does not wait for them.
    from core import printing

    printing.warm()


@setup_logging.connect
def _django_logging(**kwargs):
    """Workers log as the web does (settings.LOGGING): the same format, JSON in
    production, and each line with the id of the task it was written for
    (config.logs.ContextFilter). Connecting here stops Celery from installing
    its own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@before_task_publish.connect
def _pass_request_id(headers=None, **kwargs):
    """A task queued while serving a request logs that request's id beside its own."""
    from config.logs import request_id_var

    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@worker_init.connect
def _refuse_half_configured(**kwargs):
    """A worker delivers the outbox: without a real mail server it must not
    start (core.checks). Celery swallows exceptions of signal handlers, so
    this exits."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    django.setup()
    from core.checks import refuse_to_start

    try:
        refuse_to_start()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"The worker refuses to start: {exc}") from None
