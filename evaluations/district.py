"""The 主管部门's 初审 (第十八条): an opinion per center on its submitted materials, a return for
correction at most once and before `district_due`, and the 审查意见 forwarded to the commission
as one batch (`DistrictForwarding`) with its PDF, rendered in Celery and queued again by a sweep
when it went missing. A late batch is still accepted, marked late."""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users, user_department_ids
from centers.enums import CenterStatus
from core.audit import audit_record
from core.notifications import notify
from core.queue import enqueue, enqueue_on_commit
from core.sweep import deadline_check
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import CycleStatus, EvaluationStatus
from .errors import EvaluationError
from .materials import center_users, materials_link
from .models import DistrictForwarding, Evaluation, EvaluationCycle
from .workflows import EVALUATION_WORKFLOW

S = EvaluationStatus
OPINION_MAX_CHARS = 5000
REVIEW_REFUSAL = "只有该赋能中心主管部门的工作人员可以初审其评价材料。"
PDF_TEMPLATE = "evaluations/pdf/district_forwarding.html"
ISSUER_SUFFIX = "审查意见"
# A batch PDF not rendered this long after forwarding is queued again by the sweep.
PDF_STALE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 100

logger = logging.getLogger(__name__)


def _clean(text) -> str:
    return (text or "").strip()


def _ensure_reviewer(evaluation, actor):
    if not actor.has_perm("evaluations.review_materials", evaluation):
        raise PermissionDenied(REVIEW_REFUSAL)


def _forwarded(cycle_id, department_id) -> bool:
    return DistrictForwarding.objects.filter(cycle_id=cycle_id,
                                             department_id=department_id).exists()


def materials_return(*, evaluation: Evaluation, actor, reason: str, now=None) -> Evaluation:
    """退回修改: the 主管部门 returns submitted materials for correction with its reason, at most
    once per evaluation and only while `now` <= `district_due` (第十八条). The center's users
    are told; they may correct and resubmit until `district_due`. Raises PermissionDenied (not
    an official of the evaluation's 主管部门), EvaluationError (no reason, returned before,
    past the deadline, not 已报送待初审). Audited through the transition (`evaluation.return`)."""
    now = now or timezone.now()
    _ensure_reviewer(evaluation, actor)
    reason = _clean(reason)
    if not reason:
        raise EvaluationError("请填写退回修改的理由。")
    if len(reason) > OPINION_MAX_CHARS:
        raise EvaluationError(f"退回理由不超过{OPINION_MAX_CHARS}字。")
    evaluation = Evaluation.objects.select_related("cycle").get(pk=evaluation.pk)
    if evaluation.returned_at is not None:
        raise EvaluationError("该赋能中心的评价材料已退回修改过一次，不能再次退回（管理办法第十八条）。")
    if now > evaluation.cycle.district_due:
        raise EvaluationError("主管部门初审已截止，不能再退回修改。")
    try:
        returned = perform_transition(
            workflow=EVALUATION_WORKFLOW, obj=evaluation, move_name="return", actor=actor,
            reason=reason, changes={"returned_at": now, "return_reason": reason},
            on_commit=[lambda: _tell_center(evaluation.pk)])
    except TransitionNotAllowed as error:
        raise EvaluationError(str(error)) from None
    return returned


def _tell_center(evaluation_id: int) -> None:
    evaluation = Evaluation.objects.select_related("center__application", "cycle").get(
        pk=evaluation_id)
    for user in center_users(evaluation):
        notify(recipient=user, purpose="evaluation_returned", link=materials_link(evaluation),
               context={"evaluation": evaluation, "center": evaluation.center,
                        "cycle": evaluation.cycle})


def opinion_save(*, evaluation: Evaluation, actor, opinion: str) -> Evaluation:
    """The 主管部门's 初审意见 on one center's submitted materials (kept until the batch is
    forwarded; the center does not see it). Raises PermissionDenied, EvaluationError (empty,
    too long, not 已报送待初审). Audited (`evaluation.district_opinion`)."""
    _ensure_reviewer(evaluation, actor)
    opinion = _clean(opinion)
    if not opinion:
        raise EvaluationError("请填写初审意见。")
    if len(opinion) > OPINION_MAX_CHARS:
        raise EvaluationError(f"初审意见不超过{OPINION_MAX_CHARS}字。")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status != S.SUBMITTED:
            raise EvaluationError("只能对已报送待初审的评价材料填写初审意见。")
        before = locked.district_opinion
        locked.district_opinion, locked.district_reviewed_by = opinion, actor
        locked.save(update_fields=["district_opinion", "district_reviewed_by", "updated_at"])
        audit_record(action="evaluation.district_opinion", actor=actor, target=locked,
                     before={"opinion": before}, after={"opinion": opinion})
    return locked


