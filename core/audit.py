"""The one way services write to the audit log."""

from django.contrib.contenttypes.models import ContentType

from .client_address import client_ip
from .models import AuditEvent


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
    request=None,
    note: str = "",
    actor_label: str = "",
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        ip_address=client_ip(request),
        note=note,
    )
