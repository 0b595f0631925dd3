"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Sized for the 2-core servers provinces run it on. A page is a few
milliseconds of PostgreSQL and tens of milliseconds of Python (templates,
forms). Sync workers serve one request each, so 50 users on 3 of them queue
behind one another (p95 820 ms). gthread workers serve several requests per
process: while one thread waits on the database another renders. Python runs
one thread at a time per process, so two processes use both cores; eight
threads each keep the cores busy without letting a burst queue inside the
server instead of at nginx. Every thread keeps its own PostgreSQL connection
(CONN_MAX_AGE), 16 here: far below PostgreSQL's 100.

Each value can be changed from the environment (the systemd unit's
EnvironmentFile) without editing this file."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Slow work (PDFs, imports, zips) runs in Celery; a request this long is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# nginx keeps its connections to us open (upstream keepalive).
keepalive = 75
# A worker is replaced after this many requests, so a slow leak stays small.
max_requests = 5000
max_requests_jitter = 500
# nginx is the only client; X-Forwarded-* from it are believed (the portal
# reads the client address itself: TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The portal writes one access line per request itself (config.middleware,
# with the request id); gunicorn's own would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "cchc-web"


# /metrics sums the request counters of every worker from files in
# PROMETHEUS_MULTIPROC_DIR (config/metrics.py): they start empty, and a
# worker that exits leaves its gauges behind unless it is marked dead.
def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