def forward_problems(*, cycle: EvaluationCycle, department_id: int, now=None) -> list[str]:
    """What stops the department's batch, in Chinese: already forwarded, an active center
    still free to submit (pending while `now` <= `materials_due`: a batch sent before would
    leave its materials out for good, named), nothing submitted, submitted materials without
    an opinion (named)."""
    now = now or timezone.now()
    if _forwarded(cycle.pk, department_id):
        return ["本部门已报送本年度审查意见。"]
    if now <= cycle.materials_due:
        pending = list(Evaluation.objects.filter(
            cycle=cycle, department_id=department_id, status=S.PENDING,
            center__status=CenterStatus.ACTIVE).order_by("center__name")
            .values_list("center__name", flat=True)[:20])
        if pending:
            return [f"以下赋能中心尚未报送评价材料，评价材料报送截止"
                    f"（{timezone.localtime(cycle.materials_due):%Y年%m月%d日 %H:%M}）前"
                    f"不能报送审查意见：{'、'.join(pending)}。"]
    waiting = list(Evaluation.objects.filter(cycle=cycle, department_id=department_id,
                                             status=S.SUBMITTED)
                   .select_related("center").only("district_opinion", "center__name"))
    if not waiting:
        return ["本部门没有已报送待初审的评价材料。"]
    missing = [e.center.name for e in waiting if not _clean(e.district_opinion)]
    if missing:
        return [f"以下赋能中心尚未填写初审意见：{'、'.join(missing)}。"]
    return []


def review_forward(*, cycle: EvaluationCycle, department, actor, summary: str = "",
                   now=None) -> DistrictForwarding:
    """报送审查意见 (第十八条): the 主管部门 forwards its opinions on all its centers' submitted
    materials of `cycle` to the commission as one batch: every 已报送待初审 evaluation of the
    department needs an opinion; each moves to 初审意见已报送 and joins the batch. After
    `district_due` the batch is still accepted, marked `late`. Materials returned and not
    resubmitted stay out (and can no longer be resubmitted). The batch PDF is rendered in
    Celery; the commission's staff are told.

    `department` is a Department or its pk. Raises PermissionDenied (not an official of the
    department), EvaluationError (the cycle not taking materials, already forwarded, a center
    of the department that may still submit before `materials_due`, nothing to forward, an
    opinion missing). Audited (`district_forwarding.forward`, and one
    `evaluation.forward` per evaluation)."""
    now = now or timezone.now()
    department_id = getattr(department, "pk", department)
    if department_id not in user_department_ids(actor, Role.DISTRICT_OFFICIAL):
        raise PermissionDenied("只有本部门的工作人员可以报送审查意见。")
    if not actor.has_perm("evaluations.forward_review"):
        raise PermissionDenied("只有主管部门工作人员可以报送审查意见。")
    summary = _clean(summary)
    if len(summary) > OPINION_MAX_CHARS:
        raise EvaluationError(f"审查意见（总体）不超过{OPINION_MAX_CHARS}字。")
    with transaction.atomic():
        locked_cycle = EvaluationCycle.objects.select_for_update().get(pk=cycle.pk)
        if locked_cycle.status != CycleStatus.OPEN:
            raise EvaluationError("本年度评价已不在材料报送和初审阶段。")
        if problems := forward_problems(cycle=locked_cycle, department_id=department_id,
                                        now=now):
            raise EvaluationError("未报送：" + "；".join(problems))
        late = now > locked_cycle.district_due
        forwarding = DistrictForwarding.objects.create(
            cycle=locked_cycle, department_id=department_id, summary=summary,
            forwarded_by=actor, late=late)
        waiting = Evaluation.objects.filter(cycle=locked_cycle, department_id=department_id,
                                            status=S.SUBMITTED).order_by("pk")
        moved = []
        for evaluation in waiting:
            try:
                perform_transition(workflow=EVALUATION_WORKFLOW, obj=evaluation,
                                   move_name="forward", actor=actor,
                                   changes={"forwarding": forwarding})
            except TransitionNotAllowed as error:
                raise EvaluationError(str(error)) from None
            moved.append(evaluation.pk)
        audit_record(action="district_forwarding.forward", actor=actor, target=forwarding,
                     after={"evaluations": moved, "late": late})
        enqueue_on_commit(_render_task(), forwarding.pk)
        transaction.on_commit(lambda: _tell_commission(forwarding.pk))
    return forwarding


