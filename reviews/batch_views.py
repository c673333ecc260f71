"""The recommendation batch's pages (第八条): the department's batch with its 推荐函, the
commission's list of batches per call and department, a batch's page with its history and the
sending back."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import batch_selectors, batches, selectors
from .batch_forms import BatchReopenForm, BatchSubmitForm
from .enums import BatchStatus, LetterStatus
from .models import RecommendationBatch
from .views import official_only


def commission_only(view):
    """Anonymous visitors go to the login page; anyone but commission staff gets the 403 page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("reviews.list_batches"):
            raise PermissionDenied("推荐名单报送情况仅供市发展改革委工作人员查看。")
        return view(request, *args, **kwargs)

    return login_required(checked)


# --- the department's batch ------------------------------------------------------------------


def _official_call_and_department(request, call_pk):
    """The call (404 unless applications of it reached the official's department) and the
    official's department id."""
    call = get_object_or_404(selectors.review_calls(request.user), pk=call_pk)
    department_ids = sorted(selectors.official_department_ids(request.user))
    return call, department_ids[0]


@require_GET
@official_only
def batch(request, call_pk):
    call, department_id = _official_call_and_department(request, call_pk)
    current = batch_selectors.department_batch(department_id, call)
    undecided = list(batches.undecided_applications(department_id, call.pk))
    locked = current is not None and current.status == BatchStatus.SUBMITTED
    first_time = current is None or current.status == BatchStatus.DRAFT
    too_late = first_time and timezone.now() >= batches.district_deadline_end(call)
    form = BatchSubmitForm(initial={"undecided": ",".join(str(a.pk) for a in undecided)},
                           undecided_count=len(undecided))
    return render(request, "reviews/batch_department.html", {
        "call": call,
        "batch": current,
        "locked": locked,
        "too_late": too_late,
        "rows": list(selectors.recommendations(department_id=department_id, call_id=call.pk)),
        "undecided": undecided,
        "form": form,
        "history": batch_selectors.batch_history(current) if current else [],
    })


@require_POST
@official_only
def batch_submit(request, call_pk):
    call, department_id = _official_call_and_department(request, call_pk)
    batch_url = reverse("reviews:batch", args=[call.pk])
    form_token_check(request, purpose="recommendation_batch_submit", fallback_url=batch_url)
    undecided = list(batches.undecided_applications(department_id, call.pk))
    form = BatchSubmitForm(request.POST, undecided_count=len(undecided))
    if not form.is_valid():
        messages.error(request, "尚有申报未作出初审结论，请勾选确认后再报送。")
        return redirect(batch_url)
    try:
        # A second click lands where the first one did; nothing is sent twice.
        with form_once(request, purpose="recommendation_batch_submit",
                       fallback_url=batch_url) as once:
            batches.batch_submit(department_id=department_id, call=call, actor=request.user,
                                 acknowledged_undecided=form.acknowledged_ids())
            once.result_url = batch_url
    except batches.BatchError as error:
        messages.error(request, str(error))
        return redirect(batch_url)
    messages.success(request, "推荐名单已报送市发展改革委，推荐函正在生成；本部门对该通知的"
                              "初审结论和推荐排序已锁定。")
    return redirect(batch_url)


def _letter_response(request, batch_row, reader):
    if batch_row.letter_status != LetterStatus.READY or not batch_row.letter_file:
        raise Http404("推荐函尚未生成。")
    audit_record(action="recommendation_batch.letter_download", actor=request.user,
                 target=batch_row, request=request,
                 after={"submission": batch_row.submission_count,
                        "reader": reader})
    return FileResponse(batch_row.letter_file.open("rb"), as_attachment=True,
                        filename=batches.letter_filename(batch_row),
                        content_type="application/pdf")


@require_GET
@official_only
@private_download
def batch_letter(request, call_pk):
    call, department_id = _official_call_and_department(request, call_pk)
    batch_row = get_object_or_404(
        RecommendationBatch.objects.select_related("department", "call")
        .exclude(status=BatchStatus.DRAFT), department_id=department_id, call=call)
    return _letter_response(request, batch_row, "department")


# --- the commission --------------------------------------------------------------------------


@require_GET
@commission_only
def commission_batches(request):
    calls = list(batch_selectors.batch_calls()[:50])
    call = None
    call_id = request.GET.get("call", "")
    if call_id.isdigit():
        call = next((c for c in calls if c.pk == int(call_id)), None)
        if call is None:  # an older call than the choices list
            call = get_object_or_404(batch_selectors.batch_calls(), pk=int(call_id))
            calls.append(call)
    elif calls:
        call = calls[0]
    page = (batch_selectors.commission_batch_rows(call, request.GET.get("page"))
            if call else None)
    return render(request, "reviews/batch_commission_list.html", {
        "calls": calls, "call": call, "page": page,
        "deadline_end": batches.district_deadline_end(call) if call else None,
    })


def _commission_batch(pk):
    return get_object_or_404(RecommendationBatch.objects.select_related(
        "department", "call", "submitted_by"), pk=pk)


@require_GET
@commission_only
def commission_batch(request, pk):
    batch_row = _commission_batch(pk)
    return render(request, "reviews/batch_commission_detail.html", {
        "batch": batch_row,
        "state": batch_selectors.batch_state(batch_row, batch_row.call),
        "history": batch_selectors.batch_history(batch_row),
        "form": BatchReopenForm(),
        "letter": batch_row.letter_content or {},
    })


@require_POST
@commission_only
def commission_batch_reopen(request, pk):
    batch_row = _commission_batch(pk)
    page_url = reverse("reviews:commission_batch", args=[batch_row.pk])
    form_token_check(request, purpose="recommendation_batch_reopen", fallback_url=page_url)
    form = BatchReopenForm(request.POST)
    if not form.is_valid():
        return render(request, "reviews/batch_commission_detail.html", {
            "batch": batch_row,
            "state": batch_selectors.batch_state(batch_row, batch_row.call),
            "history": batch_selectors.batch_history(batch_row),
            "form": form,
            "letter": batch_row.letter_content or {},
        }, status=400)
    try:
        with form_once(request, purpose="recommendation_batch_reopen",
                       fallback_url=page_url) as once:
            batches.batch_reopen(batch=batch_row, actor=request.user,
                                 reason=form.cleaned_data["reason"])
            once.result_url = page_url
    except batches.BatchError as error:
        messages.error(request, str(error))
        return redirect(page_url)
    messages.success(request, f"已将{batch_row.department.name}的推荐名单退回重新报送，"
                              "该部门已收到退回理由。")
    return redirect(page_url)


@require_GET
@commission_only
@private_download
def commission_batch_letter(request, pk):
    return _letter_response(request, _commission_batch(pk), "commission")
