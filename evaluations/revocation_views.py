"""Revocation pages (第十七条): the center's list, request form and proposal page with its
陈述申辩 form; the 主管部门's list; the commission's list, proposal form and the page where it
tells the center and decides. Thin: the rules are in evaluations.revocations."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.enums import Role
from applications.drafts import held_draft_take, hold_when_signed_out
from accounts.selectors import user_department_ids
from centers.evidence import evidence_read
from centers.models import Center
from core.downloads import private_download
from core.formtokens import form_once, form_token_check
from core.transitions import status_history

from . import revocations
from . import selectors_revocations as selectors
from .enums import RevocationFileKind, RevocationStatus
from .errors import EvaluationError
from .models import RevocationFile
from .revocation_forms import DecideForm, FilterForm, ProposeForm, RequestForm, StatementForm

R = RevocationStatus


def _center_for(request, pk, perm="centers.view_center_operation"):
    center = get_object_or_404(Center.objects.select_related("application"), pk=pk)
    if not request.user.has_perm(perm, center):
        raise PermissionDenied("您无权查看该赋能中心的撤销资格事项。")
    return center


def _commission_only(request):
    if not request.user.has_perm("evaluations.decide_revocation", None):
        raise PermissionDenied("撤销资格办理仅供市发展改革委工作人员使用。")


def _detail_context(request, revocation):
    labels = dict(R.choices)
    return {
        "revocation": revocation, "center": revocation.center,
        "files": list(revocation.files.order_by("kind", "pk")),
        "history": [{"at": h.occurred_at, "label": labels.get(h.to_status, ""),
                     "reason": h.reason,
                     "actor": h.actor.display_name if h.actor else "系统"}
                    for h in status_history(revocation)],
        "statement_open": revocations.statement_open(revocation),
        "working_days": revocations.STATEMENT_WORKING_DAYS,
    }


# --- the center and its 主管部门 -------------------------------------------------------------------

@login_required
@require_GET
def center_list(request, pk):
    """撤销资格事项 of one center told to it (and its own requests): its unit, its 主管部门 and
    the commission (which also sees proposals not yet told)."""
    center = _center_for(request, pk)
    return render(request, "evaluations/revocation_center_list.html", {
        "center": center,
        "page": selectors.page_of(selectors.center_revocations(request.user, center),
                                  request.GET.get("page")),
        "can_request": request.user.has_perm("evaluations.request_revocation", center)})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request, pk):
    """自行要求撤销: the unit's request with its legal representative's name and the signed
    letter; a bad entry comes back with everything typed (the file excepted); a second click
    creates nothing."""
    center = _center_for(request, pk, "evaluations.request_revocation")
    form = RequestForm(request.POST or None, request.FILES or None)
    fallback = reverse("evaluations:revocation_center_list", args=[center.pk])
    if request.method == "POST":
        form_token_check(request, purpose="revocation_request", fallback_url=fallback)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_once(request, purpose="revocation_request",
                               fallback_url=fallback) as once:
                    revocation = revocations.revocation_request(
                        center=center, actor=request.user,
                        legal_representative=data["legal_representative"],
                        reason=data["reason"], upload=data["letter"])
                    once.result_url = reverse("evaluations:revocation_detail",
                                              args=[center.pk, revocation.pk])
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "撤销申请已提交市发展改革委。")
                return redirect(once.result_url)
    return render(request, "evaluations/revocation_request.html",
                  {"center": center, "form": form})


def statement_held_step(revocation_pk) -> str:
    """The name under which a 陈述申辩 typed when the session ended is held
    (applications.drafts; HeldDraft.step holds 20 characters)."""
    return f"revocation-{revocation_pk}"


def _center_application_id(pk, revocation_pk):
    return Center.objects.filter(pk=pk).values_list("application_id", flat=True).first()


# Nothing typed is lost: a 陈述申辩 posted after the session ended is held for the user its
# draft token names and put back on the page after signing in (applications.drafts).
keep_statement_when_signed_out = hold_when_signed_out(
    application_id_of=_center_application_id,
    step_of=lambda pk, revocation_pk: statement_held_step(revocation_pk),
    page_of=lambda pk, revocation_pk: reverse("evaluations:revocation_detail",
                                              args=[pk, revocation_pk]))


@keep_statement_when_signed_out
@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk, revocation_pk):
    """One revocation as the center's unit and its 主管部门 read it: ground, facts, evidence,
    the 陈述申辩 due date (working days) and, for the unit while the window is open, the
    statement form."""
    center = _center_for(request, pk)
    revocation = selectors.revocation_for(request.user, revocation_pk, center_pk=center.pk)
    if not request.user.has_perm("evaluations.view_revocation", revocation):
        raise PermissionDenied("您无权查看该撤销资格事项。")
    can_state = (revocation.status == R.NOTIFIED
                 and request.user.has_perm("evaluations.state_case", revocation))
    form = StatementForm(request.POST or None, request.FILES or None)
    here = reverse("evaluations:revocation_detail", args=[center.pk, revocation.pk])
    if request.method == "POST":
        # A repeat of a statement already taken goes where the first one led.
        form_token_check(request, purpose="revocation_statement", fallback_url=here)
        if not can_state:
            raise PermissionDenied("只有赋能中心所在单位的用户可以陈述申辩。")
        if form.is_valid():
            try:
                with form_once(request, purpose="revocation_statement",
                               fallback_url=here) as once:
                    revocations.revocation_state(
                        revocation=revocation, actor=request.user,
                        statement=form.cleaned_data["statement"],
                        uploads=form.cleaned_data["files"])
                    once.result_url = here
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "陈述申辩意见已提交。")
                return redirect(here)
    held_step = statement_held_step(revocation.pk)
    if can_state and request.method == "GET":
        # The statement form has no autosave: the restore message of applications.drafts
        # would promise one.
        held = held_draft_take(user=request.user, application=center.application,
                               step=held_step)
        if held is not None and held.data.get("statement"):
            form = StatementForm(initial={"statement": held.data["statement"][0]})
            messages.info(request, "已恢复您在登录超时前填写的陈述申辩意见（"
                          f"{timezone.localtime(held.held_at):%m月%d日 %H:%M}），"
                          "请核对后提交；所选文件须重新选择。")
    return render(request, "evaluations/revocation_detail.html", {
        **_detail_context(request, revocation), "form": form, "can_state": can_state,
        "held_step": held_step,
        "back": reverse("evaluations:revocation_center_list", args=[center.pk])})


# The files a center's unit brings itself; the evidence and decision documents are the
# commission's, so even the unit's reading of them is audited.
UNITS_OWN_KINDS = (RevocationFileKind.REQUEST, RevocationFileKind.STATEMENT)


@login_required
@private_download
def file_download(request, pk, file_pk):
    """A file of a revocation for those who may read it; a read of another's file is audited:
    the unit reads its own request and statement unaudited, never the commission's evidence."""
    revocation = selectors.revocation_for(request.user, pk)
    if not request.user.has_perm("evaluations.view_revocation", revocation):
        raise PermissionDenied("您无权查看该材料。")
    evidence = get_object_or_404(RevocationFile, pk=file_pk, revocation=revocation)
    return evidence_read(request, evidence, center=revocation.center, label="撤销资格材料",
                         action="revocation_file.download", target=revocation,
                         units_own=evidence.kind in UNITS_OWN_KINDS)


