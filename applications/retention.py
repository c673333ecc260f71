"""Superseded PDF renders and finished exports do not pile up for ever.

The deadline sweep (every 15 minutes, `core.sweep`) removes:

- a render (`ApplicationDocument`) superseded for `settings.DOCUMENT_RETENTION_DAYS` days: a
  render of the same application and variant was requested that long ago or longer after it.
  Its file is deleted from storage and its row with it. A render something refers to is kept
  whatever its age: the application's `submitted_document` (the copy the reviewers read), and
  whatever a later app declares with `register_document_reference` (a review decision names
  the render it decided on) without this app importing it.
- the file of an export (`ApplicationExport`) finished, ready or failed, for
  `settings.EXPORT_RETENTION_DAYS` days. The row stays, marked 已过期, so that its page says
  so and the audit log's entries for it still name it.

Each run takes at most `BATCH` of each; a row is claimed by a conditional write, so two sweeps
racing (or a sweep run twice) remove each render and expire each export once, and audit it
once. A file already missing from storage is no error: the row goes all the same.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, RestrictedError

from core.audit import audit_record
from core.sweep import deadline_check

from .enums import DocumentStatus
from .models import Application, ApplicationDocument, ApplicationExport

logger = logging.getLogger(__name__)

BATCH = 200

_references: list[tuple[type, str]] = []


def register_document_reference(model, field_name: str) -> None:
    """Declares that `model.field_name` (a ForeignKey to `ApplicationDocument`) refers to a
    render that must be kept for as long as the reference exists. Call it from the declaring
    app's `AppConfig.ready()`; registering the same pair twice is harmless. Raises
    `ValueError` when the field is not a ForeignKey to `ApplicationDocument`.

    The field should protect the row too (`on_delete=models.RESTRICT` or `PROTECT`), so that
    nothing else deletes a render that is referred to."""
    field = model._meta.get_field(field_name)
    if getattr(field, "related_model", None) is not ApplicationDocument or not field.many_to_one:
        raise ValueError(f"{model.__name__}.{field_name} is not a ForeignKey to "
                         "ApplicationDocument")
    if (model, field_name) not in _references:
        _references.append((model, field_name))


def document_references() -> list[tuple[type, str]]:
    """The registered (model, field name) pairs, a copy."""
    return list(_references)


def _referenced():
    """A condition on ApplicationDocument: some registered reference names this row."""
    condition = Q(pk__in=[])
    for model, field_name in _references:
        condition |= Exists(model._default_manager.filter(**{field_name: OuterRef("pk")}))
    return condition


def superseded_documents(now):
    """The renders superseded for the retention period at `now` (datetime) and not referred
    to, oldest first. A render is superseded at the moment a render of the same application
    and variant is requested after it; it is removed once that moment is
    `DOCUMENT_RETENTION_DAYS` days old (at exactly that second, not before)."""
    cutoff = now - datetime.timedelta(days=settings.DOCUMENT_RETENTION_DAYS)
    superseding = ApplicationDocument.objects.filter(
        application_id=OuterRef("application_id"), variant=OuterRef("variant"),
        requested_at__gt=OuterRef("requested_at"), requested_at__lte=cutoff,
    )
    return (ApplicationDocument.objects
            .filter(status__in=[DocumentStatus.READY, DocumentStatus.FAILED])
            .filter(Exists(superseding)).exclude(_referenced())
            .order_by("requested_at", "pk"))


def _delete_file(storage, name: str, what: str) -> None:
    if not name:
        return
    try:
        storage.delete(name)
    except Exception:  # noqa: BLE001 - the row is gone; a stray file is logged, not fatal
        logger.exception("retention: could not delete the file %s of %s", name, what)


@deadline_check
def documents_expire(now) -> int:
    """Deletes superseded renders past their retention (see `superseded_documents`), their
    files after the deleting transaction commits. Returns how many renders were removed."""
    candidates = list(superseded_documents(now).values_list("pk", "application_id", "file")
                      [:BATCH])
    removed = []
    storage = ApplicationDocument._meta.get_field("file").storage
    for pk, application_id, name in candidates:
        try:
            with transaction.atomic():
                # Checked again in the deleting statement: a reference made since the list
                # was read keeps the render, and of two sweeps only one deletes the row.
                deleted, _ = superseded_documents(now).filter(pk=pk).delete()
        except (ProtectedError, RestrictedError):
            # A protecting reference nobody registered: the render stays, and says why.
            logger.warning("retention: document %s is referred to by an unregistered model", pk)
            continue
        if deleted:
            # Committed by now (the sweep runs outside any transaction): the file can go.
            transaction.on_commit(
                lambda name=name, pk=pk: _delete_file(storage, name, f"document {pk}"))
            removed.append({"document": pk, "application": application_id})
    if removed:
        audit_record(action="application.documents_expire",
                     after={"days": settings.DOCUMENT_RETENTION_DAYS, "removed": removed},
                     note=f"删除被新版本取代满 {settings.DOCUMENT_RETENTION_DAYS} 天的申报文档 "
                          f"{len(removed)} 份")
        logger.info("retention: removed %d superseded documents", len(removed))
    return len(removed)


def finished_exports(now):
    """Exports finished (ready or failed) `EXPORT_RETENTION_DAYS` days ago or longer at `now`
    (at exactly that second, not before), oldest first."""
    cutoff = now - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return (ApplicationExport.objects
            .filter(status__in=[DocumentStatus.READY, DocumentStatus.FAILED],
                    finished_at__lte=cutoff)
            .order_by("finished_at", "pk"))


@deadline_check
def exports_expire(now) -> int:
    """Marks finished exports past their retention 已过期 and deletes their files once that
    is committed. Returns how many exports expired."""
    candidates = list(finished_exports(now).values_list("pk", "status", "file")[:BATCH])
    expired = []
    storage = ApplicationExport._meta.get_field("file").storage
    for pk, status, name in candidates:
        with transaction.atomic():
            if finished_exports(now).filter(pk=pk, status=status).update(
                    status=DocumentStatus.EXPIRED, file=""):
                transaction.on_commit(
                    lambda name=name, pk=pk: _delete_file(storage, name, f"export {pk}"))
                expired.append(pk)
    if expired:
        audit_record(action="application.exports_expire",
                     after={"days": settings.EXPORT_RETENTION_DAYS, "exports": expired},
                     note=f"删除完成满 {settings.EXPORT_RETENTION_DAYS} 天的导出文件 "
                          f"{len(expired)} 份")
        logger.info("retention: expired %d exports", len(expired))
    return len(expired)


# The submission refers to the render the reviewers read.
register_document_reference(Application, "submitted_document")
