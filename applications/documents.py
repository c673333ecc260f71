"""The PDFs of an application: the 申报表 and the full package (申报表 + 建设方案 + 附件目录).

A PDF is cached by the hash of exactly what it shows. `document_content` builds that content as
plain data; the templates render nothing else, and `document_content_hash` hashes the same data,
so a PDF is re-rendered when, and only when, something it shows has changed.
"""

import datetime
import hashlib
import json
import logging
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists
from django.template.loader import render_to_string
from django.utils import timezone

from core.queue import enqueue_on_commit

from .completeness import step_problems
from .enums import EDITABLE_STATUSES, AttachmentKind, DocumentStatus, DocumentVariant
from .models import Application, ApplicationDocument
from .plan import ATTACHMENTS_HEADING, PLAN_SECTIONS
from .texts import FORM_TITLE, JOINT_COMMITMENT, LEAD_COMMITMENT, PLAN_TITLE

logger = logging.getLogger(__name__)

# Part of every content hash: bump it whenever a PDF template changes its output, so that
# documents rendered with the old layout are not served as current.
TEMPLATE_VERSION = "2026.2"

TEMPLATES = {
    DocumentVariant.FORM: "applications/pdf/form.html",
    DocumentVariant.PACKAGE: "applications/pdf/package.html",
}

# A pending document whose task has not finished by then is queued again (a lost message, a
# worker that died mid-render).
RENDER_STALE_AFTER = datetime.timedelta(minutes=2)

GOALS = (
    ("goal_key_technologies", "（一）关键技术突破", "项"),
    ("goal_scenarios", "（二）应用场景落地", "个"),
    ("goal_solutions", "（三）行业解决方案", "个"),
    ("goal_patents", "（四）相关有效专利", "个"),
)


# --- content ---------------------------------------------------------------------------------


# The steps whose content each PDF prints; once they are complete the PDF is ready to sign.
PRINTED_STEPS = {
    DocumentVariant.FORM: ("lead", "joint", "center", "service", "goals"),
    DocumentVariant.PACKAGE: ("lead", "joint", "center", "service", "goals", "plan"),
}