def _render_task():
    from .tasks import render_forwarding_pdf

    return render_forwarding_pdf


def forwarding_link(forwarding) -> str:
    """The path of the batch's PDF download."""
    return reverse("evaluations:forwarding_pdf", args=[forwarding.pk])


def _tell_commission(forwarding_id: int) -> None:
    forwarding = DistrictForwarding.objects.select_related("cycle", "department").get(
        pk=forwarding_id)
    for user in role_users((Role.COMMISSION_STAFF, None)):
        notify(recipient=user, purpose="evaluation_review_forwarded",
               link=reverse("admin:evaluations_districtforwarding_change", args=[forwarding.pk]),
               context={"forwarding": forwarding, "cycle": forwarding.cycle,
                        "department": forwarding.department})


# --- the batch PDF ----------------------------------------------------------------------------

def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded: {url}")


def forwarding_rows(forwarding: DistrictForwarding) -> list[Evaluation]:
    """The evaluations of the batch's department in its cycle, by center name: those forwarded
    with their opinion, and those left out (not submitted, returned) for the record."""
    return list(Evaluation.objects.filter(cycle_id=forwarding.cycle_id,
                                          department_id=forwarding.department_id)
                .select_related("center").order_by("center__name", "pk"))


def forwarding_pdf(forwarding: DistrictForwarding) -> bytes:
    """The batch's 审查意见 PDF bytes: the cycle, the department, the summary, each center with
    its status and opinion, and the counts (WeasyPrint)."""
    from weasyprint import HTML  # heavy import; only renderers need it

    rows = forwarding_rows(forwarding)
    html = render_to_string(PDF_TEMPLATE, {
        "forwarding": forwarding, "cycle": forwarding.cycle,
        "department": forwarding.department, "rows": rows,
        "forwarded": sum(1 for e in rows if e.forwarding_id == forwarding.pk),
        "left_out": sum(1 for e in rows if e.forwarding_id != forwarding.pk)})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def forwarding_render(*, forwarding_id: int, force: bool = False) -> DistrictForwarding:
    """For the worker: renders and stores the batch's PDF (idempotent: a batch with its PDF is
    left as is unless `force`, the admin's re-render)."""
    forwarding = DistrictForwarding.objects.select_related("cycle", "department").get(
        pk=forwarding_id)
    if forwarding.pdf and not force:
        return forwarding
    pdf = forwarding_pdf(forwarding)
    storage = forwarding.pdf.storage
    old = forwarding.pdf.name
    name = storage.save(forwarding.pdf.field.generate_filename(forwarding, "forwarding.pdf"),
                        ContentFile(pdf))
    query = DistrictForwarding.objects.filter(pk=forwarding_id)
    if not force:
        query = query.filter(pdf="")
    if query.update(pdf=name, pdf_rendered_at=timezone.now()):
        if force and old:
            storage.delete(old)
    else:
        storage.delete(name)
    forwarding.refresh_from_db()
    return forwarding


def forwarding_rerender(*, forwarding: DistrictForwarding, actor) -> None:
    """The commission renders a batch's PDF again (after a template fix, a lost file): queued.
    Raises PermissionDenied (not commission staff). Audited (`district_forwarding.pdf_rerender`)."""
    if not actor.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied("只有市发展改革委工作人员可以重新生成审查意见PDF。")
    from .tasks import render_forwarding_rerender

    audit_record(action="district_forwarding.pdf_rerender", actor=actor, target=forwarding)
    enqueue_on_commit(render_forwarding_rerender, forwarding.pk)


@deadline_check
def requeue_missing_forwarding_pdfs(now) -> int:
    """审查意见 PDFs still missing PDF_STALE_AFTER after their batch was forwarded (the render
    failed or never ran) are queued again, at most REQUEUE_BATCH, oldest first. The task is
    idempotent. Returns how many were handed to the broker (or rendered, without one)."""
    missing = (DistrictForwarding.objects.filter(pdf="", forwarded_at__lt=now - PDF_STALE_AFTER)
               .order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
    return sum(enqueue(_render_task(), pk) for pk in list(missing))
