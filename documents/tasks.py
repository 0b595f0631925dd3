"""Rendering in the worker: each task takes ids and calls a service, which
is safe to run twice (see documents.services.files)."""

from celery import shared_task

from .services import files


@shared_task(name="documents.render_file", ignore_result=True)
def render_file(row_id: int) -> None:
    files.file_render(row_id=row_id)


@shared_task(name="documents.start_batch", ignore_result=True)
def start_batch(batch_id: int) -> None:
    for chunk in files.batch_start(batch_id=batch_id):
        files.chunk_dispatch(batch_id=batch_id, row_ids=chunk)


@shared_task(name="documents.render_chunk", ignore_result=True)
def render_chunk(batch_id: int, row_ids: list[int]) -> None:
    files.chunk_render(batch_id=batch_id, row_ids=row_ids)
