"""A round's results as Excel workbooks (openpyxl): the summary ranking with every criterion,
and each expert's score sheets (one worksheet per expert). A round holds tens of applications,
so the workbooks are built in the request."""

import io
from collections import defaultdict
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .enums import ACTIVE_ASSIGNMENT_STATUSES
from .models import Assignment, ReviewRound, Score
from .results_selectors import entries_ordered
from .scoring import ScoringError, criterion_means, sheet_total

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _number(value):
    return None if value is None else float(Decimal(value))


def _header(sheet, titles):
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _counted_scores(round_: ReviewRound):
    """{application id: [Score]} of the counted sheets (submitted, live assignment)."""
    scores = defaultdict(list)
    for score in Score.objects.filter(
            sheet__assignment__round=round_, sheet__status="submitted",
            sheet__assignment__status__in=ACTIVE_ASSIGNMENT_STATUSES).only(
            "criterion_id", "value", "sheet__assignment__application_id").select_related(
            "sheet__assignment"):
        scores[score.sheet.assignment.application_id].append(score)
    return scores


def summary_workbook(round_: ReviewRound) -> bytes:
    """评审结果汇总: per entry in ranking order its ranks, the application, each criterion's
    mean score over the counted sheets, the aggregate, the method, the number of sheets and
    the disagreement flag with its resolution."""
    criteria = list(round_.criteria.order_by("order"))
    scores = _counted_scores(round_)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "评审结果汇总"
    _header(sheet, ["通知内排名", "领域内排名", "申报编号", "赋能中心名称", "申报单位",
                    "产业领域", *[f"{c.name}（满分{c.max_score}，权重{c.weight}%）平均分"
                               for c in criteria],
                    "汇总得分", "汇总方法", "计入评分表数", "评分分歧", "分歧处理意见"])
    for entry in entries_ordered(round_):
        means = criterion_means(scores.get(entry.application_id, []), criteria)
        application = entry.application
        sheet.append([
            entry.rank_in_call, entry.rank_in_field, application.receipt_number or "",
            application.center_name, application.organisation.name,
            application.industry_field.name if application.industry_field else "",
            *[_number(means[c.pk]) for c in criteria], _number(entry.aggregate),
            entry.get_method_display() if entry.method else "", entry.sheet_count,
            entry.flag_reason if entry.flagged else "", entry.resolution_note])
    return _bytes(workbook)


def expert_sheets_workbook(round_: ReviewRound) -> bytes:
    """专家评分表: one worksheet per expert, a row per assignment with every criterion's
    score, the weighted total (two places, half up), the sheet's state and overall comment."""
    criteria = list(round_.criteria.order_by("order"))
    assignments = list(Assignment.objects.filter(round=round_).select_related(
        "expert", "application__organisation", "sheet").order_by("expert__name", "expert_id",
                                                                   "application_id"))
    sheet_ids = [a.sheet.pk for a in assignments if hasattr(a, "sheet")]
    scores = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(
            sheet_id__in=sheet_ids).values_list("sheet_id", "criterion_id", "value"):
        scores[sheet_id][criterion_id] = value
    workbook = Workbook()
    workbook.remove(workbook.active)
    by_expert = defaultdict(list)
    for assignment in assignments:
        by_expert[assignment.expert].append(assignment)
    titles = set()
    for expert, rows in by_expert.items():
        title = expert.name.translate(_ILLEGAL_SHEET_CHARS)[:25] or "专家"
        while title in titles:
            title = f"{title[:22]}_{len(titles)}"
        titles.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([f"{round_.title} · {expert.name}（{expert.employer_name}）"])
        _header(sheet, ["申报编号", "赋能中心名称", "申报单位",
                        *[f"{c.name}（满分{c.max_score}）" for c in criteria], "加权总分",
                        "状态", "总体评价意见"])
        for assignment in rows:
            application = assignment.application
            own = getattr(assignment, "sheet", None) if hasattr(assignment, "sheet") else None
            by_criterion = scores.get(own.pk, {}) if own else {}
            try:
                total = sheet_total(by_criterion, criteria) if own else None
            except ScoringError:
                total = None
            state = (assignment.get_status_display()
                     if assignment.status not in ACTIVE_ASSIGNMENT_STATUSES
                     else (own.get_status_display() if own else "未打开"))
            sheet.append([application.receipt_number or "", application.center_name,
                          application.organisation.name,
                          *[_number(by_criterion.get(c.pk)) for c in criteria],
                          _number(total), state, own.overall_comment if own else ""])
    if not workbook.worksheets:
        workbook.create_sheet("专家评分表").append(["本轮尚无评审分配。"])
    return _bytes(workbook)
