"""The center's 运行自评估报告 and materials (第十七条、第十八条): the year's figures pre-filled
from its service records, a self-score with a note per indicator, evidence files, saved as often
as wanted (autosave, guarded by the evaluation's `version`) and submitted once to its 主管部门
by `materials_due`; returned for correction, resubmitted until `district_due`."""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import role_users
from applications.services import organisation_members
from centers.evidence import EvidenceError, evidence_check, evidence_save
from centers.progress import progress_figures
from core.audit import audit_record
from core.notifications import notify
from core.transitions import TransitionNotAllowed, perform_transition

from .enums import EvaluationStatus, ProgressFigure
from .errors import EvaluationError
from .models import DistrictForwarding, Evaluation, EvaluationFile, Indicator, SelfScore
from .workflows import EVALUATION_WORKFLOW

S = EvaluationStatus
REPORT_MAX_CHARS = 30000
NOTE_MAX_CHARS = 2000
# Evidence of one evaluation, all indicators together.
MAX_EVALUATION_FILES = 60
SUBMIT_REFUSAL = "只有赋能中心所在单位的用户可以填报和报送评价材料（已撤销的赋能中心除外）。"
STALE_MESSAGE = ("评价材料已在其他页面保存，本次未保存。您刚才填写的内容仍保留在下方，"
                 "请核对后再次保存。")


class StaleMaterials(EvaluationError):
    """The save was based on an older version of the materials: nothing was written."""


class MaterialsInvalid(EvaluationError):
    """Something typed is not valid; `errors` maps an indicator's pk (or "report") to its
    Chinese messages. Nothing was written."""

    def __init__(self, message, errors):
        super().__init__(message)
        self.errors = errors


# --- what the page shows ----------------------------------------------------------------------

def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def materials_prefill(evaluation: Evaluation) -> dict:
    """The year's figures of the evaluated center (第十七条: 年度数据 from its service records
    and progress, `centers.progress.progress_figures`): the service totals over the cycle's data
    window (window_start–window_end) and each 建设目标 promised vs achieved from designation to
    window_end. JSON-ready: {"window_start", "window_end" (ISO dates), "services": {figure:
    int or Decimal as text}, "targets": [{"kind", "label", "promised", "achieved", "percent",
    "expected", "behind"}]}. Stored as `Evaluation.figures` when the materials are submitted."""
    cycle = evaluation.cycle
    figures = progress_figures(evaluation.center, until=cycle.window_end,
                               services_since=cycle.window_start)
    services = figures.services
    return {
        "window_start": cycle.window_start.isoformat(),
        "window_end": cycle.window_end.isoformat(),
        "services": {name: _plain(getattr(services, name)) for name in (
            "enterprises", "trainings", "participants", "training_hours", "diagnoses",
            "solutions", "reports", "projects", "projects_accepted", "project_amount")},
        "targets": [{"kind": t.kind, "label": t.label, "promised": t.promised,
                     "achieved": t.achieved, "percent": _plain(t.percent),
                     "expected": _plain(t.expected), "behind": t.behind}
                    for t in figures.targets],
    }


def figure_rows(figures: Mapping) -> dict:
    """{ProgressFigure value: text to show} of stored or pre-filled `figures`, for the figure
    an indicator names (建设目标: one line per target)."""
    services = figures.get("services") or {}
    rows = {figure.value: f"{figure.label}：{services[figure.value]}" for figure in ProgressFigure
            if figure.value in services}
    rows[ProgressFigure.TARGETS] = "；".join(
        f"{t['label']}：承诺{t['promised'] if t['promised'] is not None else '—'}，"
        f"已完成{t['achieved']}" for t in figures.get("targets") or [])
    return rows


def indicators_of(evaluation: Evaluation) -> list[Indicator]:
    """The indicators of the cycle's (frozen) table, in order."""
    return list(Indicator.objects.filter(table_id=evaluation.cycle.table_id)
                .order_by("order", "pk"))


def editable_until(evaluation: Evaluation) -> datetime.datetime | None:
    """Until when the center may still change and submit its materials: `materials_due` while
    not submitted, `district_due` once returned for correction; None when not editable (sent,
    forwarded)."""
    if evaluation.status == S.PENDING:
        return evaluation.cycle.materials_due
    if evaluation.status == S.RETURNED:
        return evaluation.cycle.district_due
    return None


def materials_open(evaluation: Evaluation, now=None) -> bool:
    """True while the center may save and submit (the due instant itself included)."""
    until = editable_until(evaluation)
    return until is not None and (now or timezone.now()) <= until


# --- checks -----------------------------------------------------------------------------------

def _parse(value) -> tuple[Decimal | None, str]:
    if value is None:
        return None, ""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace("，", ".").replace("。", ".")
        if not text:
            return None, ""
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, "请填写数字，如 18 或 18.5。"
    if not number.is_finite():
        return None, "请填写数字，如 18 或 18.5。"
    if abs(number) >= 1000:
        return number, ""  # out of range, said as such by the caller
    two_places = number.quantize(Decimal("0.01"))
    if two_places != number:
        return None, "自评分最多保留两位小数。"
    return two_places, ""


