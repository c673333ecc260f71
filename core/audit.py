"""The one way services write to the audit log."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def _client_ip(request):
    if request is None:
        return None
    # Behind the production proxy the first X-Forwarded-For entry is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


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
        ip_address=_client_ip(request),
        note=note,
    )
