"""通报 (第十七条: 对评价不合格的给予通报): the commission issues a numbered notice naming a
center whose confirmed grade is 不合格 and the reasons; its PDF is rendered by Celery
(WeasyPrint, as the plaque certificates) and a sweep queues again any PDF still missing. The
commission, the center's unit and its 主管部门 download it; the public results page says that
a 通报 was issued."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members
from core.audit import audit_record
from core.notifications import notify
from core.queue import enqueue, enqueue_on_commit
from core.sweep import deadline_check

from .enums import CycleStatus, Grade
from .errors import EvaluationError
from .models import Bulletin, Evaluation, EvaluationCycle

ISSUER = "青岛市发展和改革委员会"
PDF_TEMPLATE = "evaluations/bulletin_pdf.html"
REASONS_MAX_CHARS = 5000
# A PDF not rendered this long after its 通报 was issued is queued again by the sweep.
PDF_STALE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 200


def bulletin_number(cycle: EvaluationCycle, sequence: int) -> str:
    """The printed number of the `sequence`-th 通报 of `cycle`: 青赋能评通〔2027〕1号."""
    return f"青赋能评通〔{cycle.year}〕{sequence}号"


def bulletin_issue(*, evaluation: Evaluation, actor, reasons: str) -> Bulletin:
    """Issues the 通报 of `evaluation` (its confirmed grade 不合格, the cycle's grades
    confirmed or published), numbered in the cycle's order under a lock on the cycle, with
    `reasons` (required, at most REASONS_MAX_CHARS); the PDF is queued after commit; the
    center's users and its 主管部门's officials are told. One per evaluation. Raises
    PermissionDenied (not commission staff), EvaluationError (not 不合格, grades not
    confirmed, issued already, no reasons). Audited (`bulletin.issue`)."""
    from .tasks import render_bulletin_pdf

    if not actor.has_perm("evaluations.issue_bulletin"):
        raise PermissionDenied("只有市发展改革委工作人员可以发布通报。")
    reasons = (reasons or "").strip()
    if not reasons:
        raise EvaluationError("请填写通报事由。")
    if len(reasons) > REASONS_MAX_CHARS:
        raise EvaluationError(f"通报事由不超过{REASONS_MAX_CHARS}字。")
    with transaction.atomic():
        cycle = EvaluationCycle.objects.select_for_update().get(pk=evaluation.cycle_id)
        locked = Evaluation.objects.select_for_update(of=("self",)).select_related(
            "center__application").get(pk=evaluation.pk)
        if cycle.status not in (CycleStatus.CONFIRMED, CycleStatus.PUBLISHED):
            raise EvaluationError("评价等级确认后才能发布通报。")
        if locked.grade != Grade.FAIL:
            raise EvaluationError("只对确认等级为不合格的赋能中心发布通报。")
        if Bulletin.objects.filter(evaluation=locked).exists():
            raise EvaluationError("该赋能中心本年度的通报已发布。")
        sequence = Bulletin.objects.filter(evaluation__cycle=cycle).count() + 1
        bulletin = Bulletin.objects.create(evaluation=locked,
                                           number=bulletin_number(cycle, sequence),
                                           reasons=reasons, issued_by=actor)
        audit_record(action="bulletin.issue", actor=actor, target=bulletin,
                     after={"evaluation": locked.pk, "center": locked.center_id,
                            "number": bulletin.number}, note=reasons)
        recipients = {u.pk: u for u in [
            *organisation_members(locked.center.application.organisation_id),
            *(role_users((Role.DISTRICT_OFFICIAL, locked.department_id))
              if locked.department_id else [])]}
        for user in recipients.values():
            notify(recipient=user, purpose="evaluation_bulletin_issued",
                   link=reverse("evaluations:bulletin_pdf", args=[bulletin.pk]),
                   context={"bulletin": bulletin, "center": locked.center, "cycle": cycle})
        enqueue_on_commit(render_bulletin_pdf, bulletin.pk)
    return bulletin


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded: {url}")


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    """The 通报 PDF bytes: number, the center and its units, the cycle, the grade, the reasons,
    the issuer and the date."""
    from weasyprint import HTML  # heavy import; only renderers need it

    evaluation = bulletin.evaluation
    html = render_to_string(PDF_TEMPLATE, {
        "bulletin": bulletin, "evaluation": evaluation, "center": evaluation.center,
        "cycle": evaluation.cycle, "issuer": ISSUER,
        "issued_on": timezone.localdate(bulletin.issued_at)})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def bulletin_render(*, bulletin_id: int) -> Bulletin:
    """For the worker: renders and stores the 通报's PDF (idempotent: one with a PDF is left as
    it is)."""
    bulletin = Bulletin.objects.select_related("evaluation__center", "evaluation__cycle").get(
        pk=bulletin_id)
    if bulletin.pdf:
        return bulletin
    pdf = bulletin_pdf(bulletin)
    storage = bulletin.pdf.storage
    name = storage.save(bulletin.pdf.field.generate_filename(bulletin, "bulletin.pdf"),
                        ContentFile(pdf))
    if not Bulletin.objects.filter(pk=bulletin_id, pdf="").update(pdf=name,
                                                                  pdf_rendered_at=timezone.now()):
        storage.delete(name)
    bulletin.refresh_from_db()
    return bulletin


def bulletin_readable(user, bulletin: Bulletin) -> bool:
    """Who downloads a 通报: the commission, the center's own unit and its 主管部门."""
    return user.has_perm("evaluations.download_bulletin", bulletin.evaluation)


@deadline_check
def requeue_missing_bulletins(now) -> int:
    """通报 PDFs still missing PDF_STALE_AFTER after issue (the broker was down, a worker
    failed) are queued again, each once per run, at most REQUEUE_BATCH, oldest first. The task
    is idempotent. Returns how many were handed to the broker (or rendered, without one)."""
    from .tasks import render_bulletin_pdf

    missing = (Bulletin.objects.filter(pdf="", issued_at__lt=now - PDF_STALE_AFTER)
               .order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
    return sum(enqueue(render_bulletin_pdf, pk) for pk in list(missing))
