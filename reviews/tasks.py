"""Celery tasks of the district review: thin wrappers around the services."""

from celery import shared_task


@shared_task
def build_review_bundle(bundle_id: int):
    """Builds the ZIP or Excel list that `bulk.bundle_files_request` / `bundle_list_request`
    queued."""
    from .bulk import bundle_build

    return bundle_build(bundle_id=bundle_id).status
