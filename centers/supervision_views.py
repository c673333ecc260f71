"""Pages of the 主管部门's supervision (第十一条) and the centers' data duties (第十四条): the
district's centers and its periodic reports, the commission's periods and overview, and the
data-security pages of a center. Thin: the rules are in centers.supervision."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import supervision
from .enums import CenterStatus, OperationReportStatus
from .evidence import evidence_read
from .models import (
    Center,
    DataAgreement,
    DataSecurityRecord,
    OperationReport,
    SupervisionPeriod,
)
from .supervision import SupervisionError
from .supervision_forms import (
    DataAgreementForm,
    DataSecurityForm,
    DataSelfCheckForm,
    OperationReportForm,
    PeriodChoiceForm,
    PeriodForm,
)

PAGE_SIZE = 30
# A center's agreements and self-checks are few; the page shows the newest this many.
DATA_ROWS_SHOWN = 50


def _gate(permission: str, refusal: str):
    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator


district_only = _gate("centers.submit_operation_report", "该页面仅供主管部门工作人员使用。")
commission_only = _gate("centers.manage_supervision", "该页面仅供市发展改革委工作人员使用。")


# --- the 主管部门 ------------------------------------------------------------------------------

@district_only
@require_GET
def district_center_list(request):
    """本部门的赋能中心: status, plaque, latest service record and this year's count."""
    page = Paginator(supervision.district_centers(request.user), PAGE_SIZE).get_page(
        request.GET.get("page"))
    labels = dict(CenterStatus.choices)
    page.object_list = [{**row, "status_label": labels.get(row["status"], "")}
                        for row in page.object_list]
    return render(request, "centers/operation/supervision_district_centers.html",
                  {"page": page, "year": timezone.localdate().year})


def _department(request):
    departments = supervision.official_departments(request.user)
    if not departments:
        raise PermissionDenied("您的账号未关联主管部门。")
    chosen = request.GET.get("department") or request.POST.get("department")
    return next((d for d in departments if str(d.pk) == chosen), departments[0]), departments


