"""The sweep of background jobs (core.jobs), run by beat every two minutes."""

import datetime as dt

from celery import shared_task

from . import jobs


@shared_task(name="core.sweep_jobs", ignore_result=True)
def sweep_jobs(now: str | None = None) -> None:
    """`now` (ISO) lets tests move time."""
    jobs.run_sweeps(dt.datetime.fromisoformat(now) if now else None)
