from django.db.models import Q

from .models import AuditEvent


def audit_events_search(q: str = ""):
    events = AuditEvent.objects.all()
    if q:
        events = events.filter(
            Q(actor_label__icontains=q) | Q(action__icontains=q) | Q(object_repr__icontains=q)
        )
    return events.order_by("-occurred_at", "-id")
