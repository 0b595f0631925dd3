"""The booklet is built in the worker; the task takes an id and calls the
service, which is safe to run twice (submissions.services.booklets)."""

from celery import shared_task

from .models import BOOKLET_TIME_LIMIT
from .services import booklets


@shared_task(
    name="submissions.build_booklet",
    ignore_result=True,
    soft_time_limit=BOOKLET_TIME_LIMIT - 100,
    time_limit=BOOKLET_TIME_LIMIT,
)
def build_booklet(booklet_id: int) -> None:
    booklets.booklet_build(booklet_id=booklet_id)
