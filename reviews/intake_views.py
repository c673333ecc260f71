"""The commission's intake pages (第八条、第九条（二）): what each 主管部门 sent for a call, the
list of what is ready for the expert review with its export and its move, the 形式审查 of
direct submissions, and the commission's decisions about 未按期审查."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import organisation_location_department, organisation_route_status
from applications import documents
from applications import services as application_services
from applications.enums import ApplicationStatus, DocumentVariant
from applications.models import Application
from applications.selectors import application_timeline, application_with_details
from applications.texts import JOINT_COMMITMENT, LEAD_COMMITMENT
from core.formtokens import form_once, form_token_check

from . import intake, intake_selectors, selectors, services
from .enums import ReviewOutcome
from .forms import ReviewForm
from .intake_forms import IntakeFilterForm, OverdueExtendForm, OverdueTakeOverForm
from .models import DistrictReview
from .snapshots import application_snapshot, snapshot_diff, snapshot_digest
from .views import held_review_initial, keep_review_text_when_signed_out

# The buttons of the 形式审查 form: 保存草稿 or one of the commission's decisions.
INTENTS = {"draft": None, **{o.value: o for o in intake.COMMISSION_OUTCOMES}}
# The name under which a 形式审查 form's text is held when the session ended.
FORMAL_HELD_STEP = "commission_review"


def commission_only(view):
    """Anonymous visitors go to the login page; everybody but commission staff gets the 403
    page (district officials and applicants included)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("reviews.view_intake"):
            raise PermissionDenied("受理汇总页面仅供市发展改革委工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _filters(request, data):
    calls = list(intake_selectors.intake_calls())
    departments = list(intake_selectors.intake_departments())
    form = IntakeFilterForm(data or None, calls=calls, departments=departments,
                            fields=list(selectors.review_industry_fields()))
    cleaned = form.cleaned_data if form.is_valid() else {}
    call_id = cleaned.get("call")
    call = next((c for c in calls if c.pk == call_id), None)
    department = cleaned.get("department") or None
    if department and department != "direct":
        department = next((d for d in departments if str(d.pk) == department), None)
    queryset = intake_selectors.intake_queryset(
        stage=cleaned.get("stage") or "ready", call=call, department=department,
        industry_field=cleaned.get("field"), text=(cleaned.get("q") or "").strip())
    return form, calls, departments, call, queryset


@require_GET
@commission_only
def intake_page(request):
    form, calls, departments, call, queryset = _filters(request, request.GET)
    # The counts are of one call: the chosen one, or the latest.
    counted = call or (calls[0] if calls else None)
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "reviews/intake.html", {
        "form": form,
        "page": intake_selectors.intake_page(queryset, request.GET.get("page")),
        "query": urlencode(params),
        "filter_params": params,
        "stage": (form.cleaned_data.get("stage") if form.is_valid() else "") or "ready",
        "counted_call": counted,
        "department_counts": (intake_selectors.intake_department_counts(counted, departments)
                              if counted else []),
        "overdue_open": intake_selectors.overdue_count(),
        "today": timezone.localdate(),
        "extend_form": OverdueExtendForm(),
    })


# The intake list's own parameters: `back` returns to the list as it was filtered, and carries
# nothing else.
_BACK_PARAMS = ("call", "stage", "department", "field", "q", "page")


def _back(request):
    """The intake list with the filters of the page the act was done on (`back`, a query
    string), keeping only the list's own parameters."""
    params = QueryDict(request.POST.get("back", ""))
    kept = [(key, value) for key in _BACK_PARAMS for value in params.getlist(key)[:1] if value]
    return reverse("reviews:intake") + (f"?{urlencode(kept)}" if kept else "")


@require_POST
@commission_only
def intake_export(request):
    """The list as it is filtered (every page) as the staff export's Excel file, built by a
    worker; the requester lands on the export's page."""
    form, _calls, _departments, call, queryset = _filters(request, request.POST)
    ids = intake_selectors.intake_ids(queryset)
    if not ids:
        messages.error(request, "没有符合条件的申报，无法导出。")
        return redirect(_back(request))
    with form_once(request, purpose="intake_export", fallback_url=_back(request)) as once:
        export = application_services.application_export_request(
            actor=request.user, params={}, application_ids=ids)
        once.result_url = reverse("applications:export_detail", args=[export.pk])
    return redirect("applications:export_detail", export.pk)


@require_POST
@commission_only
def intake_expert_review(request):
    """转入专家评审 of one application (`one`) or of the ticked ones (`application`)."""
    raw = [request.POST["one"]] if request.POST.get("one") else request.POST.getlist(
        "application")
    ids = sorted({int(pk) for pk in raw if pk.isdigit()})
    back = _back(request)
    applications = list(Application.objects.filter(pk__in=ids).order_by("pk"))
    if not applications:
        messages.error(request, "请先勾选要转入专家评审的申报。")
        return redirect(back)
    moved, errors = 0, []
    with form_once(request, purpose="intake_expert_review", fallback_url=back) as once:
        for application in applications:
            try:
                _, done = application_services.application_start_expert_review(
                    application=application, actor=request.user)
            except application_services.ApplicationError as error:
                errors.append(f"“{application}”未转入：{error}")
            else:
                moved += done
        once.result_url = back
    if moved:
        messages.success(request, f"已将 {moved} 件申报转入专家评审。")
    elif not errors:
        messages.info(request, "所选申报已在专家评审环节。")
    for error in errors:
        messages.error(request, error)
    return redirect(back)


