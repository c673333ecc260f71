"""Celery tasks of the yearly evaluation: thin wrappers around the services."""

from celery import shared_task


@shared_task
def render_bulletin_pdf(bulletin_id: int):
    """Renders a 通报's PDF (queued when it is issued, and again by the sweep)."""
    from .bulletins import bulletin_render

    return bool(bulletin_render(bulletin_id=bulletin_id).pdf)


# --- B: the 主管部门's 审查意见 PDF (第十八条) ---
@shared_task
def render_forwarding_pdf(forwarding_id: int):
    """Renders a DistrictForwarding's PDF (queued when the batch is forwarded)."""
    from .district import forwarding_render

    return bool(forwarding_render(forwarding_id=forwarding_id).pdf)


@shared_task
def render_forwarding_rerender(forwarding_id: int):
    """Renders a DistrictForwarding's PDF again, replacing the stored one (the admin's action)."""
    from .district import forwarding_render

    return bool(forwarding_render(forwarding_id=forwarding_id, force=True).pdf)
