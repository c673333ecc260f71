"""现场考察 (第九条（三）): the record of a site visit (date, experts present, findings,
verdict) and its photos and files, under the application's upload rules. The site-visit score
is the present experts' sheets on the round's rubric (experts.sheets), not kept here."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from applications.filetypes import ALLOWED_LABELS, TYPES, detect_file_type
from core.audit import audit_record

from .enums import ACTIVE_ASSIGNMENT_STATUSES, RoundKind, SiteVerdict
from .models import Expert, ReviewRound, RoundEntry, SiteVisit, SiteVisitFile

# The stored file's extension -> its MIME type (the stored name carries the detected type).
MIME_BY_EXTENSION = {t.extension: t.mime for t in TYPES.values()}


class SiteVisitError(Exception):
    """A refused site-visit record or file (Chinese message)."""


def site_visit_rounds(user):
    """The site-visit rounds the user may record visits for (commission: all; an agency's
    staff: their entrusted rounds)."""
    rounds = ReviewRound.objects.filter(kind=RoundKind.SITE_VISIT).order_by("-created_at", "-pk")
    return [r for r in rounds if user.has_perm("experts.record_site_visit", r)]


def site_visit_experts(round_: ReviewRound, application) -> list[Expert]:
    """The application's live assigned experts in the round: who may be recorded present."""
    return list(Expert.objects.filter(
        assignments__round=round_, assignments__application=application,
        assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES).distinct().order_by("name", "pk"))


def _ensure_may_record(round_: ReviewRound, application, actor) -> None:
    if not actor.has_perm("experts.record_site_visit", round_):
        raise PermissionDenied("您无权记录该轮次的现场考察。")
    if round_.kind != RoundKind.SITE_VISIT:
        raise SiteVisitError("该评审轮次不是现场考察。")
    if not RoundEntry.objects.filter(round=round_, application=application).exists():
        raise SiteVisitError("该申报不在本轮评审中。")


def site_visit_record(*, round_: ReviewRound, application, actor, visited_on: datetime.date,
                      expert_ids: list[int], findings: str, verdict: str) -> SiteVisit:
    """Records (or corrects) the site visit of `application` in the site-visit round: date,
    experts present (only the application's live assigned experts), findings, verdict.
    Raises SiteVisitError (Chinese) for a wrong value, PermissionDenied for a user who may not
    record the round's visits."""
    _ensure_may_record(round_, application, actor)
    findings = (findings or "").strip()
    if verdict not in SiteVerdict.values:
        raise SiteVisitError("请选择考察结论。")
    if not findings:
        raise SiteVisitError("请填写考察情况。")
    if visited_on is None:
        raise SiteVisitError("请填写考察日期。")
    allowed = {e.pk: e for e in site_visit_experts(round_, application)}
    chosen = [allowed[i] for i in expert_ids if i in allowed]
    if len(chosen) != len(set(expert_ids)):
        raise SiteVisitError("到场专家须为本申报的评审专家。")
    if not chosen:
        raise SiteVisitError("请选择到场专家。")
    with transaction.atomic():
        visit = SiteVisit.objects.filter(round=round_, application=application).first()
        before = None
        if visit is None:
            visit = SiteVisit(round=round_, application=application)
        else:
            before = {"visited_on": str(visit.visited_on), "verdict": visit.verdict,
                      "experts": sorted(visit.experts_present.values_list("pk", flat=True))}
        visit.visited_on, visit.findings, visit.verdict = visited_on, findings, verdict
        visit.recorded_by = actor
        visit.save()
        visit.experts_present.set(chosen)
        audit_record(action="site_visit.record", actor=actor, target=visit, before=before,
                     after={"visited_on": str(visited_on), "verdict": verdict,
                            "experts": sorted(e.pk for e in chosen)})
    return visit


def site_visit_file_add(*, visit: SiteVisit, actor, uploaded_file) -> SiteVisitFile:
    """A photo or file of the visit, under the application's upload rules: the attachments'
    size limit, the type decided by content (applications.filetypes), a random stored name."""
    _ensure_may_record(visit.round, visit.application, actor)
    limit = settings.UPLOAD_MAX_FILE_BYTES
    if uploaded_file.size > limit:
        raise SiteVisitError(f"文件“{uploaded_file.name}”超过单个文件{limit / 1024 / 1024:.0f} MB"
                             "的上限，请压缩后重新上传。")
    detected = detect_file_type(uploaded_file, uploaded_file.name)
    if detected is None:
        raise SiteVisitError(
            f"文件“{uploaded_file.name}”不是有效的 {ALLOWED_LABELS} 文件，或无法按其格式打开"
            "（按文件内容识别，修改扩展名无效）。")
    uploaded_file.seek(0)
    with transaction.atomic():
        item = SiteVisitFile(visit=visit, original_name=uploaded_file.name[:200],
                             size=uploaded_file.size, uploaded_by=actor)
        item.file.save(f"upload.{detected.extension}", ContentFile(uploaded_file.read()),
                       save=False)
        item.save()
        audit_record(action="site_visit.file_add", actor=actor, target=visit,
                     after={"file": item.pk, "name": item.original_name})
    return item


def site_visit_file_type(item: SiteVisitFile) -> str:
    extension = item.file.name.rsplit(".", 1)[-1].lower()
    return MIME_BY_EXTENSION.get(extension, "application/octet-stream")


def site_visit_file_served_name(item: SiteVisitFile) -> str:
    stem = item.original_name.rsplit(".", 1)[0].strip() or "现场考察文件"
    return f"{stem}.{item.file.name.rsplit('.', 1)[-1].lower()}"