def _direct(pk):
    return get_object_or_404(application_with_details(intake_selectors.direct_applications()),
                             pk=pk)


@require_http_methods(["GET", "POST"])
@keep_review_text_when_signed_out("reviews:formal_review", FORMAL_HELD_STEP)
@commission_only
def formal_review(request, pk):
    """形式审查 of a direct submission (第八条): the district's checklist, decided by the
    commission as 通过, 退回修改 or 不予推荐."""
    application = _direct(pk)
    department_id = intake.commission_department_id(request.user)
    draft = selectors.review_current_draft(application, department_id)
    decidable = application.status == ApplicationStatus.SUBMITTED
    url = reverse("reviews:formal_review", args=[application.pk])
    if request.method == "POST":
        form_token_check(request, purpose="commission_review_decide", fallback_url=url)
        if not decidable:
            messages.error(request, f"申报当前状态为“{application.get_status_display()}”，"
                                    "不能再保存或作出形式审查结论。")
            return redirect(url)
        form = ReviewForm(request.POST, instance=draft or DistrictReview())
        intent = request.POST.get("intent", "draft")
        if intent not in INTENTS:
            intent = "draft"
        if form.is_valid():
            return _save_and_decide(request, application, form, intent, url)
        messages.error(request, "部分内容有误，请按提示修改。")
    else:
        initial = {}
        if draft is None or draft.resubmit_by is None:
            initial["resubmit_by"] = services.resubmit_default_date(application.call)
        if decidable:
            initial.update(held_review_initial(request, application, FORMAL_HELD_STEP))
        form = ReviewForm(instance=draft, initial=initial)
    organisation = application.organisation
    current = application_snapshot(application)
    returned = selectors.review_last_returned(application)
    diff = None
    if returned is not None and returned.snapshot and application.status != (
            ApplicationStatus.RETURNED):
        diff = snapshot_diff(returned.snapshot, current)
    return render(request, "reviews/intake_review.html", {
        "application": application,
        "doc": documents.document_content(application, DocumentVariant.PACKAGE),
        "form": form,
        "decidable": decidable,
        "seen": snapshot_digest(current),
        "returned": returned,
        "diff": diff,
        "rounds": intake_selectors.commission_rounds(application),
        "history": application_timeline(application),
        "route_status": organisation_route_status(organisation),
        "location_department": organisation_location_department(organisation),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
    })


def _save_and_decide(request, application, form, intent, url):
    data = {name: form.cleaned_data.get(name) for name in services.DRAFT_FIELDS}
    for name, value in data.items():
        if value is None and name != "resubmit_by":
            data[name] = ""
    try:
        intake.commission_review_save_draft(application=application, actor=request.user,
                                            data=data)
        if INTENTS[intent] is None:
            messages.success(request, "审查意见已保存为草稿。")
            return redirect(url)
        with form_once(request, purpose="commission_review_decide", fallback_url=url) as once:
            decided = intake.commission_review_decide(
                application=application, actor=request.user, outcome=INTENTS[intent],
                seen_digest=request.POST.get("seen", ""))
            once.result_url = url
    except services.ReviewError as error:
        messages.error(request, f"审查意见已保存为草稿。{error}")
        return redirect(url)
    if decided.outcome == ReviewOutcome.RETURNED:
        messages.success(request, f"已退回修改，申报单位已收到退回理由，须于"
                                  f"{decided.resubmit_by:%Y年%m月%d日}（含当日）前重新提交。")
    elif decided.outcome == ReviewOutcome.PASSED:
        messages.success(request, "形式审查已通过，申报可转入专家评审。")
    else:
        messages.success(request, "已作出不予推荐的形式审查结论。")
    return redirect(url)


def _open_mark(pk):
    return get_object_or_404(intake_selectors.open_overdue_marks().select_related("application"),
                             pk=pk)


@require_POST
@commission_only
def overdue_extend(request, pk):
    """允许主管部门补审 of one 未按期审查 application, with a new date."""
    mark = _open_mark(pk)
    back = _back(request)
    form = OverdueExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写补审期限。")
        return redirect(back)
    try:
        with form_once(request, purpose="overdue_extend", fallback_url=back) as once:
            intake.overdue_extend(mark=mark, actor=request.user,
                                  until=form.cleaned_data["until"],
                                  reason=form.cleaned_data.get("reason") or "")
            once.result_url = back
    except services.ReviewError as error:
        messages.error(request, f"“{mark.application}”：{error}")
        return redirect(back)
    messages.success(request, f"已允许主管部门补审“{mark.application}”，补审期限"
                              f"{form.cleaned_data['until']:%Y年%m月%d日}，主管部门已收到通知。")
    return redirect(back)


@require_POST
@commission_only
def overdue_take_over(request, pk):
    """直接转入形式审查: the commission takes the overdue application and checks it itself."""
    mark = _open_mark(pk)
    back = _back(request)
    form = OverdueTakeOverForm(request.POST)
    reason = (form.cleaned_data.get("reason") or "") if form.is_valid() else ""
    try:
        with form_once(request, purpose="overdue_take_over", fallback_url=back) as once:
            intake.overdue_take_over(mark=mark, actor=request.user, reason=reason,
                                     request=request)
            once.result_url = reverse("reviews:formal_review", args=[mark.application_id])
    except services.ReviewError as error:
        messages.error(request, f"“{mark.application}”：{error}")
        return redirect(back)
    messages.success(request, f"“{mark.application}”已转入市发展改革委形式审查。")
    return redirect("reviews:formal_review", mark.application_id)
