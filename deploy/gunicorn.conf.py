"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Sized for the 2-core servers provinces run it on, behind nginx (which buffers
slow clients and uploads). A page costs about 20 ms of Python (templates,
forms) and a few of PostgreSQL, so the server is CPU-bound: throughput comes
from processes (one core each; Python runs one thread at a time per process),
not threads. Measured with `make load` (200 users, CPU saturated, same
machine): 3 sync workers 82-85 req/s, p95 0.5-0.7 s; gthread 2 × 8 71 req/s,
p95 1.3-1.6 s (16 requests share two GILs, so each one takes longer);
gthread 3 × 4 78 req/s, p95 1.3 s. At 50 users every one of them answers
with p95 under 100 ms.

gthread 3 × 4 is the choice: nearly the throughput of sync workers, while a
request that runs long in the view (the attendance PDF of a large conference
takes seconds, exports of thousands of rows too) holds one thread, not a
third of the server. Three processes for two cores: one can be busy with
such a request while the other two keep both cores serving pages. Each
thread keeps its own PostgreSQL connection (CONN_MAX_AGE): 12, far below
PostgreSQL's 100.

Each value can be changed from the environment (the systemd unit's
EnvironmentFile) without editing this file; `make load` reads the same
variables, e.g. `GUNICORN_WORKER_CLASS=sync GUNICORN_WORKERS=3 make load`."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
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
