"""The sweep queues again the background work of applications that is recorded but not done.

A PDF or an export is a row before it is queued (`documents.document_request`,
`documents.document_record`, `services.application_export_request`); when the broker was down
at that moment, or a worker died holding the message, the row stays pending. Once it is older
than the time a render or an export normally takes, the sweep (every 15 minutes) queues it
again. The tasks are idempotent, so a message that was only slow does no harm.
"""

import datetime

from django.db.models import Q

from core.queue import enqueue
from core.sweep import deadline_check

from .documents import RENDER_STALE_AFTER
from .enums import DocumentStatus
from .models import ApplicationDocument, ApplicationExport

EXPORT_STALE_AFTER = datetime.timedelta(minutes=10)
# An export nobody collected within a day is not built any more: its filters are stale.
EXPORT_GIVE_UP_AFTER = datetime.timedelta(days=1)
BATCH = 200


@deadline_check
def requeue_pending_documents(now) -> int:
    """Pending PDFs last requested more than `RENDER_STALE_AFTER` ago are queued again."""
    from .tasks import render_document

    cutoff = now - RENDER_STALE_AFTER
    stale = (ApplicationDocument.objects.filter(status=DocumentStatus.PENDING,
                                                requested_at__lt=cutoff)
             .order_by("pk").values_list("pk", "requested_at")[:BATCH])
    queued = 0
    for pk, requested_at in stale:
        # Conditional: of two sweeps (or a sweep and a page) racing, one queues it again.
        if ApplicationDocument.objects.filter(pk=pk, status=DocumentStatus.PENDING,
                                              requested_at=requested_at).update(requested_at=now):
            queued += enqueue(render_document, pk)
    return queued


@deadline_check
def requeue_pending_exports(now) -> int:
    """Pending exports older than `EXPORT_STALE_AFTER` (since requested or last queued again)
    are queued again, for a day."""
    from .tasks import build_application_export

    cutoff = now - EXPORT_STALE_AFTER
    stale = (ApplicationExport.objects.filter(status=DocumentStatus.PENDING,
                                              created_at__lt=cutoff,
                                              created_at__gte=now - EXPORT_GIVE_UP_AFTER)
             .filter(Q(requeued_at__isnull=True) | Q(requeued_at__lt=cutoff))
             .order_by("pk").values_list("pk", "requeued_at")[:BATCH])
    queued = 0
    for pk, requeued_at in stale:
        if ApplicationExport.objects.filter(pk=pk, status=DocumentStatus.PENDING,
                                            requeued_at=requeued_at).update(requeued_at=now):
            queued += enqueue(build_application_export, pk)
    return queued
