"""Bulk work of the 主管部门's inbox (第八条): the selected applications' files as one ZIP, and the
inbox's filtered list as Excel, both built in the background (`ReviewBundle`).

Only the official's own department's applications ever enter a bundle: ids of another
department's applications in a selection are dropped silently when the bundle is requested,
and the rows are chosen again, from what the requester may see then, when it is built.
"""

import datetime
import logging
import re
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.enums import DocumentStatus
from applications.exporters import application_export_rows, write_xlsx
from core.audit import audit_record
from core.queue import enqueue, enqueue_on_commit
from core.sweep import deadline_check

from . import selectors
from .bundle_models import BundleKind, ReviewBundle

logger = logging.getLogger(__name__)

# One inbox page holds 30; a selection larger than this is refused rather than built.
MAX_SELECTION = 200
# Retention of a finished bundle's file, as the commission's exports (applications.retention).
EXPIRY_BATCH = 200
FILTER_KEYS = ("call", "field", "status", "q")


class BulkError(Exception):
    """A request the official can correct (nothing selected, too many); the message is
    Chinese and shown to them."""


def _ensure_official(actor) -> set[int]:
    if not actor.has_perm("reviews.view_inbox"):
        raise PermissionDenied("只有主管部门工作人员可以批量下载申报材料。")
    departments = selectors.official_department_ids(actor)
    if not departments:
        raise PermissionDenied("只有主管部门工作人员可以批量下载申报材料。")
    return departments


def _create(*, actor, kind, application_ids=(), params=None) -> ReviewBundle:
    from .tasks import build_review_bundle

    department_id = min(_ensure_official(actor))
    with transaction.atomic():
        bundle = ReviewBundle.objects.create(kind=kind, requested_by=actor,
                                             department_id=department_id,
                                             application_ids=list(application_ids),
                                             params=params or {})
        audit_record(action="district_review.bundle_request", actor=actor, target=bundle,
                     after={"kind": kind, "applications": list(application_ids),
                            "filters": params or {}})
        enqueue_on_commit(build_review_bundle, bundle.pk)
    return bundle


def bundle_files_request(*, actor, application_ids: list[int]) -> ReviewBundle:
    """Queues a ZIP of the files of `application_ids` (ints). Ids that are not the actor's
    department's applications are dropped silently (第八条: other departments' applications
    are not found, never hinted at). Raises `BulkError` when none remain or more than
    `MAX_SELECTION` were ticked, `PermissionDenied` for anyone but a 主管部门 official."""
    _ensure_official(actor)
    wanted = sorted({int(pk) for pk in application_ids})
    if len(wanted) > MAX_SELECTION:
        raise BulkError(f"一次最多打包下载 {MAX_SELECTION} 项申报，请分批勾选。")
    ids = sorted(selectors.applications_for_review(actor).filter(pk__in=wanted)
                 .values_list("pk", flat=True))
    if not ids:
        raise BulkError("请先勾选要打包下载材料的申报。")
    return _create(actor=actor, kind=BundleKind.FILES, application_ids=ids)


def bundle_list_request(*, actor, filters: dict) -> ReviewBundle:
    """Queues the Excel list of the actor's department's applications that the inbox's
    `filters` select ({"call": id or None, "field": id or None, "status": str, "q": str},
    the cleaned `InboxFilterForm`). Raises `PermissionDenied` for anyone but an official."""
    params = {key: filters.get(key) for key in FILTER_KEYS if filters.get(key) not in (None, "")}
    return _create(actor=actor, kind=BundleKind.LIST, params=params)