def is_draft(application: Application, variant: str = DocumentVariant.FORM) -> bool:
    """An unfinished PDF is watermarked 草稿. A finished 申报表 is not, even before submission:
    it is the copy the units sign and seal, and its scan must be uploaded before submitting."""
    if application.status not in EDITABLE_STATUSES:
        return False
    problems = step_problems(application)
    return any(problems[step] for step in PRINTED_STEPS[DocumentVariant(variant)])


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _number(value: Decimal | None) -> str:
    """A figure as the applicant entered it, without padding zeros: 5000.00 → 5000."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _date(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} 字节"  # as Django's filesizeformat says it on the other pages
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _unit(unit, role_note: str) -> dict:
    ratio = unit.rd_ratio_percent if unit else None
    return {
        "role_note": role_note,
        "name": _text(unit.name) if unit else "",
        "uscc": unit.uscc if unit else "",
        "registered_on": _date(unit.registered_on) if unit else "",
        "registered_capital": _number(unit.registered_capital) if unit else "",
        "revenue_last_year": _number(unit.revenue_last_year) if unit else "",
        "rd_investment_last_year": _number(unit.rd_investment_last_year) if unit else "",
        "rd_ratio_percent": f"{ratio}%" if ratio is not None else "",
        "enterprise_qualification": _text(unit.enterprise_qualification) if unit else "",
        "industry_qualification": _text(unit.industry_qualification) if unit else "",
        "legal_representative": _text(unit.legal_representative) if unit else "",
        "phone": unit.phone if unit else "",
    }


def _paragraphs(value) -> list[str]:
    return [line.strip() for line in _text(value).split("\n") if line.strip()]


def _attachment_order(attachment):
    # In the order the 申报表 lists the materials (资质、标准、专利、案例、证书 …).
    kinds = AttachmentKind.values
    rank = kinds.index(attachment.kind) if attachment.kind in kinds else len(kinds)
    return rank, attachment.uploaded_at, attachment.pk


def document_content(application: Application, variant: str) -> dict:
    """Everything the PDF of `variant` shows, as JSON-ready data. Expects the application with
    its units, attachments and industry field loaded (`selectors.application_with_details`)."""
    variant = DocumentVariant(variant)
    a = application
    # The official form always prints both unit blocks and both opinions; without a joint unit
    # its block and 联合申报单位意见 stay blank.
    units = [_unit(a.lead_unit, "（赋能中心承建主体）"),
             _unit(a.joint_unit if a.has_joint_unit else None, "（赋能中心联合承建主体）")]
    content = {
        "template_version": TEMPLATE_VERSION,
        "variant": variant.value,
        "is_draft": is_draft(a, variant),
        "title": FORM_TITLE,
        "units": units,
        "center": {
            "name": _text(a.center_name),
            "industry_field": a.industry_field.name if a.industry_field else "",
            "director": [_text(a.director_name), _text(a.director_title), a.director_phone,
                         a.director_email],
            "tech_lead": [_text(a.tech_lead_name), _text(a.tech_lead_title), a.tech_lead_phone,
                          a.tech_lead_email],
            "service_lead": [_text(a.service_lead_name), _text(a.service_lead_title),
                             a.service_lead_phone, a.service_lead_email],
        },
        "service_summary": _text(a.service_summary),
        "construction_content": _text(a.construction_content),
        "goals": [
            {"label": label, "unit": unit,
             "count": "" if getattr(a, name) is None else str(getattr(a, name)),
             "note": _text(getattr(a, f"{name}_note"))}
            for name, label, unit in GOALS
        ],
        "goal_other": _text(a.goal_other),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT if a.has_joint_unit else "",
    }
    if variant == DocumentVariant.PACKAGE:
        lead_name = units[0]["name"]
        content["plan"] = {
            "title": PLAN_TITLE,
            "unit_name": lead_name,
            "joint_unit_name": units[1]["name"],
            "sections": [
                {"heading": section.heading,
                 "items": [{"heading": item.heading,
                            "paragraphs": _paragraphs(getattr(a, item.field))}
                           for item in section.items]}
                for section in PLAN_SECTIONS
            ],
            "attachments_heading": ATTACHMENTS_HEADING,
            "attachments": [
                {"kind": attachment.get_kind_display(), "name": attachment.served_name,
                 "size": _size(attachment.size), "sha256": attachment.sha256[:16]}
                for attachment in sorted(a.attachments.all(), key=_attachment_order)
            ],
        }
    return content


def _canonical_json(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def document_content_hash(application: Application, variant: str) -> str:
    return hashlib.sha256(_canonical_json(document_content(application, variant))).hexdigest()


# --- rendering -------------------------------------------------------------------------------


def _refuse_fetch(url, *args, **kwargs):
    # The templates need no external resource; nothing typed by an applicant may fetch one.
    raise ValueError(f"external resources are not loaded: {url}")


def document_html(content: dict, content_hash: str) -> str:
    return render_to_string(TEMPLATES[content["variant"]],
                            {"doc": content, "content_hash": content_hash})


def document_pdf(content: dict) -> bytes:
    """The PDF bytes of `content` (from `document_content`)."""
    from weasyprint import HTML  # heavy import; only renderers need it

    content_hash = hashlib.sha256(_canonical_json(content)).hexdigest()
    html = document_html(content, content_hash)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def _load(application_id: int) -> Application:
    from .selectors import application_with_details

    return application_with_details(Application.objects.all()).get(pk=application_id)


def _document_for_current_content(application: Application, variant: str):
    """The row for the application's current content, and whether it must be (re)rendered."""
    content_hash = document_content_hash(application, variant)
    document, created = ApplicationDocument.objects.get_or_create(
        application=application, variant=variant, content_hash=content_hash,
        defaults={"is_draft": is_draft(application, variant)},
    )
    if created:
        return document, True
    retry = ApplicationDocument.objects.filter(pk=document.pk)
    now = timezone.now()
    if document.status == DocumentStatus.FAILED:
        retry = retry.filter(status=DocumentStatus.FAILED)
    elif (document.status == DocumentStatus.PENDING
          and document.requested_at < now - RENDER_STALE_AFTER):
        retry = retry.filter(status=DocumentStatus.PENDING,
                             requested_at=document.requested_at)
    else:
        _keep_current(document, now)
        return document, False
    # Conditional update: of two requests racing, only one queues the render again.
    if retry.update(status=DocumentStatus.PENDING, error="", requested_at=now):
        document.status, document.error, document.requested_at = DocumentStatus.PENDING, "", now
        return document, True
    document.refresh_from_db()
    return document, False