def materials_problems(indicators, scores: Mapping, *, complete: bool) -> tuple[dict, dict]:
    """Checks the typed self-scores: `scores` maps an indicator's pk to {"value": Decimal, text
    or None, "note": text}. Returns (values by indicator pk as Decimal or None, problems by
    indicator pk as lists of Chinese messages). A draft may leave a score empty; a submission
    (`complete`) needs every one. A value must lie within 0 and the indicator's points."""
    values, problems = {}, {}
    for indicator in indicators:
        entry = scores.get(indicator.pk) or {}
        value, error = _parse(entry.get("value"))
        note = (entry.get("note") or "").strip()
        found = [error] if error else []
        if not error and value is None and complete:
            found.append("请填写自评分。")
        elif value is not None and not 0 <= value <= indicator.weight:
            found.append(f"自评分须在 0 至 {indicator.weight.normalize():f} 分之间。")
        if len(note) > NOTE_MAX_CHARS:
            found.append(f"自评说明不超过{NOTE_MAX_CHARS}字。")
        values[indicator.pk] = None if found else value
        if found:
            problems[indicator.pk] = found
    return values, problems


def _ensure_unit(evaluation, actor):
    if not actor.has_perm("evaluations.submit_materials", evaluation):
        raise PermissionDenied(SUBMIT_REFUSAL)


def _ensure_open(evaluation, now):
    until = editable_until(evaluation)
    if until is None:
        raise EvaluationError("评价材料已报送，不能再修改。")
    if now > until:
        what = "退回修改的材料重新报送" if evaluation.status == S.RETURNED else "评价材料报送"
        raise EvaluationError(f"{what}已于{timezone.localtime(until):%Y年%m月%d日 %H:%M}截止，"
                              "不能再保存或报送。")
    if evaluation.status == S.RETURNED and DistrictForwarding.objects.filter(
            cycle_id=evaluation.cycle_id, department_id=evaluation.department_id).exists():
        raise EvaluationError("主管部门已向市发展改革委报送审查意见，不能再修改或重新报送。")


# --- saving -----------------------------------------------------------------------------------

def materials_save(*, evaluation: Evaluation, actor, report: str, scores: Mapping,
                   expected_version: int | None = None, now=None) -> Evaluation:
    """Saves the center's 运行自评估报告 text and self-scores as a draft (保存, autosave).

    `scores`: {indicator_id: {"value": Decimal | text | None, "note": str}} for the cycle's
    indicators (others are ignored); `expected_version` the `Evaluation.version` the page was
    based on (None: no guard). Returns the evaluation with its `version` moved on by one.

    Raises PermissionDenied (not the center's unit, center revoked), MaterialsInvalid (a value
    outside 0..points, a note or report too long: nothing written), StaleMaterials (another
    save came first), EvaluationError (already submitted, past the deadline). Audited
    (`evaluation.materials_save`). 第十八条."""
    now = now or timezone.now()
    _ensure_unit(evaluation, actor)
    indicators = indicators_of(evaluation)
    values, problems = materials_problems(indicators, scores, complete=False)
    report = (report or "").strip()
    if len(report) > REPORT_MAX_CHARS:
        problems["report"] = [f"运行自评估报告不超过{REPORT_MAX_CHARS}字。"]
    if problems:
        raise MaterialsInvalid("部分内容有误，请按提示修改；本次未保存。", problems)
    with transaction.atomic():
        locked = (Evaluation.objects.select_for_update().select_related("cycle")
                  .get(pk=evaluation.pk))
        _ensure_open(locked, now)
        if expected_version is not None and locked.version != expected_version:
            raise StaleMaterials(STALE_MESSAGE)
        stored = {s.indicator_id: s for s in SelfScore.objects.filter(evaluation=locked)}
        changed, created = [], []
        for indicator in indicators:
            note = ((scores.get(indicator.pk) or {}).get("note") or "").strip()
            score = stored.get(indicator.pk)
            if score is None:
                created.append(SelfScore(evaluation=locked, indicator=indicator,
                                         value=values[indicator.pk], note=note))
            elif (score.value, score.note) != (values[indicator.pk], note):
                score.value, score.note = values[indicator.pk], note
                changed.append(score)
        SelfScore.objects.bulk_create(created)
        SelfScore.objects.bulk_update(changed, ["value", "note"])
        Evaluation.objects.filter(pk=locked.pk).update(report=report, version=F("version") + 1,
                                                       updated_at=now)
        locked.refresh_from_db()
        audit_record(action="evaluation.materials_save", actor=actor, target=locked,
                     after={"version": locked.version, "scored": sum(
                         1 for v in values.values() if v is not None)})
    return locked


