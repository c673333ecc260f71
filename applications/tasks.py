"""Celery tasks of the application process: thin wrappers around `documents`."""

from celery import shared_task

from .documents import document_prepare, document_render


@shared_task
def render_application_document(application_id: int, variant: str):
    """Renders the application's current content (queued on submission, no user involved)."""
    document = document_prepare(application_id=application_id, variant=variant)
    if document is None:
        return "cached"
    return document_render(document_id=document.pk).status


@shared_task
def render_document(document_id: int):
    """Renders a document row that `documents.document_request` created."""
    return document_render(document_id=document_id).status


@shared_task
def build_application_export(export_id: int):
    """Builds the commission's Excel export that `services.application_export_request` queued."""
    from .services import application_export_build

    return application_export_build(export_id=export_id).status
