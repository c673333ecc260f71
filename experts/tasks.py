"""Celery tasks of the expert review: thin wrappers around the services."""

from celery import shared_task


@shared_task
def render_results_summary(document_id: int):
    """Renders the 专家评分汇总表 PDF that `results.results_pdf_request` recorded."""
    from .results import results_pdf_render

    return results_pdf_render(document_id=document_id).status
