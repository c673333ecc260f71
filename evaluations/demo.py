"""Demo data of the yearly evaluation and revocation (第十六至十八条, `make run`), seeded by
seed_demo after the supervision demo (tests/evaluations/test_demo.py).

On the six centers the 2024 call designated (reviews.demo.PAST_UNITS, centers.demo), all
designated on one day of year Y: the cycle of year Y+1 (data window: year Y, the default),
finished and published, through the same services as the pages and admin actions —

- the default indicator table; the cycle opened with the demo agency (青岛数字经济评估中心)
  entrusted and 市工业和信息化局 invited (会同);
- five centers submit their 运行自评估报告 (figures pre-filled from their service records,
  a self-score and a note per indicator, one evidence file); 即墨区 returns one once for
  correction and it is resubmitted; each 主管部门 gives an opinion per center and forwards its
  审查意见 in time, once the materials are due; one center (金家岭) never submits;
- then the cycle is history: its dates are moved back to March/April of year Y+1, as the other
  demos move a past call back (the services refuse acts after a deadline, so they act first,
  with the deadlines ahead);
- the agency's experts score every forwarded center (the round of scoring.round_for_cycle,
  sheets written as experts.demo writes a past round's), the industry authority adds an opinion
  per center, the grades are computed and confirmed — 优秀, 良好, 合格 and 不合格 (the center
  that never submitted: hard rule 未按期报送评价材料) — and published;
- a 通报 names the 不合格 center (its PDF rendered here, synchronously, as centers.demo does
  for the certificates); the overdue materials (ground 2) made a revocation proposal through
  the revocation sweep's own rule, which the commission has told the center today: it awaits
  the center's 陈述申辩 (its working-day window is open);
- one center (即墨针织服装) asked to give up its designation (ground 4, signed by its legal
  representative), was told, stated that it keeps its request, and the commission revoked it:
  the public list of revoked centers and its plaque's verification page say 已撤销.

Idempotent: when the cycle of year Y+1 exists it is returned as it stands. Needs the six demo
centers (returns None without them).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from applications.demo import sample_pdf
from applications.services import organisation_members
from centers.models import Center
from reviews.demo import PAST_CALL_TITLE

from .enums import EvaluationStatus, Grade, RevocationGround, RevocationStatus
from .errors import EvaluationError
from .models import Evaluation, EvaluationCycle, IndicatorTable, Revocation

# The demo centers in the order the 2024 call designated them (rank order of PAST_UNITS) and
# what each gets: the expert total (weighted, 0–100) or None (never submitted), its share of
# each indicator it claims for itself, and its part in the demo.
PLAN = [
    # (expert total, self-score share, role)
    (Decimal("93"), Decimal("0.95"), "excellent"),         # 崂山湾 人工智能 (崂山区)
    (Decimal("82"), Decimal("0.88"), "good"),              # 松岭路 智能家电 (崂山区)
    (Decimal("68"), Decimal("0.80"), "revoked"),           # 即墨针织服装 (即墨区): 合格, then
                                                           # revoked on its own request
    (None, None, "fail"),                                  # 金家岭 海洋装备 (崂山区): no
                                                           # materials → 不合格, 通报, proposal
    (Decimal("64"), Decimal("0.85"), "returned"),          # 鳌山湾 食品饮料 (即墨区): 合格,
                                                           # returned once by 即墨区
    (Decimal("78"), Decimal("0.82"), "good"),              # 即墨 新能源汽车 (即墨区)
]
EXPECTED_GRADES = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL, Grade.PASS, Grade.GOOD]

REPORT = ("本年度赋能中心围绕建设方案，开展数字化转型培训、数字化诊断和解决方案服务，完成建设目标"
          "阶段任务。服务企业、培训、诊断和项目等数据由服务记录汇总，详见各项指标自评说明及佐证材料。")
SELF_NOTE = "依据服务记录及佐证材料自评。"
RETURN_REASON = "“数字化转型项目”一项未附项目验收证明，请补充后重新报送。"
DISTRICT_OPINION = "经初审，评价材料真实、完整，年度数据与服务记录一致，同意报送。"
DISTRICT_SUMMARY = "本部门所属赋能中心年度评价材料已完成初审，审查意见随附。"
INDUSTRY_OPINION = "该中心服务方向符合本行业数字化转型需要，服务企业反映良好。"
BULLETIN_REASONS = ("该中心未在规定期限内报送年度运行自评估报告及评价材料，经催告仍未报送，"
                    "依据《管理办法》第十七条，年度评价结果为不合格，予以通报。")
OVERDUE_FACTS = ("该中心未在评价材料报送截止时间前报送年度运行自评估报告及评价材料，属于逾期未报送"
                 "评价材料情形，拟撤销其赋能中心资格。")
REQUEST_REASON = "因本单位业务调整，不再具备持续运营赋能中心的条件，自行要求撤销赋能中心资格。"
STATEMENT = "本单位确认自行要求撤销赋能中心资格，无其他陈述申辩意见。"
DECISION = "经审查，该中心依托单位法定代表人签字提出撤销申请，理由属实，决定撤销其赋能中心资格。"
# After the cycle is history: its materials were due at the end of March and the 主管部门's
# review at the end of April of the cycle's year (Beijing time, 17:00).
MATERIALS_DUE = (3, 31)
DISTRICT_DUE = (4, 30)


def demo_centers() -> list[Center]:
    """The centers the demo's 2024 call designated, in designation order."""
    return list(Center.objects.filter(notice__call__title=PAST_CALL_TITLE)
                .select_related("application__organisation", "department")
                .order_by("pk"))


