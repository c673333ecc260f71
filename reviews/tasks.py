"""Celery tasks of the district review: thin wrappers around `batches`."""

from celery import shared_task


@shared_task
def render_recommendation_letter(batch_id: int):
    """Renders the 推荐函 of a batch's latest sending (queued by `batches.batch_submit`)."""
    from .batches import letter_render

    return letter_render(batch_id=batch_id).letter_status
