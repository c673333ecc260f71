"""Invited industry authorities (第十七条: 会同各有关部门): the cycles they were invited to, each
cycle's centers with their materials and (once the round closed) the expert results, and one
opinion per center. Staff of an authority not invited to a cycle are refused (403)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import opinions, scoring
from . import selectors_scoring as selectors
from .enums import EvaluationStatus
from .errors import EvaluationError
from .models import EvaluationCycle, EvaluationFile, EvaluationOpinion
from .scoring_views import _file_response


def _authority_only(request):
    if not request.user.has_perm("experts.list_invited_rounds"):
        raise PermissionDenied("会同评价页面仅供行业主管部门工作人员使用。")


def _cycle(request, pk):
    _authority_only(request)
    cycle = get_object_or_404(EvaluationCycle.objects.select_related("review_round"), pk=pk)
    if not request.user.has_perm("evaluations.give_opinion", cycle):
        raise PermissionDenied("本部门未受邀会同该年度评价。")
    return cycle


@login_required
@require_GET
def authority_cycles(request):
    _authority_only(request)
    return render(request, "evaluations/opinion_cycles.html", {
        "page": selectors.authority_cycle_page(request.user, request.GET.get("page"))})


@login_required
@require_GET
def authority_cycle(request, pk):
    cycle = _cycle(request, pk)
    department_id = opinions.invited_department_id(request.user, cycle)
    query = request.GET.get("q", "").strip()[:50]
    page = selectors.authority_evaluation_page(cycle, department_id, request.GET.get("page"),
                                               query=query)
    return render(request, "evaluations/opinion_cycle.html", {
        "cycle": cycle, "page": page, "query": query,
        "page_query": urlencode({"q": query}) if query else "",
        "results_visible": selectors.results_visible(cycle),
        "grades_visible": cycle.status in selectors.GRADE_VISIBLE_STATUSES})


@login_required
@require_http_methods(["GET", "POST"])
def authority_evaluation(request, pk, evaluation_pk):
    cycle = _cycle(request, pk)
    evaluation = selectors.invited_evaluation_get(cycle, evaluation_pk)
    department_id = opinions.invited_department_id(request.user, cycle)
    mine = EvaluationOpinion.objects.filter(evaluation=evaluation,
                                            department_id=department_id).first()
    url = reverse("evaluations:opinion_evaluation", args=[cycle.pk, evaluation.pk])
    text, error = (mine.text if mine else ""), ""
    if request.method == "POST":
        form_token_check(request, purpose="evaluation_opinion", fallback_url=url)
        text = request.POST.get("text", "")
        try:
            with form_once(request, purpose="evaluation_opinion", fallback_url=url) as once:
                opinions.opinion_save(evaluation=evaluation, actor=request.user, text=text)
                once.result_url = url
        except EvaluationError as problem:
            error = str(problem)
        else:
            messages.success(request, "评价意见已保存。")
            return redirect(url)
    submitted = evaluation.status != EvaluationStatus.PENDING
    entry = selectors.entry_of(evaluation) if selectors.results_visible(cycle) else None
    return render(request, "evaluations/opinion_evaluation.html", {
        "cycle": cycle, "evaluation": evaluation, "submitted": submitted,
        "materials": scoring.materials_of(evaluation) if submitted else None,
        "entry": entry, "opinion": mine, "text": text, "error": error,
        "max_chars": opinions.OPINION_MAX_CHARS,
        "closed": cycle.status in opinions.OPINION_CLOSED_STATUSES,
        "grades_visible": cycle.status in selectors.GRADE_VISIBLE_STATUSES},
        status=400 if error else 200)


@login_required
@require_GET
@private_download
def authority_file(request, pk, evaluation_pk, file_pk):
    cycle = _cycle(request, pk)
    evaluation = selectors.invited_evaluation_get(cycle, evaluation_pk)
    if evaluation.status == EvaluationStatus.PENDING:
        raise Http404("该赋能中心尚未报送评价材料。")
    evidence = get_object_or_404(EvaluationFile, pk=file_pk, evaluation=evaluation)
    audit_record(action="evaluation.file_read_authority", actor=request.user,
                 target=evaluation, request=request,
                 after={"file": evidence.pk, "name": evidence.original_name})
    return _file_response(evidence)