@district_only
@require_GET
def district_supervision(request):
    """本部门的运行情况报告: every period with this department's report status."""
    department, departments = _department(request)
    reports = OperationReport.objects.filter(period=OuterRef("pk"), department=department)
    rows = (SupervisionPeriod.objects.order_by("-starts_on", "-id")
            .annotate(report_status=Subquery(reports.values("status")[:1]),
                      submitted_at=Subquery(reports.values("submitted_at")[:1]),
                      overdue_at=Subquery(reports.values("overdue_at")[:1]),
                      # A period with none of its centers designated yet asks nothing of it.
                      owes=Exists(Center.objects.filter(
                          department=department, status=CenterStatus.ACTIVE,
                          designated_on__lte=OuterRef("ends_on"))))
            .values("pk", "name", "starts_on", "ends_on", "due_on", "report_status",
                    "submitted_at", "overdue_at", "owes"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "centers/operation/supervision_district_periods.html", {
        "page": page, "department": department, "departments": departments,
        "today": timezone.localdate(), "submitted": OperationReportStatus.SUBMITTED,
        "query": f"department={department.pk}"})


# Nothing typed is lost: the report form carries a signed token naming its writer and period.
# A save or submit that arrives after the session ended is not acted on; what it carried is
# held in the (anonymous) session, which signing in keeps, and put back into the form for the
# same user only. Without this the login redirect dropped a long report without a word.
HELD_TOKEN_FIELD = "held_token"
HELD_TOKEN_SALT = "centers.operation-report-held"
HELD_TOKEN_MAX_AGE = datetime.timedelta(hours=24)
HELD_SESSION_KEY = "held_operation_report"
HELD_MESSAGE = ("登录已超时，请重新登录。本次提交未处理；您刚才填写的运行情况报告内容已为您保留，"
                "登录后将自动恢复到表单中，请核对后再保存或报送。")
NOT_HELD_MESSAGE = ("登录已超时，请重新登录。本次提交未处理，填写的内容未能保留（页面已打开过久），"
                    "登录后请重新填写。")
RESTORED_MESSAGE = "已恢复您在登录超时前填写、尚未保存的内容，请核对后保存或报送。"


def _held_token(user, period_pk: int) -> str:
    return signing.dumps({"u": user.pk, "p": period_pk}, salt=HELD_TOKEN_SALT)


def _keep_report_when_signed_out(view):
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            try:
                token = signing.loads(request.POST.get(HELD_TOKEN_FIELD, ""),
                                      salt=HELD_TOKEN_SALT,
                                      max_age=HELD_TOKEN_MAX_AGE.total_seconds())
            except signing.BadSignature:
                token = None
            if token is not None and token.get("p") == pk:
                typed = {name: value[:20000] for name, value in request.POST.items()
                         if name == "summary" or name.startswith(("rating_", "opinion_"))}
                request.session[HELD_SESSION_KEY] = {"u": token.get("u"), "p": pk,
                                                     "data": typed}
                messages.warning(request, HELD_MESSAGE)
            else:
                messages.warning(request, NOT_HELD_MESSAGE)
            here = reverse("centers:district_report", args=[pk])
            department = request.POST.get("department", "")
            if department.isdigit():
                here = f"{here}?department={department}"
            return redirect(f"{reverse('login')}?{urlencode({'next': here})}")
        return view(request, pk, *args, **kwargs)

    return wrapper


def _held_report_take(request, period_pk: int) -> dict | None:
    """The text held for this user and period when their session ended, once."""
    held = request.session.get(HELD_SESSION_KEY)
    if not held or held.get("p") != period_pk or held.get("u") != request.user.pk:
        return None
    del request.session[HELD_SESSION_KEY]
    return held.get("data") or None


@_keep_report_when_signed_out
@district_only
@require_http_methods(["GET", "POST"])
def district_report(request, pk):
    """The department's 建设运行情况 report of a period: a draft saved as often as wanted,
    submitted once (then read-only); bad input keeps everything typed."""
    period = get_object_or_404(SupervisionPeriod, pk=pk)
    department, departments = _department(request)
    here = f'{reverse("centers:district_report", args=[pk])}?department={department.pk}'
    report = supervision.operation_report_get(period=period, department_id=department.pk)
    centers = list(supervision.centers_to_assess(period, department.pk))
    submit = request.method == "POST" and request.POST.get("intent") == "submit"
    if submit:
        form_token_check(request, purpose="operation_report_submit", fallback_url=here)
    if report is not None and report.status == OperationReportStatus.SUBMITTED:
        if request.method == "POST":
            messages.info(request, "该报告已报送，不能修改。")
            return redirect(here)
        _report, assessments = supervision.report_detail(report.pk)
        return render(request, "centers/operation/supervision_report_detail.html", {
            "report": report, "assessments": assessments, "district_view": True,
            "department": department})
    initial = {}
    if report is not None:
        initial["summary"] = report.summary
        for a in report.assessments.all():
            initial[f"rating_{a.center_id}"] = a.rating
            initial[f"opinion_{a.center_id}"] = a.opinion
    held = _held_report_take(request, pk) if request.method == "GET" else None
    if held:
        initial.update(held)
        messages.info(request, RESTORED_MESSAGE)
    form = OperationReportForm(request.POST or None, initial=initial, centers=centers)
    if request.method == "POST":
        if form.is_valid():
            try:
                with form_once(request, purpose="operation_report_submit"
                               if submit else "operation_report_save", fallback_url=here) as once:
                    supervision.operation_report_save(
                        period=period, department_id=department.pk, actor=request.user,
                        summary=form.cleaned_data["summary"],
                        assessments=form.assessments(), submit=submit)
                    once.result_url = here
            except SupervisionError as error:
                form.add_error(None, str(error))
                if submit:  # what was typed is kept as the draft, not lost with the refusal
                    try:
                        supervision.operation_report_save(
                            period=period, department_id=department.pk, actor=request.user,
                            summary=form.cleaned_data["summary"],
                            assessments=form.assessments())
                    except SupervisionError:
                        pass
            else:
                messages.success(request, "运行情况报告已报送市发展改革委。" if submit
                                 else "草稿已保存。")
                return redirect(here)
    return render(request, "centers/operation/supervision_report_form.html", {
        "period": period, "department": department, "departments": departments,
        "report": report, "form": form, "due": supervision.report_due_state(period),
        "held_token": _held_token(request.user, pk)})


@district_only
@require_GET
def district_report_print(request, pk):
    """The department's submitted report of a period, printable."""
    period = get_object_or_404(SupervisionPeriod, pk=pk)
    department, _ = _department(request)
    report = supervision.operation_report_get(period=period, department_id=department.pk)
    if report is None or report.status != OperationReportStatus.SUBMITTED:
        raise Http404("该报告尚未报送。")
    _report, assessments = supervision.report_detail(report.pk)
    return render(request, "centers/operation/supervision_report_print.html",
                  {"report": report, "assessments": assessments})


# --- the commission ----------------------------------------------------------------------------

@commission_only
@require_GET
def commission_supervision(request):
    """运行情况报告汇总: for a period (the latest by default), each 主管部门's report —
    submitted, overdue or not yet — with the counts."""
    periods = list(SupervisionPeriod.objects.order_by("-starts_on", "-id")
                   .values_list("pk", "name")[:40])
    form = PeriodChoiceForm(request.GET or None, periods=periods)
    chosen, state = None, ""
    if form.is_valid():
        chosen, state = form.cleaned_data["period"], form.cleaned_data["state"]
    period_pk = chosen or (periods[0][0] if periods else None)
    context = {"form": form, "period": None, "page": None}
    if period_pk is not None:
        period = SupervisionPeriod.objects.get(pk=period_pk)
        page = Paginator(supervision.period_overview(period, state), PAGE_SIZE).get_page(
            request.GET.get("page"))
        context.update(period=period, page=page, counts=supervision.period_counts(period),
                       today=timezone.localdate(), submitted=OperationReportStatus.SUBMITTED,
                       query=f"period={period.pk}&state={state}")
    return render(request, "centers/operation/supervision_overview.html", context)


@commission_only
@require_GET
def commission_periods(request):
    """运行情况报告期: every period with its submitted and overdue counts."""
    page = Paginator(supervision.periods_with_counts(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "centers/operation/supervision_periods.html", {"page": page})


@commission_only
@require_http_methods(["GET", "POST"])
def commission_period_new(request):
    """A new period, prefilled as the next half-year."""
    form = PeriodForm(request.POST or None, initial=supervision.period_next_defaults())
    back = reverse("centers:commission_periods")
    if request.method == "POST":
        form_token_check(request, purpose="supervision_period_create", fallback_url=back)
        if form.is_valid():
            try:
                with form_once(request, purpose="supervision_period_create",
                               fallback_url=back) as once:
                    period = supervision.period_create(actor=request.user, **form.cleaned_data)
                    once.result_url = back
            except SupervisionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已设置报告期“{period.name}”。")
                return redirect(back)
    return render(request, "centers/operation/supervision_period_form.html",
                  {"form": form, "period": None})


@commission_only
@require_http_methods(["GET", "POST"])
def commission_period_edit(request, pk):
    period = get_object_or_404(SupervisionPeriod, pk=pk)
    form = PeriodForm(request.POST or None, initial={
        "name": period.name, "starts_on": period.starts_on, "ends_on": period.ends_on,
        "due_on": period.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            supervision.period_update(period=period, actor=request.user, **form.cleaned_data)
        except SupervisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "报告期已修改。")
            return redirect("centers:commission_periods")
    return render(request, "centers/operation/supervision_period_form.html",
                  {"form": form, "period": period})


def _report_or_404(pk):
    try:
        return supervision.report_detail(pk)
    except OperationReport.DoesNotExist:
        raise Http404("没有找到该报告。") from None


@commission_only
@require_GET
def commission_report(request, pk):
    """One department's report (a draft shows as not yet submitted)."""
    report, assessments = _report_or_404(pk)
    return render(request, "centers/operation/supervision_report_detail.html",
                  {"report": report, "assessments": assessments, "district_view": False})


@commission_only
@require_GET
def commission_report_print(request, pk):
    report, assessments = _report_or_404(pk)
    if report.status != OperationReportStatus.SUBMITTED:
        raise Http404("该报告尚未报送。")
    return render(request, "centers/operation/supervision_report_print.html",
                  {"report": report, "assessments": assessments})


# --- the center's data duties (第七条（八）、第十四条) ---------------------------------------------

def _center(request, pk, permission="centers.view_center_operation"):
    center = get_object_or_404(Center.objects.select_related("application", "department"),
                               pk=pk)
    if not request.user.has_perm(permission, center):
        raise PermissionDenied("无权查看该赋能中心的数据安全管理信息。"
                               if permission == "centers.view_center_operation"
                               else "只有赋能中心本单位用户可以维护数据安全管理信息。")
    return center


@login_required
@require_GET
def center_data(request, pk):
    """数据安全管理: the record, the agreements and the yearly self-checks of a center."""
    center = _center(request, pk)
    agreements = list(center.data_agreements.order_by("-signed_on", "-id")
                      .only("pk", "title", "counterparty", "signed_on", "original_name",
                            "center_id")[:DATA_ROWS_SHOWN])
    checks = list(center.data_self_checks.select_related("submitted_by")
                  .order_by("-year")[:DATA_ROWS_SHOWN])
    return render(request, "centers/operation/supervision_data.html", {
        "center": center, "record": DataSecurityRecord.objects.filter(center=center).first(),
        "agreements": agreements, "checks": checks,
        "can_keep": request.user.has_perm("centers.keep_center_records", center)})


@login_required
@require_http_methods(["GET", "POST"])
def center_data_record(request, pk):
    center = _center(request, pk, "centers.keep_center_records")
    record = DataSecurityRecord.objects.filter(center=center).first()
    initial = {} if record is None else {
        "responsible_person": record.responsible_person,
        "responsible_title": record.responsible_title,
        "responsible_phone": record.responsible_phone, "shared_data": record.shared_data}
    form = DataSecurityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        supervision.data_security_save(center=center, actor=request.user, **form.cleaned_data)
        messages.success(request, "数据安全管理信息已保存。")
        return redirect("centers:center_data", pk)
    return render(request, "centers/operation/supervision_data_record.html",
                  {"center": center, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def center_data_agreement_new(request, pk):
    center = _center(request, pk, "centers.keep_center_records")
    back = reverse("centers:center_data", args=[pk])
    form = DataAgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        form_token_check(request, purpose="data_agreement_add", fallback_url=back)
        if form.is_valid():
            try:
                with form_once(request, purpose="data_agreement_add", fallback_url=back) as once:
                    supervision.data_agreement_add(center=center, actor=request.user,
                                                   **form.cleaned_data)
                    once.result_url = back
            except SupervisionError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, "数据使用协议已上传。")
                return redirect(back)
    return render(request, "centers/operation/supervision_data_agreement.html",
                  {"center": center, "form": form})


@login_required
@private_download
def center_data_agreement_file(request, pk, agreement_pk):
    """A data-use agreement's file; a reader outside the center's unit is audited."""
    center = _center(request, pk)
    agreement = get_object_or_404(DataAgreement, pk=agreement_pk, center=center)
    return evidence_read(request, agreement, center=center, label="数据使用协议",
                         action="data_agreement.download", target=agreement,
                         after={"center": center.pk})


@login_required
@require_http_methods(["GET", "POST"])
def center_data_self_check_new(request, pk):
    center = _center(request, pk, "centers.keep_center_records")
    back = reverse("centers:center_data", args=[pk])
    form = DataSelfCheckForm(request.POST or None)
    if request.method == "POST":
        form_token_check(request, purpose="data_self_check_submit", fallback_url=back)
        if form.is_valid():
            try:
                with form_once(request, purpose="data_self_check_submit",
                               fallback_url=back) as once:
                    supervision.data_self_check_submit(center=center, actor=request.user,
                                                       **form.cleaned_data)
                    once.result_url = back
            except SupervisionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "年度自查已提交。")
                return redirect(back)
    return render(request, "centers/operation/supervision_data_self_check.html",
                  {"center": center, "form": form})
