"""Celery tasks of the centers: thin wrappers around `plaques`."""

from celery import shared_task


@shared_task
def render_plaque_certificate(plaque_id: int):
    """Renders a plaque's 授牌证书 (queued when the plaque is issued)."""
    from .plaques import certificate_render

    return bool(certificate_render(plaque_id=plaque_id).certificate)
