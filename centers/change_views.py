"""Change-report pages (第十三条): the center's list, form and report page; the 主管部门's list
(forward or take note on the report page); the commission's overview and decision page.
Thin: the rules are in centers.changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.enums import Role
from accounts.models import Department
from accounts.selectors import user_department_ids
from core.downloads import private_download
from core.formtokens import form_once, form_token_check
from core.transitions import status_history

from . import changes
from .change_forms import ChangeFilterForm, ChangeReportForm, DecisionForm, ForwardForm, NoteForm
from .enums import ChangeKind, ChangeReportStatus
from .evidence import evidence_read
from .models import Center, ChangeReport, ChangeReportFile
from .rules import is_member_of_center_unit

S = ChangeReportStatus
PAGE_SIZE = 30
ROW_FIELDS = ("pk", "center_id", "kind", "entity_change", "status", "licence_changed_on",
              "due_on", "created_at", "submitted_at", "forwarded_at", "decided_at", "overdue_at",
              "new_name")


def _center_for(request, pk, perm="centers.view_center_operation"):
    center = get_object_or_404(Center.objects.select_related("application"), pk=pk)
    if not request.user.has_perm(perm, center):
        raise PermissionDenied("您无权查看该赋能中心的变更报告。")
    return center


def _report_for(request, center, report_pk):
    report = get_object_or_404(
        ChangeReport.objects.select_related("department", "created_by", "forwarded_by",
                                            "decided_by"), pk=report_pk, center=center)
    # A draft is the center's own until it is sent.
    if report.status == S.DRAFT and not is_member_of_center_unit(request.user, center):
        raise Http404("没有找到该变更报告。")
    report.center = center
    return report


def _page(request, rows):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = changes.Countdown().annotate(list(page.object_list))
    return page


# --- the center --------------------------------------------------------------------------------

@login_required
@require_GET
def change_list(request, pk):
    """变更报告 of one center, newest first: its unit, its 主管部门 and the commission (drafts its
    unit only); the countdown for entity changes not yet forwarded."""
    center = _center_for(request, pk)
    rows = center.change_reports.only(*ROW_FIELDS).order_by("-created_at", "-id")
    if not is_member_of_center_unit(request.user, center):
        rows = rows.exclude(status=S.DRAFT)
    return render(request, "centers/operation/changes_list.html", {
        "center": center, "page": _page(request, rows),
        "can_report": request.user.has_perm("centers.report_change", center)})


@login_required
@require_http_methods(["GET", "POST"])
def change_new(request, pk):
    """报告变更: the form; a bad entry comes back with everything typed (files excepted, which
    a browser cannot keep); a second click creates nothing (one-time form token)."""
    center = _center_for(request, pk, "centers.report_change")
    form = ChangeReportForm(request.POST or None, request.FILES or None)
    fallback = reverse("centers:change_list", args=[center.pk])
    if request.method == "POST":
        form_token_check(request, purpose="change_report", fallback_url=fallback)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_once(request, purpose="change_report", fallback_url=fallback) as once:
                    report = changes.change_report_create(
                        center=center, actor=request.user,
                        submit=request.POST.get("intent") == "submit", **data)
                    once.result_url = reverse("centers:change_detail",
                                              args=[center.pk, report.pk])
            except changes.ChangeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "变更报告已报主管部门。" if report.status == S.SUBMITTED
                                 else "变更报告已保存为草稿，请核对后报主管部门。")
                if problem := changes.due_problem(report):
                    messages.warning(request, f"报送截止日期暂无法计算：{problem}")
                return redirect(once.result_url)
    return render(request, "centers/operation/changes_new.html",
                  {"center": center, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_detail(request, pk, report_pk):
    """One change report: its content, evidence, countdown and history; the center sends its
    draft; the 主管部门 forwards it (or takes note of an 其他调整)."""
    center = _center_for(request, pk)
    report = _report_for(request, center, report_pk)
    here = reverse("centers:change_detail", args=[center.pk, report.pk])
    forward_form, note_form = ForwardForm(), NoteForm()
    if request.method == "POST":
        intent = request.POST.get("intent")
        try:
            if intent == "submit":
                changes.change_report_submit(report=report, actor=request.user)
                messages.success(request, "变更报告已报主管部门。")
                return redirect(here)
            if intent == "forward":
                forward_form = ForwardForm(request.POST)
                if forward_form.is_valid():
                    changes.change_report_forward(report=report, actor=request.user,
                                                  opinion=forward_form.cleaned_data["opinion"])
                    messages.success(request, "已报送市发展改革委。")
                    return redirect(here)
            elif intent == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    changes.change_report_note(report=report, actor=request.user,
                                               opinion=note_form.cleaned_data["opinion"])
                    messages.success(request, "已知悉。")
                    return redirect(here)
        except changes.ChangeError as error:
            messages.error(request, str(error))
            report = _report_for(request, center, report_pk)
    return render(request, "centers/operation/changes_detail.html", {
        **_report_context(request, center, report),
        "forward_form": forward_form, "note_form": note_form})


def _report_context(request, center, report):
    countdown = changes.Countdown()
    countdown.annotate([report])
    user = request.user
    waiting = report.status == S.SUBMITTED
    labels = dict(S.choices)
    return {
        "center": center, "report": report,
        "files": report.files.order_by("pk"),
        "history": [{"at": h.occurred_at, "label": labels.get(h.to_status, ""),
                     "actor": h.actor.display_name if h.actor else "系统"}
                    for h in status_history(report)],
        "due_problem": changes.due_problem(report),
        "target_fields": [(report._meta.get_field(f"new_{name}").verbose_name,
                           getattr(report, f"new_{name}")) for name in changes.TARGET_FIELDS],
        "can_submit": report.status == S.DRAFT and user.has_perm("centers.report_change",
                                                                  center),
        "can_forward": waiting and report.kind in changes.ROUTED_TO_COMMISSION
        and user.has_perm("centers.forward_change", center),
        "can_note": waiting and report.kind == ChangeKind.OTHER
        and user.has_perm("centers.forward_change", center),
        "can_decide": report.status == S.FORWARDED and user.has_perm("centers.decide_change",
                                                                     center),
    }


@login_required
@private_download
def change_file(request, pk, report_pk, file_pk):
    """An evidence file; a read by anyone but the center's own users is audited."""
    center = _center_for(request, pk)
    report = _report_for(request, center, report_pk)
    evidence = get_object_or_404(ChangeReportFile, pk=file_pk, report=report)
    return evidence_read(request, evidence, center=center, label="变更证明材料",
                         action="change_report_file.download", target=report)


