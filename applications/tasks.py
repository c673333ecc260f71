"""Celery tasks of the application process: thin wrappers around services."""

from celery import shared_task


@shared_task
def build_application_export(export_id: int):
    """Builds the commission's Excel export that `services.application_export_request` queued."""
    from .services import application_export_build

    return application_export_build(export_id=export_id).status