def _user(username: str):
    return User.objects.filter(username=username).first()


def _member(center: Center):
    members = organisation_members(center.application.organisation_id)
    return members[0] if members else None


def _official(center: Center):
    from accounts.enums import Role
    from accounts.selectors import role_users

    officials = role_users((Role.DISTRICT_OFFICIAL, center.department_id))
    return officials[0] if officials else None


def _at(year: int, month_day: tuple[int, int]) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    return datetime.datetime(year, *month_day, 17, tzinfo=zone)


def seed_evaluations(stdout=None) -> EvaluationCycle | None:
    """The finished cycle of the module docstring; returns it (or the existing one), or None
    without the six demo centers or the demo accounts."""
    centers = demo_centers()
    commission, agency_user, industry_user = (_user("commission"), _user("thirdparty"),
                                              _user("industry"))
    if len(centers) < len(PLAN) or None in (commission, agency_user, industry_user):
        return None
    year = max(c.designated_on for c in centers).year + 1
    existing = EvaluationCycle.objects.filter(year=year).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        cycle = _cycle(year, commission)
        evaluations = {e.center_id: e for e in cycle.evaluations.all()}
        _materials(cycle, centers, evaluations)
        _into_history(cycle, year)
        _overdue_proposals(cycle)
        _scoring(cycle, centers, evaluations, commission, agency_user, industry_user)
        cycle.refresh_from_db()
        _grades(cycle, centers, commission)
        _revocations(cycle, centers, commission, stdout)
    return cycle


def _cycle(year: int, commission) -> EvaluationCycle:
    """The default indicator table (a new version if none is free), the cycle created with
    its deadlines still ahead, and opened: one Evaluation per demo center."""
    from . import cycles
    from .indicators import DEFAULT_TABLE_NAME, table_install_default

    table = (IndicatorTable.objects.filter(name=DEFAULT_TABLE_NAME, frozen_at__isnull=True)
             .order_by("-version").first() or table_install_default(actor=commission))
    now = timezone.now()
    cycle = cycles.cycle_create(
        actor=commission, year=year, table=table, title=f"{year}年度赋能中心运行评估评价",
        materials_due=now + datetime.timedelta(days=20),
        district_due=now + datetime.timedelta(days=50),
        agency=Department.objects.get(short_name="青岛数字经济评估中心"),
        invited_authorities=[Department.objects.get(short_name="市工业和信息化局")])
    cycles.cycle_open(cycle=cycle, actor=commission, now=now)
    cycle.refresh_from_db()
    return cycle


def _self_scores(evaluation: Evaluation, share: Decimal) -> dict:
    return {indicator.pk: {"value": (indicator.weight * share).quantize(Decimal("0.01")),
                           "note": SELF_NOTE}
            for indicator in evaluation.cycle.table.indicators.order_by("order")}