# --- the 主管部门 -----------------------------------------------------------------------------

def _with_center(rows):
    return rows.select_related("center", "department").only(
        *ROW_FIELDS, "center__name", "department__name", "department_id")


@login_required
@require_GET
def change_district_list(request):
    """变更报告 of the 主管部门's centers (its departments only), waiting ones first (the
    earliest due first), then the rest newest first."""
    departments = user_department_ids(request.user, Role.DISTRICT_OFFICIAL)
    if not departments:
        raise PermissionDenied("变更报告审核仅供主管部门工作人员使用。")
    rows = (ChangeReport.objects.filter(center__department_id__in=departments)
            .exclude(status=S.DRAFT)
            .annotate(waiting=Case(When(status=S.SUBMITTED, then=Value(0)), default=Value(1),
                                   output_field=IntegerField()))
            .order_by("waiting", F("due_on").asc(nulls_last=True), "-created_at", "-id"))
    return render(request, "centers/operation/changes_district.html",
                  {"page": _page(request, _with_center(rows))})


# --- the commission ----------------------------------------------------------------------------

def _commission_only(request):
    if not request.user.has_perm("centers.decide_change", None):
        raise PermissionDenied("变更报告办理仅供市发展改革委工作人员使用。")


@login_required
@require_GET
def change_overview(request):
    """变更报告总览: every report sent by a center, filtered by kind, status, 主管部门 and
    overdue; the overdue ones first, then those waiting for a decision, then newest."""
    _commission_only(request)
    departments = list(Department.objects.filter(
        pk__in=ChangeReport.objects.values("department_id")).order_by("sort_order", "pk")
        .values_list("pk", "name")[:200])
    form = ChangeFilterForm(request.GET or None, departments=departments)
    rows = ChangeReport.objects.exclude(status=S.DRAFT)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["department"]:
            rows = rows.filter(department_id=data["department"])
        if data["overdue"] == "1":
            rows = rows.filter(overdue_at__isnull=False)
        elif data["overdue"] == "0":
            rows = rows.filter(overdue_at__isnull=True)
    rows = rows.annotate(
        rank=Case(When(overdue_at__isnull=False, status__in=changes.NOT_FORWARDED,
                       then=Value(0)),
                  When(overdue_at__isnull=False, then=Value(1)),
                  When(status=S.FORWARDED, then=Value(2)), default=Value(3),
                  output_field=IntegerField())).order_by("rank", "-created_at", "-id")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "centers/operation/changes_commission.html", {
        "form": form, "page": _page(request, _with_center(rows)),
        "filter_query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def change_decide(request, pk):
    """The commission's page of one forwarded report: accept or refuse with its reason."""
    _commission_only(request)
    report = get_object_or_404(
        ChangeReport.objects.select_related("center__application", "department", "created_by",
                                            "forwarded_by", "decided_by")
        .exclude(status=S.DRAFT), pk=pk)
    center = report.center
    here = reverse("centers:change_decide", args=[report.pk])
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decided = changes.change_report_decide(
                report=report, actor=request.user,
                accepted=form.cleaned_data["outcome"] == "accept",
                reason=form.cleaned_data["reason"])
        except changes.ChangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已办结：{decided.get_status_display()}。")
            return redirect(here)
    return render(request, "centers/operation/changes_decide.html",
                  {**_report_context(request, center, report), "form": form})
