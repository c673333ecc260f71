"""The expert scoring of an evaluation cycle (第十七条: 委托第三方机构): the cycles the
third-party agency (or the commission) organises, with the way to the round's assignment pages
(experts), and the evidence files an expert reads beside the sheet of an evaluation round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from centers.evidence import evidence_response
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check
from experts import sheet_selectors
from experts.enums import AssignmentStatus

from . import scoring
from . import selectors_scoring as selectors
from .errors import EvaluationError
from .models import EvaluationFile


def _organisers_only(request):
    # The same people who manage expert rounds: the commission and third-party agencies.
    if not request.user.has_perm("experts.list_rounds"):
        raise PermissionDenied("评估评分组织页面仅供市发展改革委和受托第三方机构工作人员使用。")


@login_required
@require_GET
def agency_cycles(request):
    """运行评价专家评分: the cycles the user organises, each with its round."""
    _organisers_only(request)
    page = selectors.agency_cycle_page(request.user, request.GET.get("page"))
    return render(request, "evaluations/scoring_agency.html", {
        "page": page, "experts_per_entry": scoring.DEFAULT_EXPERTS_PER_ENTRY,
        "scoring_days": scoring.SCORING_DAYS, "gap_rule": scoring.GAP_RULE})


@login_required
@require_POST
def cycle_round(request, pk):
    """Makes the cycle's expert round, or enters the centers forwarded since; then the round's
    assignment page."""
    _organisers_only(request)
    cycle = get_object_or_404(selectors.cycles_organised_by(request.user), pk=pk)
    if not request.user.has_perm("evaluations.organise_scoring", cycle):
        raise PermissionDenied("您没有组织该年度专家评分的权限。")
    back = reverse("evaluations:scoring_agency")
    form_token_check(request, purpose="evaluation_scoring_round", fallback_url=back)
    try:
        with form_once(request, purpose="evaluation_scoring_round", fallback_url=back) as once:
            round_ = scoring.round_for_cycle(cycle=cycle, actor=request.user)
            once.result_url = reverse("experts:assignments", args=[round_.pk])
    except EvaluationError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, "专家评分轮次已就绪，已报送审查意见的赋能中心均已列入。")
    return redirect("experts:assignments", round_.pk)


@login_required
@require_GET
@private_download
def expert_file(request, pk, file_pk):
    """An evidence file of the center an expert's committed assignment scores (audited)."""
    if not request.user.has_perm("experts.view_own_assignments"):
        raise PermissionDenied("评审任务页面仅供评审专家使用。")
    item = sheet_selectors.expert_assignment_get(request.user, pk)
    if sheet_selectors.assignment_conflicts(item):
        raise PermissionDenied("您与该赋能中心存在利益冲突，不能查看其评价材料。")
    if item.status != AssignmentStatus.COMMITTED:
        return redirect("experts:assignment", item.pk)
    evaluation = scoring.evaluation_in_round(item.round, item.application_id)
    if evaluation is None:
        raise Http404("没有找到该文件。")
    evidence = get_object_or_404(EvaluationFile, pk=file_pk, evaluation=evaluation)
    audit_record(action="evaluation.file_read_expert", actor=request.user, target=evaluation,
                 request=request, after={"assignment": item.pk, "file": evidence.pk,
                                         "name": evidence.original_name})
    return _file_response(evidence)


def _file_response(evidence):
    return evidence_response(evidence, "评价佐证材料")
