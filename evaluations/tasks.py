"""Celery tasks of the evaluation: thin wrappers around its services."""

from celery import shared_task


@shared_task
def render_bulletin_pdf(bulletin_id: int):
    """Renders a 通报's PDF (queued when it is issued, and again by the sweep)."""
    from .bulletins import bulletin_render

    return bool(bulletin_render(bulletin_id=bulletin_id).pdf)
