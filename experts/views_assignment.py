"""The rounds list and the assignment page of a round (第九条（三）), for the commission's staff
and the staff of the third-party agency the round is entrusted to. Another agency's staff get
404 for a round not theirs; every other role the 403 page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applications.models import Application
from core.formtokens import form_once, form_token_check
from core.transitions import TransitionNotAllowed

from . import selectors_assignment as selectors
from .assignment import (
    AssignmentError,
    assignment_add,
    assignment_auto,
    assignment_withdraw,
)
from .models import Assignment, Expert, RoundEntry


def managers_only(view):
    """Anonymous visitors go to the login page; anyone who manages no round gets the 403
    page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("experts.list_rounds"):
            raise PermissionDenied("专家评审分配页面仅供市发展改革委和受托第三方机构工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _managed_round(request, pk):
    """The round (404 unless the user manages it: another agency's round is not found)."""
    round_ = get_object_or_404(selectors.rounds_managed_by(request.user)
                               .select_related("call", "agency"), pk=pk)
    if not request.user.has_perm("experts.manage_assignments", round_):
        raise PermissionDenied("您没有管理该评审轮次专家分配的权限。")
    return round_


def _page_url(round_, request=None) -> str:
    url = reverse("experts:assignments", args=[round_.pk])
    if request is not None:
        query = request.POST.get("back", "")
        if query.startswith("?") and "\n" not in query:
            url += query
    return url


@require_GET
@managers_only
def round_list(request):
    page = Paginator(selectors.round_rows(request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "experts/rounds.html", {"page": page})


@require_GET
@managers_only
def assignments(request, pk):
    round_ = _managed_round(request, pk)
    return _assignments_response(request, round_)


def _assignments_response(request, round_, shortfalls=None):
    gaps_only = request.GET.get("gaps") == "1"
    data = selectors.assignment_page(round_, page_number=request.GET.get("page"),
                                     gaps_only=gaps_only, on=timezone.localdate())
    return render(request, "experts/assignments.html", {
        "round": round_, "gaps_only": gaps_only, "shortfalls": shortfalls or [],
        "back": f"?{request.GET.urlencode()}" if request.method == "GET" and request.GET
        else "", **data})


@require_POST
@managers_only
def assignment_add_view(request, pk):
    round_ = _managed_round(request, pk)
    url = _page_url(round_, request)
    form_token_check(request, purpose="expert_assignment_add", fallback_url=url)
    app_id, expert_id = request.POST.get("application", ""), request.POST.get("expert", "")
    if not (app_id.isdigit() and expert_id.isdigit()):
        messages.error(request, "请选择要分配的专家。")
        return redirect(url)
    entry = get_object_or_404(RoundEntry, round=round_, application_id=int(app_id))
    application = Application.objects.get(pk=entry.application_id)
    expert = Expert.objects.filter(pk=int(expert_id)).first()
    if expert is None:
        messages.error(request, "所选专家不存在。")
        return redirect(url)
    try:
        with form_once(request, purpose="expert_assignment_add", fallback_url=url) as once:
            assignment_add(round=round_, application=application, expert=expert,
                           actor=request.user)
            once.result_url = url
    except AssignmentError as error:
        messages.error(request, str(error))
        return redirect(url)
    messages.success(request, f"已将{expert.name}分配评审“{application}”。")
    return redirect(url)


@require_POST
@managers_only
def assignment_withdraw_view(request, pk):
    """The page's one withdraw form: `assignment` names the expert's assignment (the button
    pressed), `reason_<assignment>` the reason typed in that row."""
    round_ = _managed_round(request, pk)
    url = _page_url(round_, request)
    form_token_check(request, purpose="expert_assignment_withdraw", fallback_url=url)
    assignment_pk = request.POST.get("assignment", "")
    if not assignment_pk.isdigit():
        messages.error(request, "请选择要撤回的评审分配。")
        return redirect(url)
    assignment = get_object_or_404(Assignment.objects.select_related("expert", "round"),
                                   pk=int(assignment_pk), round=round_)
    try:
        with form_once(request, purpose="expert_assignment_withdraw", fallback_url=url) as once:
            assignment_withdraw(assignment=assignment, actor=request.user,
                                reason=request.POST.get(f"reason_{assignment.pk}", ""))
            once.result_url = url
    except (AssignmentError, TransitionNotAllowed) as error:
        messages.error(request, str(error))
        return redirect(url)
    messages.success(request, f"已撤回{assignment.expert.name}的评审分配。")
    return redirect(url)


@require_POST
@managers_only
def assignment_auto_view(request, pk):
    round_ = _managed_round(request, pk)
    url = _page_url(round_, request)
    form_token_check(request, purpose="expert_assignment_auto", fallback_url=url)
    try:
        with form_once(request, purpose="expert_assignment_auto", fallback_url=url) as once:
            result = assignment_auto(round=round_, actor=request.user)
            once.result_url = url
    except AssignmentError as error:
        messages.error(request, str(error))
        return redirect(url)
    if not result.ok:
        # Nothing was saved: the page names each application short of eligible experts.
        messages.error(request, result.message)
        return _assignments_response(request, round_, shortfalls=result.shortfalls)
    messages.success(request, result.message)
    return redirect(url)