@login_required
@require_GET
def district_list(request):
    """撤销资格事项 of the centers of the 主管部门 the official serves (told ones)."""
    if not user_department_ids(request.user, Role.DISTRICT_OFFICIAL):
        raise PermissionDenied("本页仅供主管部门工作人员使用。")
    return render(request, "evaluations/revocation_district_list.html", {
        "page": selectors.page_of(selectors.district_revocations(request.user),
                                  request.GET.get("page"))})


# --- the commission ----------------------------------------------------------------------------

@login_required
@require_GET
def commission_list(request):
    """撤销资格办理: every proposal, filtered by status and ground, newest first."""
    _commission_only(request)
    form = FilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    rows = selectors.commission_revocations(status=chosen.get("status", ""),
                                            ground=chosen.get("ground", ""))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluations/revocation_list.html", {
        "form": form, "page": selectors.page_of(rows, request.GET.get("page")),
        "filter_query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    """提出撤销资格 on a ground the commission proposes (虚假材料, 依法终止, 严重违法失信) with
    facts and evidence; a proposal already standing is shown instead of a second one."""
    _commission_only(request)
    form = ProposeForm(request.POST or None, request.FILES or None)
    fallback = reverse("evaluations:revocation_list")
    if request.method == "POST":
        form_token_check(request, purpose="revocation_propose", fallback_url=fallback)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_once(request, purpose="revocation_propose",
                               fallback_url=fallback) as once:
                    revocation = revocations.revocation_propose(
                        center=data["center"], ground=data["ground"], facts=data["facts"],
                        actor=request.user, files=data["files"])
                    once.result_url = reverse("evaluations:revocation_manage",
                                              args=[revocation.pk])
            except EvaluationError as error:
                form.add_error(None, str(error))
            else:
                if getattr(revocation, "created", False):
                    messages.success(request, "已提出撤销资格，请告知赋能中心。")
                else:
                    messages.info(request, "该赋能中心已有同一事由的撤销资格事项，未重复提出。")
                return redirect(once.result_url)
    return render(request, "evaluations/revocation_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, pk):
    """The commission's page of one proposal: tell the center (告知), then decide (撤销 or
    不予撤销 with a reason) once the 陈述申辩 window has closed or the statement came in."""
    _commission_only(request)
    revocation = selectors.revocation_for(request.user, pk)
    here = reverse("evaluations:revocation_manage", args=[revocation.pk])
    form = DecideForm(request.POST if request.POST.get("intent") == "decide" else None)
    if request.method == "POST":
        intent = request.POST.get("intent")
        # A second click on 告知 or 提交决定 goes where the first one led, not to an error.
        purpose = "revocation_notify" if intent == "notify" else "revocation_decide"
        form_token_check(request, purpose=purpose, fallback_url=here)
        try:
            if intent == "notify":
                with form_once(request, purpose=purpose, fallback_url=here) as once:
                    revocations.revocation_notify(revocation=revocation, actor=request.user)
                    once.result_url = here
                messages.success(request, "已告知赋能中心。")
                return redirect(here)
            if intent == "decide" and form.is_valid():
                with form_once(request, purpose=purpose, fallback_url=here) as once:
                    decided = revocations.revocation_decide(
                        revocation=revocation, actor=request.user,
                        revoke=form.cleaned_data["outcome"] == "revoke",
                        reason=form.cleaned_data["reason"])
                    once.result_url = here
                messages.success(request, f"已作出决定：{decided.get_status_display()}。")
                return redirect(here)
        except EvaluationError as error:
            if intent == "decide":
                form.add_error(None, str(error))
            else:
                messages.error(request, str(error))
    open_statuses = (R.PROPOSED, R.NOTIFIED, R.STATED)
    return render(request, "evaluations/revocation_manage.html", {
        **_detail_context(request, revocation), "form": form,
        "can_notify": revocation.status == R.PROPOSED,
        "can_decide": revocation.status in open_statuses})