def evidence_add(*, evaluation: Evaluation, actor, upload, indicator: Indicator | None = None,
                 now=None) -> EvaluationFile:
    """Adds one evidence file (佐证材料) to the materials, for `indicator` (one of the cycle's)
    or the report as a whole, under the application's upload rules
    (`centers.evidence.evidence_check`: type by content, size), at most
    MAX_EVALUATION_FILES per evaluation. Raises PermissionDenied, EvaluationError (a bad file,
    too many, not editable, past the deadline). Audited (`evaluation_file.add`)."""
    now = now or timezone.now()
    _ensure_unit(evaluation, actor)
    if indicator is not None and indicator.table_id != evaluation.cycle.table_id:
        raise EvaluationError("请选择本年度评价指标。")
    if not upload:
        raise EvaluationError("请选择要上传的文件。")
    try:
        [(uploaded, detected)] = evidence_check([upload])
    except EvidenceError as error:
        raise EvaluationError(str(error).replace("证明材料", "佐证材料")) from None
    with transaction.atomic():
        locked = (Evaluation.objects.select_for_update().select_related("cycle")
                  .get(pk=evaluation.pk))
        _ensure_open(locked, now)
        if EvaluationFile.objects.filter(evaluation=locked).count() >= MAX_EVALUATION_FILES:
            raise EvaluationError(f"佐证材料最多上传{MAX_EVALUATION_FILES}个文件。")
        evidence = EvaluationFile(evaluation=locked, indicator=indicator, uploaded_by=actor)
        evidence_save(evidence, uploaded, detected)
        audit_record(action="evaluation_file.add", actor=actor, target=locked,
                     after={"file": evidence.pk, "name": evidence.original_name,
                            "indicator": indicator.pk if indicator else None})
    return evidence


def evidence_remove(*, evidence: EvaluationFile, actor, now=None) -> None:
    """Removes an evidence file while the materials may still change. Raises
    PermissionDenied, EvaluationError. Audited (`evaluation_file.remove`)."""
    now = now or timezone.now()
    evaluation = evidence.evaluation
    _ensure_unit(evaluation, actor)
    with transaction.atomic():
        locked = (Evaluation.objects.select_for_update().select_related("cycle")
                  .get(pk=evaluation.pk))
        _ensure_open(locked, now)
        audit_record(action="evaluation_file.remove", actor=actor, target=locked,
                     before={"file": evidence.pk, "name": evidence.original_name})
        stored = evidence.file.name
        storage = evidence.file.storage
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(stored))


# --- submitting -------------------------------------------------------------------------------

def submission_problems(evaluation: Evaluation) -> list[str]:
    """What still stops the submission, in Chinese: the report text, and each indicator's
    self-score within 0..points."""
    problems = []
    if not (evaluation.report or "").strip():
        problems.append("请填写运行自评估报告。")
    indicators = indicators_of(evaluation)
    stored = {s.indicator_id: {"value": s.value, "note": s.note}
              for s in SelfScore.objects.filter(evaluation=evaluation)}
    _, found = materials_problems(indicators, stored, complete=True)
    names = {i.pk: i.name for i in indicators}
    for pk, messages in found.items():
        problems.append(f"“{names[pk]}”：{'；'.join(messages)}")
    return problems


def materials_submit(*, evaluation: Evaluation, actor, now=None) -> Evaluation:
    """报送: the center sends its materials to its 主管部门 (第十八条). Allowed while `now` <=
    `materials_due` (a returned evaluation until `district_due`, unless its 主管部门 has
    forwarded already); the report written and every indicator self-scored within 0..points.
    The year's figures (`materials_prefill`) are stored in `figures`. The 主管部门's officials
    are told. Raises PermissionDenied, EvaluationError (Chinese, every problem named).
    Audited through the transition (`evaluation.submit`)."""
    now = now or timezone.now()
    _ensure_unit(evaluation, actor)
    evaluation = Evaluation.objects.select_related("cycle", "center").get(pk=evaluation.pk)
    _ensure_open(evaluation, now)
    if problems := submission_problems(evaluation):
        raise EvaluationError("评价材料尚不完整，未报送：" + "；".join(problems))
    figures = materials_prefill(evaluation)
    try:
        submitted = perform_transition(
            workflow=EVALUATION_WORKFLOW, obj=evaluation, move_name="submit", actor=actor,
            changes={"submitted_at": now, "submitted_by": actor, "figures": figures},
            on_commit=[lambda: _tell_department(evaluation.pk)])
    except TransitionNotAllowed as error:
        raise EvaluationError(str(error)) from None
    return submitted


def materials_link(evaluation) -> str:
    """The path of the evaluation's materials page."""
    return reverse("evaluations:materials", args=[evaluation.pk])


def center_users(evaluation) -> list:
    """The active users of the evaluated center's unit."""
    return organisation_members(evaluation.center.application.organisation_id)


def department_officials(department_id) -> list:
    """The active 主管部门 officials of `department_id` (none when it is empty)."""
    return role_users((Role.DISTRICT_OFFICIAL, department_id)) if department_id else []


def _tell_department(evaluation_id: int) -> None:
    evaluation = Evaluation.objects.select_related("center", "cycle").get(pk=evaluation_id)
    link = reverse("evaluations:district_review", args=[evaluation.pk])
    for user in department_officials(evaluation.department_id):
        notify(recipient=user, purpose="evaluation_submitted", link=link,
               context={"evaluation": evaluation, "center": evaluation.center,
                        "cycle": evaluation.cycle})
