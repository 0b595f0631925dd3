"""Work the worker does for conferences: each task takes an id and calls a
service that is safe to run twice."""

from celery import shared_task

from . import notices
from .services import sending


@shared_task(name="conferences.deliver_invitations", ignore_result=True)
def deliver_invitations(conference_id: int) -> None:
    sending.invitations_deliver(conference_id=conference_id)


@shared_task(name="conferences.overdue_summary", ignore_result=True)
def overdue_summary() -> None:
    """Run by beat each morning; the day in each notice's key makes a rerun send nothing."""
    notices.overdue_summaries()