def _materials(cycle, centers, evaluations) -> None:
    """The centers' materials (all but the one that never submits), one return by 即墨区 and
    its resubmission, each 主管部门's opinions and its forwarding."""
    from . import district, materials

    now = timezone.now()
    for center, (_total, share, role) in zip(centers, PLAN, strict=True):
        if role == "fail":
            continue
        evaluation, member = evaluations[center.pk], _member(center)
        materials.materials_save(evaluation=evaluation, actor=member, report=REPORT,
                                 scores=_self_scores(evaluation, share))
        evaluation.refresh_from_db()
        materials.evidence_add(
            evaluation=evaluation, actor=member,
            upload=SimpleUploadedFile("年度服务记录汇总表.pdf", sample_pdf("Evidence"),
                                      content_type="application/pdf"))
        materials.materials_submit(evaluation=evaluation, actor=member, now=now)
        if role == "returned":
            evaluation.refresh_from_db()
            district.materials_return(evaluation=evaluation, actor=_official(center),
                                      reason=RETURN_REASON, now=now)
            evaluation.refresh_from_db()
            materials.evidence_add(
                evaluation=evaluation, actor=member,
                upload=SimpleUploadedFile("项目验收证明.pdf", sample_pdf("Acceptance"),
                                          content_type="application/pdf"))
            materials.materials_submit(evaluation=evaluation, actor=member, now=now)
    for center in centers:
        evaluation = Evaluation.objects.get(pk=evaluations[center.pk].pk)
        if evaluation.status == EvaluationStatus.SUBMITTED:
            district.opinion_save(evaluation=evaluation, actor=_official(center),
                                  opinion=DISTRICT_OPINION)
    departments = {c.department_id: c for c in centers if c.department_id}
    # A batch waits for the materials deadline while a center of the department may submit.
    for center in departments.values():
        district.review_forward(cycle=cycle, department=center.department,
                                actor=_official(center), summary=DISTRICT_SUMMARY,
                                now=cycle.materials_due + datetime.timedelta(seconds=1))


def _into_history(cycle, year: int) -> None:
    """The cycle's deadlines passed long ago: every date of its materials stage moves back by
    the same span, so materials were due on MATERIALS_DUE and the review on DISTRICT_DUE of
    the cycle's year (the order of the acts is kept)."""
    from .models import DistrictForwarding

    cycle.refresh_from_db()
    back = cycle.materials_due - _at(year, MATERIALS_DUE)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(
        opened_at=cycle.opened_at - back, materials_due=cycle.materials_due - back,
        district_due=_at(year, DISTRICT_DUE))
    for evaluation in cycle.evaluations.exclude(submitted_at=None):
        Evaluation.objects.filter(pk=evaluation.pk).update(
            submitted_at=evaluation.submitted_at - back,
            returned_at=evaluation.returned_at - back if evaluation.returned_at else None)
    # The batches went a week after the materials were due (none may go before: a center of
    # the department was still free to submit).
    DistrictForwarding.objects.filter(cycle=cycle).update(
        forwarded_at=_at(year, MATERIALS_DUE) + datetime.timedelta(days=7))
    cycle.refresh_from_db()


def _overdue_proposals(cycle) -> None:
    """Ground 2 (逾期未报送评价材料): the materials deadline has passed; the revocation rule's own
    sweep function proposes the revocation of each center that never submitted, once, and
    closes the cycle's materials (`materials_closed_at`). Only this check runs, not the whole
    deadline sweep, which would touch the rest of the demo."""
    from .revocations import revocation_materials_overdue

    revocation_materials_overdue(timezone.now())
    cycle.refresh_from_db()