def _keep_current(document: ApplicationDocument, now) -> None:
    """The content went back to what an older render shows (an edit undone): that render is
    current again, so it is requested anew and the retention sweep does not take it for one
    superseded by the renders requested in between (`retention.superseded_documents`)."""
    newer = ApplicationDocument.objects.filter(
        application_id=document.application_id, variant=document.variant,
        requested_at__gt=document.requested_at)
    if ApplicationDocument.objects.filter(pk=document.pk).filter(Exists(newer)).update(
            requested_at=now):
        document.requested_at = now


def document_request(*, application: Application, variant: str, actor) -> ApplicationDocument:
    """The document for the application's current content; queues its rendering if it has none
    yet (or the last attempt failed). Returns the row, whatever its status."""
    if not actor.has_perm("applications.view_application", application):
        raise PermissionDenied("您无权查看此申报。")
    variant = DocumentVariant(variant)
    with transaction.atomic():
        document, queue = _document_for_current_content(application, variant)
        if queue:
            from .tasks import render_document

            enqueue_on_commit(render_document, document.pk)
    if queue:
        # Without a broker the task ran in-process on commit: report what it left.
        document.refresh_from_db()
    return document


def document_prepare(*, application_id: int, variant: str) -> ApplicationDocument | None:
    """For the worker: the row for the current content, or None if it is already rendered."""
    application = _load(application_id)
    with transaction.atomic():
        document, needed = _document_for_current_content(application, DocumentVariant(variant))
    return document if needed or document.status == DocumentStatus.PENDING else None


def document_record(*, application_id: int, variant: str) -> ApplicationDocument:
    """Records the row for the application's current content and queues its rendering once the
    caller's transaction commits (unless it is rendered already). No user is involved: the
    submission calls this for the copy the reviewers read."""
    from .tasks import render_document

    application = _load(application_id)
    with transaction.atomic():
        document, needed = _document_for_current_content(application, DocumentVariant(variant))
        if needed:
            enqueue_on_commit(render_document, document.pk)
    return document


def document_render(*, document_id: int) -> ApplicationDocument:
    """Renders the PDF for a document row and stores it: status ready, or failed with why."""
    document = ApplicationDocument.objects.get(pk=document_id)
    if document.status == DocumentStatus.READY:
        return document
    content = document_content(_load(document.application_id), document.variant)
    content_hash = hashlib.sha256(_canonical_json(content)).hexdigest()
    if content_hash != document.content_hash:
        # Edited between the request and this render: this row's content no longer exists.
        # The next request creates a row for the new content.
        return _fail(document, "申报内容在生成前已更改，请重新生成。")
    try:
        pdf = document_pdf(content)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the row and shown
        logger.exception("rendering document %s failed", document_id)
        return _fail(document, f"{type(error).__name__}: {error}")

    storage = document.file.storage
    name = storage.save(document.file.field.generate_filename(document, "document.pdf"),
                        ContentFile(pdf))
    now = timezone.now()
    updated = ApplicationDocument.objects.filter(
        pk=document.pk, status__in=[DocumentStatus.PENDING, DocumentStatus.FAILED]
    ).update(status=DocumentStatus.READY, file=name, error="", rendered_at=now)
    if not updated:  # another worker finished the same document first
        storage.delete(name)
    document.refresh_from_db()
    return document


def _fail(document: ApplicationDocument, message: str) -> ApplicationDocument:
    ApplicationDocument.objects.filter(pk=document.pk).exclude(
        status=DocumentStatus.READY
    ).update(status=DocumentStatus.FAILED, error=message[:2000])
    document.refresh_from_db()
    return document


# --- reads -----------------------------------------------------------------------------------


def document_current(application: Application, variant: str) -> ApplicationDocument | None:
    """The document for the application's current content, if one was requested."""
    return ApplicationDocument.objects.filter(
        application=application, variant=variant,
        content_hash=document_content_hash(application, variant),
    ).first()


def documents_overview(application: Application) -> list[dict]:
    """Both PDFs of an application with the state of their current version, for the pages."""
    return [
        {"variant": variant.value, "label": variant.label,
         "document": document_current(application, variant)}
        for variant in DocumentVariant
    ]


def document_filename(application: Application, document: ApplicationDocument) -> str:
    """申报表-<中心名称>.pdf; characters a file system would refuse are dropped."""
    name = application.center_name or application.organisation.name
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", name).strip() or "申报"
    suffix = "（草稿）" if document.is_draft else ""
    return f"{document.get_variant_display()}-{name}{suffix}.pdf"
