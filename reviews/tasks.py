"""Celery tasks of the district review: thin wrappers around the services."""

from celery import shared_task


@shared_task
def build_review_bundle(bundle_id: int):
    """Builds the ZIP or Excel list that `bulk.bundle_files_request` / `bundle_list_request`
    queued."""
    from .bulk import bundle_build

    return bundle_build(bundle_id=bundle_id).status


@shared_task
def render_recommendation_letter(batch_id: int):
    """Renders the 推荐函 of a batch's latest sending (queued by `batches.batch_submit`)."""
    from .batches import letter_render

    return letter_render(batch_id=batch_id).letter_status