def _scoring(cycle, centers, evaluations, commission, agency_user, industry_user) -> None:
    """The agency's expert round on the forwarded centers: three demo experts free of
    conflicts per center, each sheet submitted at the plan's total; the round closed (the
    aggregate); the invited industry authority's opinion per center."""
    from experts import rounds
    from experts.conflicts import hard_conflicts
    from experts.demo import demo_assign, demo_experts, demo_sheet
    from experts.enums import RoundStatus
    from experts.models import ReviewRound

    from . import cycles, opinions
    from .scoring import SCORING_DAYS

    cycle = cycles.cycle_start_scoring(cycle=cycle, actor=commission)
    round_ = ReviewRound.objects.get(pk=cycle.review_round_id)
    if round_.status == RoundStatus.PREPARING:
        round_ = rounds.round_open(round=round_, actor=commission)
    # The round was made with its deadline ahead (scoring.default_deadline); in the demo's
    # history the experts scored within SCORING_DAYS of the 主管部门's deadline.
    ReviewRound.objects.filter(pk=round_.pk).update(
        deadline=cycle.district_due + datetime.timedelta(days=SCORING_DAYS))
    round_.refresh_from_db()
    experts = demo_experts()
    forwarded = [c for c in centers
                 if Evaluation.objects.get(pk=evaluations[c.pk].pk).status
                 == EvaluationStatus.FORWARDED]
    conflicts = hard_conflicts(applications=[c.application for c in forwarded],
                               experts=experts, on=timezone.localdate())
    totals = {c.pk: total for c, (total, _share, _role) in zip(centers, PLAN, strict=True)}
    for center in forwarded:
        free = [e for e in experts if (e.pk, center.application_id) not in conflicts][:3]
        for expert in free:
            demo_sheet(demo_assign(round_, center.application, expert, agency_user),
                       int(totals[center.pk]))
    rounds.round_close(round=round_, actor=commission)
    for center in forwarded:
        opinions.opinion_save(evaluation=evaluations[center.pk], actor=industry_user,
                              text=INDUSTRY_OPINION)


def _grades(cycle, centers, commission) -> None:
    """Grades computed from the experts' aggregate and the hard rules, each confirmed as
    computed, the cycle confirmed and published; the 通报 of the 不合格 one."""
    from . import bulletins, grades

    grades.grades_compute(cycle=cycle, actor=commission)
    for evaluation in cycle.evaluations.order_by("center_id"):
        grades.grade_confirm(evaluation=evaluation, actor=commission)
    grades.cycle_confirm(cycle=cycle, actor=commission)
    grades.cycle_publish(cycle=cycle, actor=commission)
    for evaluation in cycle.evaluations.filter(grade=Grade.FAIL).order_by("pk"):
        bulletin = bulletins.bulletin_issue(evaluation=evaluation, actor=commission,
                                            reasons=BULLETIN_REASONS)
        # Rendered here, so `make run` shows it with or without a worker (the task queued
        # on commit then finds it done).
        bulletins.bulletin_render(bulletin_id=bulletin.pk)


def _revocations(cycle, centers, commission, stdout=None) -> None:
    """The overdue-materials proposal told to its center (awaiting its statement, today); the
    self-requested revocation told, stated and decided (revoked, published). Telling needs
    the holiday schedule of the year the 陈述申辩 window reaches: without it the demo says so
    and leaves the proposals untold."""
    from . import revocations

    for proposal in Revocation.objects.filter(cycle=cycle, status=RevocationStatus.PROPOSED,
                                              ground=RevocationGround.MATERIALS_OVERDUE):
        try:
            revocations.revocation_notify(revocation=proposal, actor=commission)
        except EvaluationError as error:
            if stdout is not None:
                stdout.write(f"未告知演示撤销建议：{error}")
            return

    center = next(c for c, (_t, _s, role) in zip(centers, PLAN, strict=True)
                  if role == "revoked")
    member = _member(center)
    organisation = center.application.organisation
    revocations.revocation_request(
        center=center, actor=member,
        legal_representative=organisation.legal_representative or "法定代表人",
        reason=REQUEST_REASON,
        upload=SimpleUploadedFile("撤销申请（法定代表人签字）.pdf", sample_pdf("Request"),
                                  content_type="application/pdf"))
    request = Revocation.objects.get(center=center, ground=RevocationGround.SELF_REQUEST,
                                     status=RevocationStatus.PROPOSED)
    revocations.revocation_notify(revocation=request, actor=commission)
    request.refresh_from_db()
    revocations.revocation_state(revocation=request, actor=member, statement=STATEMENT)
    request.refresh_from_db()
    revocations.revocation_decide(revocation=request, actor=commission, revoke=True,
                                  reason=DECISION)
