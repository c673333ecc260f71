"""The commission's evaluation pages (第十七条): the list of cycles, a cycle's overview (its
evaluations paginated with computed and confirmed grades, and the cycle's next step), and one
evaluation's page (confirm its grade with a note, record false materials, issue a 通报). Thin:
the rules are in evaluations.cycles, grades and bulletins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Department
from core.formtokens import form_once, form_token_check

from . import bulletins, cycles, grades, selectors
from .cycle_forms import BulletinForm, EvaluationFilterForm, FalseMaterialsForm, GradeConfirmForm
from .enums import CycleStatus, Grade, HardRule
from .errors import EvaluationError
from .models import Bulletin, Evaluation, EvaluationCycle

PAGE_SIZE = 30
C = CycleStatus
# The cycle's next step on its overview: (status, intent, button label, confirmation).
NEXT_STEPS = {
    C.DRAFT: ("open", "启动评价", "启动后指标体系锁定，并通知纳入范围的赋能中心报送材料，确定启动吗？"),
    C.OPEN: ("start_scoring", "开始评估评分", "开始后将依据已报送初审意见的材料组织专家评分，确定开始吗？"),
    C.SCORING: ("confirm", "确认全部等级", "确认后等级不能再修改，确定确认吗？"),
    C.CONFIRMED: ("publish", "公布评价结果", "公布后赋能中心及其主管部门可查看等级，结果在平台公开，确定公布吗？"),
}


def _commission_only(request):
    if not request.user.has_perm("evaluations.manage_cycle"):
        raise PermissionDenied("运行评估评价的组织仅供市发展改革委工作人员使用。")


@login_required
@require_GET
def cycle_list(request):
    """运行评估评价: every cycle, newest first, with its status and progress of grades."""
    _commission_only(request)
    page = Paginator(selectors.cycles_for_commission(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "evaluations/cycle_list.html", {"page": page})


def _act(request, cycle, intent):
    if intent == "open":
        cycles.cycle_open(cycle=cycle, actor=request.user)
        return "评价已启动，已通知纳入范围的赋能中心。"
    if intent == "start_scoring":
        cycles.cycle_start_scoring(cycle=cycle, actor=request.user)
        return "已开始评估评分。"
    if intent == "compute":
        changed = grades.grades_compute(cycle=cycle, actor=request.user)
        return f"等级已计算，{changed}个赋能中心的计算结果有变化。"
    if intent == "confirm":
        grades.cycle_confirm(cycle=cycle, actor=request.user)
        return "本年度评价等级已确认。"
    if intent == "publish":
        grades.cycle_publish(cycle=cycle, actor=request.user)
        return "评价结果已公布。"
    raise EvaluationError("未知的操作。")


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request, pk):
    """One cycle: its settings, counts of confirmed grades, its next step (a button), and its
    evaluations paginated (computed vs confirmed grade, 通报), filtered by grade and
    主管部门."""
    _commission_only(request)
    cycle = get_object_or_404(EvaluationCycle.objects.select_related("table", "agency"), pk=pk)
    here = reverse("evaluations:cycle_detail", args=[cycle.pk])
    if request.method == "POST":
        form_token_check(request, purpose="evaluation_cycle_act", fallback_url=here)
        try:
            with form_once(request, purpose="evaluation_cycle_act", fallback_url=here) as once:
                message = _act(request, cycle, request.POST.get("intent", ""))
                once.result_url = here
        except EvaluationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect(here)
    departments = list(Department.objects.filter(
        pk__in=cycle.evaluations.values("department_id")).order_by("sort_order", "pk")
        .values_list("pk", "name")[:200])
    form = EvaluationFilterForm(request.GET or None, departments=departments)
    grade, department = "", None
    if form.is_valid():
        grade, department = form.cleaned_data["grade"], form.cleaned_data["department"]
    rows = selectors.cycle_evaluations(cycle, grade=grade, department=department)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(HardRule.choices)
    for row in page.object_list:
        row.hard_rule_labels = [labels.get(r, "") for r in row.hard_rules_hit or []]
        row.departs = bool(row.grade and row.computed_grade and row.grade != row.computed_grade)
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.cycle_grade_counts(cycle)
    return render(request, "evaluations/cycle_detail.html", {
        "cycle": cycle, "form": form, "page": page, "filter_query": query.urlencode(),
        "next_step": NEXT_STEPS.get(cycle.status),
        "can_compute": cycle.status == C.SCORING,
        "grade_counts": [(label, counts.get(value, 0)) for value, label in Grade.choices],
        "unconfirmed": counts.get("", 0)})


# The forms of one evaluation's page by their `intent`; any other intent acts on nothing.
GRADE_PAGE_FORMS = {"confirm": GradeConfirmForm, "false_materials": FalseMaterialsForm,
                    "bulletin": BulletinForm}


def _evaluation_for(pk):
    return get_object_or_404(
        Evaluation.objects.select_related("cycle__table", "center", "department",
                                          "confirmed_by"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_grade(request, pk):
    """One evaluation for the commission: materials status, score, hard rules hit, computed
    and confirmed grade; confirm the grade (a departure needs a note), record false
    materials, issue the 通报 of a confirmed 不合格. Everything typed comes back on an error;
    each form acts once (one-time token)."""
    _commission_only(request)
    evaluation = _evaluation_for(pk)
    here = reverse("evaluations:evaluation_grade", args=[evaluation.pk])
    confirm_form = GradeConfirmForm(initial={"grade": evaluation.grade
                                             or evaluation.computed_grade,
                                             "note": evaluation.grade_note})
    false_form, bulletin_form = FalseMaterialsForm(), BulletinForm()
    if request.method == "POST":
        intent = request.POST.get("intent", "")
        if intent not in GRADE_PAGE_FORMS:
            messages.error(request, "未知的操作。")
            return redirect(here)
        form_token_check(request, purpose=f"evaluation_{intent}", fallback_url=here)
        form = GRADE_PAGE_FORMS[intent](request.POST)
        if intent == "confirm":
            confirm_form = form
        elif intent == "false_materials":
            false_form = form
        elif intent == "bulletin":
            bulletin_form = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_once(request, purpose=f"evaluation_{intent}",
                               fallback_url=here) as once:
                    if intent == "confirm":
                        grades.grade_confirm(evaluation=evaluation, actor=request.user,
                                             grade=data["grade"], note=data["note"])
                        done = "等级已确认。"
                    elif intent == "false_materials":
                        grades.false_materials_record(evaluation, request.user, data["note"])
                        done = "已认定提供虚假材料，该赋能中心评价为不合格。"
                    else:
                        bulletin = bulletins.bulletin_issue(evaluation=evaluation,
                                                            actor=request.user,
                                                            reasons=data["reasons"])
                        done = f"通报已发布（{bulletin.number}），文件正在生成。"
                    once.result_url = here
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return redirect(here)
    labels = dict(HardRule.choices)
    cycle = evaluation.cycle
    bulletin = Bulletin.objects.filter(evaluation=evaluation).first()
    return render(request, "evaluations/cycle_evaluation.html", {
        "evaluation": evaluation, "cycle": cycle, "center": evaluation.center,
        "hard_rules": [labels.get(r, "") for r in evaluation.hard_rules_hit or []],
        "confirm_form": confirm_form, "false_form": false_form, "bulletin_form": bulletin_form,
        "bulletin": bulletin,
        "can_confirm": cycle.status == C.SCORING,
        "can_record_false": cycle.status in (C.OPEN, C.SCORING)
        and not evaluation.false_materials_found,
        "can_issue": cycle.status in (C.CONFIRMED, C.PUBLISHED)
        and evaluation.grade == Grade.FAIL and bulletin is None})