# --- building --------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def zip_component(text: str, fallback: str, max_length: int = 80) -> str:
    """`text` as one file or folder name inside a ZIP: no separators, control or Windows-
    forbidden characters, no leading or trailing dots or spaces (so never ``..``), not a
    Windows device name, at most `max_length` characters (the extension kept)."""
    text = unicodedata.normalize("NFC", text or "")
    cleaned = _UNSAFE.sub("_", text)
    cleaned = re.sub(r"_+", "_", re.sub(r"\.{2,}", "_", cleaned)).strip(" ._")
    if not cleaned or cleaned.upper().split(".")[0] in _WINDOWS_RESERVED:
        cleaned = f"{fallback}_{cleaned}" if cleaned else fallback
    if len(cleaned) > max_length:
        suffix = PurePosixPath(cleaned).suffix[:10]
        cleaned = cleaned[:max_length - len(suffix)].rstrip(" .") + suffix
    return cleaned


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)`… before the extension: the first not in `taken`
    (compared without case, as Windows and macOS do); adds it to `taken`."""
    path = PurePosixPath(name)
    stem, suffix = (path.stem, path.suffix) if path.suffix else (name, "")
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate.casefold())
    return candidate


def _folder_name(application) -> str:
    number = application.receipt_number or f"申报{application.pk}"
    return zip_component(f"{number}_{application.organisation.name}", f"申报{application.pk}")


def bundle_selection(bundle: ReviewBundle):
    """The applications a bundle holds, as its requester may see them now."""
    visible = selectors.applications_for_review(bundle.requested_by).filter(
        routed_department_id=bundle.department_id)
    if bundle.kind == BundleKind.FILES:
        return (visible.filter(pk__in=bundle.application_ids)
                .select_related("organisation", "submitted_document")
                .prefetch_related("attachments").order_by("receipt_number", "pk"))
    params = bundle.params
    return selectors.review_inbox_queryset(
        bundle.requested_by, call=params.get("call"), industry_field=params.get("field"),
        status=params.get("status", ""), text=params.get("q", "")).filter(
        routed_department_id=bundle.department_id)


def _write_zip(applications, target, progress) -> int:
    """One folder per application (`receipt number_unit`), its attachments under their own
    names with the extension of their detected type, and the 申报表 PDF as submitted when it
    was rendered. Returns the number of applications written."""
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        folders: set[str] = set()
        for application in applications:
            folder = _unique(_folder_name(application), folders)
            names: set[str] = set()
            document = application.submitted_document
            if document is not None and document.status == DocumentStatus.READY and document.file:
                _add_file(zf, document.file, f"{folder}/{_unique('申报表.pdf', names)}")
            for attachment in application.attachments.all():
                name = zip_component(attachment.served_name, "附件")
                _add_file(zf, attachment.file, f"{folder}/{_unique(name, names)}")
            if not names:
                zf.writestr(f"{folder}/{_unique('说明.txt', names)}", "本申报没有附件。\n")
            count += 1
            progress(count)
    return count


def _add_file(zf: zipfile.ZipFile, field_file, arcname: str) -> None:
    try:
        source = field_file.open("rb")
    except (FileNotFoundError, OSError):
        logger.warning("bundle: file %s missing from storage", field_file.name)
        return
    with source, zf.open(arcname, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def bundle_build(*, bundle_id: int) -> ReviewBundle:
    """Builds the file of a requested bundle into a temporary file, then hands it to the
    storage; progress (`items_done` / `items_total`) is saved as it goes for the bundle's
    page. A failure is recorded on the bundle, not raised. A bundle no longer pending (a task
    delivered twice) is returned untouched."""
    bundle = ReviewBundle.objects.select_related("requested_by").get(pk=bundle_id)
    if bundle.status != DocumentStatus.PENDING:
        return bundle

    def progress(done):
        bundle.items_done = done
        bundle.save(update_fields=["items_done"])

    try:
        queryset = bundle_selection(bundle)
        bundle.items_total = queryset.count()
        bundle.items_done = 0
        bundle.save(update_fields=["items_total", "items_done"])
        with tempfile.TemporaryFile() as target:
            if bundle.kind == BundleKind.FILES:
                count = _write_zip(queryset, target, progress)
            else:
                count = write_xlsx(application_export_rows(queryset, on_chunk=progress), target,
                                   sheet_title="初审申报清单")
            target.seek(0)
            bundle.file.save(f"bundle.{bundle.kind}", File(target), save=False)
    except Exception as error:
        logger.exception("review bundle %s failed", bundle_id)
        bundle.status = DocumentStatus.FAILED
        bundle.error = f"{type(error).__name__}: {error}"[:2000]
        bundle.finished_at = timezone.now()
        bundle.save(update_fields=["status", "error", "finished_at"])
        return bundle
    bundle.status = DocumentStatus.READY
    bundle.item_count = bundle.items_done = bundle.items_total = count
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["file", "status", "item_count", "items_done", "items_total",
                               "finished_at"])
    return bundle


# --- the sweep: work recorded but not done, and retention ------------------------------------

STALE_AFTER = datetime.timedelta(minutes=10)
# A bundle nobody collected within a day is not built any more.
GIVE_UP_AFTER = datetime.timedelta(days=1)


@deadline_check
def review_bundles_requeue(now) -> int:
    """Pending bundles older than `STALE_AFTER` (since requested or last queued again) are
    queued again, for a day: the broker was down when they were requested, or a worker died
    holding the message (as `applications.backlog` does for the commission's exports)."""
    from .tasks import build_review_bundle

    cutoff = now - STALE_AFTER
    stale = (ReviewBundle.objects.filter(status=DocumentStatus.PENDING, created_at__lt=cutoff,
                                         created_at__gte=now - GIVE_UP_AFTER)
             .filter(Q(requeued_at__isnull=True) | Q(requeued_at__lt=cutoff))
             .order_by("pk").values_list("pk", "requeued_at")[:EXPIRY_BATCH])
    queued = 0
    for pk, requeued_at in stale:
        # Conditional: of two sweeps racing, one queues it again.
        if ReviewBundle.objects.filter(pk=pk, status=DocumentStatus.PENDING,
                                       requeued_at=requeued_at).update(requeued_at=now):
            queued += enqueue(build_review_bundle, pk)
    return queued


# --- retention -------------------------------------------------------------------------------


def finished_bundles(now):
    """Bundles finished `EXPORT_RETENTION_DAYS` days ago or longer at `now`, oldest first."""
    cutoff = now - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return (ReviewBundle.objects
            .filter(status__in=[DocumentStatus.READY, DocumentStatus.FAILED],
                    finished_at__lte=cutoff)
            .order_by("finished_at", "pk"))


@deadline_check
def review_bundles_expire(now) -> int:
    """Marks finished bundles past the exports' retention 已过期 and deletes their files once
    that is committed, as `applications.retention.exports_expire` does for the commission's
    exports. Returns how many expired."""
    storage = ReviewBundle._meta.get_field("file").storage
    expired = []
    for pk, status, name in list(finished_bundles(now).values_list("pk", "status", "file")
                                 [:EXPIRY_BATCH]):
        with transaction.atomic():
            if finished_bundles(now).filter(pk=pk, status=status).update(
                    status=DocumentStatus.EXPIRED, file=""):
                transaction.on_commit(lambda name=name: _delete(storage, name))
                expired.append(pk)
    if expired:
        audit_record(action="district_review.bundles_expire",
                     after={"days": settings.EXPORT_RETENTION_DAYS, "bundles": expired},
                     note=f"删除完成满 {settings.EXPORT_RETENTION_DAYS} 天的初审批量下载文件 "
                          f"{len(expired)} 份")
    return len(expired)


def _delete(storage, name: str) -> None:
    if not name:
        return
    try:
        storage.delete(name)
    except Exception:  # noqa: BLE001 - the row is expired; a stray file is logged, not fatal
        logger.exception("bundle retention: could not delete %s", name)


def bundles_visible_to(user):
    """The bundles of the user's own department(s): another department's are not found."""
    return ReviewBundle.objects.filter(
        department_id__in=selectors.official_department_ids(user)).select_related(
        "requested_by")

