from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import user_organisation_ids, user_primary_organisation
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import documents, receipts, services
from .autosave_views import keep_text_when_signed_out
from .completeness import checklist
from .content_audit import application_read_record
from .drafts import held_draft_restore
from .eligibility import eligibility_problems
from .enums import (
    ApplicationStatus,
    AttachmentKind,
    CallStatus,
    DocumentStatus,
    DocumentVariant,
)
from .models import AVOIDANCE_REQUEST_LIMIT, ApplicationDocument, Attachment
from .selectors import (
    applicant_application_filterset_for,
    application_list_page,
    application_of_organisation,
    application_timeline,
    application_with_details,
    applications_visible_to,
    avoidance_requests_for_applicant,
    calls_published,
    explanation_requests_for_applicant,
)
from .steps import (
    DETAIL,
    REVIEW,
    REDIRECT_ON_REFUSAL,
    STEP_KEYS,
    STEP_TITLES,
    STEPS,
    STEPS_BY_KEY,
    StepPost,
    avoidance_forms_from_held,
    previous_step,
    step_forms,
    step_intent,
)
from .texts import JOINT_COMMITMENT, LEAD_COMMITMENT

APPLICANT_LIST_PAGE_SIZE = 20
APPLICANT_LIST_FILTERS = ("call", "status")


def call_detail(request, pk):
    call = get_object_or_404(calls_published(), pk=pk)
    existing = None
    organisation = user_primary_organisation(request.user)
    if organisation is not None:
        existing = application_of_organisation(call=call, organisation_ids=[organisation.pk])
    now = timezone.now()
    return render(request, "applications/call_detail.html", {
        "call": call,
        "materials": call.materials.all(),
        "existing": existing,
        "existing_hint": services.application_next_step_hint(existing, now) if existing else "",
        "window_refusal": services.call_window_refusal(call, now),
        "upcoming": call.status == CallStatus.PUBLISHED and now < call.opens_at,
    })


@login_required
@require_POST
def application_start(request, call_pk):
    call = get_object_or_404(calls_published(), pk=call_pk)
    organisation = user_primary_organisation(request.user)
    if organisation is None:
        raise PermissionDenied(services.CANNOT_APPLY)
    try:
        with form_once(request, purpose="application_start",
                       fallback_url=reverse("applications:call_detail", args=[call.pk])) as once:
            application = services.application_start(call=call, organisation=organisation,
                                                     actor=request.user)
            once.result_url = reverse("applications:step", args=[application.pk, "lead"])
    except services.ApplicationExists as exists:
        messages.info(request, str(exists))
        return redirect("applications:detail", exists.application.pk)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:call_detail", call.pk)
    return redirect("applications:step", application.pk, "lead")


def _visible_application(request, pk):
    return get_object_or_404(application_with_details(applications_visible_to(request.user)),
                             pk=pk)


@login_required
def application_detail(request, pk):
    application = _visible_application(request, pk)
    can_edit = request.user.has_perm("applications.edit_application", application)
    moves = {move.name for move in
             services.APPLICATION_WORKFLOW.available_moves(application, request.user)}
    # The unit's own members read the status as the unit is told it (第八条: 推荐 / 不予推荐
    # when the 主管部门 sends its batch; 第九条（四）: the 拟评定名单 after its notice).
    for_applicant = application.organisation_id in user_organisation_ids(request.user)
    shown_status = application.status_for_reader(request.user)
    return render(request, "applications/detail.html", {
        "application": application,
        "shown_status": shown_status,
        "shown_status_display": ApplicationStatus(shown_status).label,
        "checklist": checklist(application),
        "eligibility_problems": eligibility_problems(application),
        "history": application_timeline(application, for_applicant=for_applicant,
                                        list_hidden=shown_status != application.status
                                        and application.held_until_notice),
        "can_edit": can_edit,
        "edit_refusal": services.application_edit_refusal(application) if can_edit else None,
        "can_withdraw": "withdraw" in moves,
        "can_reopen": "reopen" in moves and services.call_window_refusal(application.call) is None,
        "next_step_hint": services.application_next_step_hint(application) if can_edit else "",
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
        "documents": documents.documents_overview(application),
        # 回避申请: the unit's own view only, never a district's or anyone else's.
        "avoidance_requests": avoidance_requests_for_applicant(application)
        if for_applicant else None,
        # 情况说明 asked about an objection: the unit's own view, the question only.
        "explanation_requests": explanation_requests_for_applicant(application)
        if for_applicant else None,
    })


@keep_text_when_signed_out
@login_required
@require_http_methods(["GET", "POST"])
def application_step(request, pk, step):
    if step not in STEP_KEYS:
        raise Http404
    application = _visible_application(request, pk)
    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied("您无权修改此申报。")
    if request.method == "POST":  # a repeated upload or submission: where the first one led
        form_token_check(request, purpose=None,
                         fallback_url=reverse("applications:step", args=[pk, step]))
    refusal = services.application_edit_refusal(application)
    posted = request.method == "POST"
    forms = step_forms(step, application, request.POST if posted else None,
                       request.FILES if posted else None)
    if posted:
        if refusal:
            messages.error(request, refusal)
            return redirect("applications:detail", application.pk)
        response = _step_post(request, application, step, forms)
        if response is not None:
            return response
        messages.error(request, "部分内容有误，请按提示修改；其余内容已保存。")
    elif application.current_step != step and refusal is None:
        services.application_remember_step(application=application, actor=request.user,
                                           step=step)
    held_draft = held_draft_restore(request, application=application, step=step)
    if held_draft and step == "avoidance":  # no autosave script: the rows come back as typing
        forms = avoidance_forms_from_held(application, held_draft)
        held_draft = None
    return render(request, "applications/step.html", {
        "application": application,
        "step": step,
        "step_title": STEP_TITLES[step],
        "steps": STEPS,
        "checklist": checklist(application),
        "can_edit": True,
        "destination": services.destination_preview(application.organisation)
        if step == "commitment" else "",
        "forms": forms,
        "refusal": refusal,
        "previous_step": previous_step(step),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
        "attachment_kinds": AttachmentKind,
        "eligibility_problems": eligibility_problems(application) if step == "commitment" else [],
        "limited_fields": ("service_summary", "construction_content"),
        "upload_limits": services.upload_limits(),
        "documents": documents.documents_overview(application) if step == "commitment" else [],
        "held_draft": held_draft,
        "avoidance_limit": AVOIDANCE_REQUEST_LIMIT,
    })


def _step_post(request, application, step, forms):
    """Saves one step through its declared save; a redirect, or None to show the errors."""
    back_to = request.POST.get("return_to")
    post = StepPost(application=application, actor=request.user, forms=forms,
                    intent=step_intent(request.POST),
                    return_to=back_to if back_to in STEP_KEYS else step)
    try:
        save = STEPS_BY_KEY[step].save
        if post.intent == "upload" and forms["upload"].is_valid():
            # A second click on 上传 uploads nothing more: it is sent where the first one led.
            back_url = reverse("applications:step", args=[application.pk, post.return_to])
            with form_once(request, purpose="attachment_add", fallback_url=back_url) as once:
                outcome = save(post)
                once.result_url = back_url
        else:
            outcome = save(post)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        if step in REDIRECT_ON_REFUSAL:
            return redirect("applications:step", application.pk, post.return_to)
        return None
    for level, text in ((messages.error, outcome.error), (messages.warning, outcome.warning),
                        (messages.success, outcome.message)):
        if text:
            level(request, text)
    if not outcome.valid:
        return None
    if outcome.go_to == DETAIL:
        return redirect("applications:detail", application.pk)
    if outcome.go_to == REVIEW:
        return redirect("applications:review", application.pk)
    return redirect("applications:step", application.pk, outcome.go_to)


@login_required
def application_review(request, pk):
    """The final review: the whole application read-only, what is still missing, where it
    goes (第八条), and the one 提交申报 button of the portal."""
    application = _visible_application(request, pk)
    if not request.user.has_perm("applications.submit_application", application):
        raise PermissionDenied("您无权提交此申报。")
    refusal = services.application_edit_refusal(application)
    problems = services.submission_problems(application) if refusal is None else []
    return render(request, "applications/review.html", {
        "application": application,
        "doc": documents.document_content(application, DocumentVariant.PACKAGE),
        "checklist": checklist(application),
        "can_edit": True,
        "refusal": refusal,
        "problems": problems,
        "avoidance_requests": avoidance_requests_for_applicant(application),
        "destination": services.destination_preview(application.organisation),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
    })


@login_required
@require_POST
def application_submit(request, pk):
    application = _visible_application(request, pk)
    if not request.user.has_perm("applications.submit_application", application):
        raise PermissionDenied("您无权提交此申报。")
    if request.POST.get("confirm") != "1":
        # Only the review page's confirmation submits.
        return redirect("applications:review", application.pk)
    receipt_url = reverse("applications:receipt", args=[application.pk])
    try:
        form_token_check(request, purpose="application_submit", fallback_url=receipt_url)
        with form_once(request, purpose="application_submit", fallback_url=receipt_url) as once:
            services.application_submit(application=application, actor=request.user)
            once.result_url = receipt_url
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:review", application.pk)
    messages.success(request, "申报已提交，请保存申报回执。")
    return redirect("applications:receipt", application.pk)


def _receipt_application(request, pk):
    application = _visible_application(request, pk)
    if not application.receipt_number or application.submitted_at is None:
        raise Http404
    return application


# Reopened for correction: the earlier receipt names a submission that is no longer there
# (the 站内通知 of that submission still links here).
REOPENED_NO_RECEIPT = "本申报已撤回后重新编辑，当前尚未提交，暂无有效的申报回执；重新提交后可查看、打印新的回执。"


def _reopened_without_receipt(request, application):
    if application.status != ApplicationStatus.DRAFT:
        return None
    messages.info(request, REOPENED_NO_RECEIPT)
    return redirect("applications:detail", application.pk)


@login_required
def application_receipt(request, pk):
    """The printable 申报回执 page."""
    application = _receipt_application(request, pk)
    if refusal := _reopened_without_receipt(request, application):
        return refusal
    return render(request, "applications/receipt.html", {
        "application": application,
        "receipt": receipts.receipt_content(application),
    })


@login_required
def application_receipt_pdf(request, pk):
    application = _receipt_application(request, pk)
    if refusal := _reopened_without_receipt(request, application):
        return refusal
    if not request.user.has_perm("applications.edit_application", application):
        audit_record(action="application.receipt_download", actor=request.user,
                     target=application, request=request)
    response = HttpResponse(receipts.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, receipts.receipt_filename(application))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _visible_application(request, pk)
    try:
        withdrawn = services.application_withdraw(application=application, actor=request.user,
                                                  reason=request.POST.get("reason", ""))
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "申报已撤回。" + services.application_next_step_hint(withdrawn))
    return redirect("applications:detail", application.pk)


@login_required
@require_POST
def application_reopen(request, pk):
    application = _visible_application(request, pk)
    try:
        services.application_reopen(application=application, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:detail", application.pk)
    messages.success(request, "申报已恢复为填报中，修改后请在受理截止前重新提交。")
    return redirect("applications:step", application.pk, application.current_step)


def _visible_attachment(request, pk, attachment_pk):
    application = _visible_application(request, pk)
    return get_object_or_404(Attachment.objects.select_related("application"),
                             pk=attachment_pk, application=application)


@login_required
@private_download
def attachment_download(request, pk, attachment_pk):
    attachment = _visible_attachment(request, pk, attachment_pk)
    application_read_record(application=attachment.application, reader=request.user,
                            what="attachment", request=request,
                            detail={"attachment": attachment.pk, "kind": attachment.kind,
                                    "name": attachment.original_name})
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.served_name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    attachment = _visible_attachment(request, pk, attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除“{attachment.original_name}”。")
    return redirect(reverse("applications:step", args=[pk, "attachments"]))


def _variant(variant: str) -> DocumentVariant:
    try:
        return DocumentVariant(variant)
    except ValueError:
        raise Http404 from None


@login_required
def application_document(request, pk, variant):
    """Requests the PDF of the current content and shows its state until it is ready.

    `?document=<id>` only reports on a document already requested (the page's refresh), so
    that a failed render is re-queued by the user, not by the polling."""
    variant = _variant(variant)
    application = _visible_application(request, pk)
    document_id = request.GET.get("document", "")
    if document_id.isdigit():
        document = get_object_or_404(ApplicationDocument, pk=int(document_id),
                                     application=application, variant=variant)
    else:
        document = documents.document_request(application=application, variant=variant,
                                              actor=request.user)
    return render(request, "applications/document.html", {
        "application": application,
        "variant": variant,
        "document": document,
        "pending": document.status == DocumentStatus.PENDING,
    })


@login_required
@private_download
def application_document_download(request, pk, variant, document_pk):
    variant = _variant(variant)
    application = _visible_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application,
                                 variant=variant, status=DocumentStatus.READY)
    application_read_record(application=application, reader=request.user, what="document",
                            request=request,
                            detail={"document": document.pk, "variant": variant.value})
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=documents.document_filename(application, document),
                        content_type="application/pdf")


@require_GET
@login_required
def applicant_list(request):
    """我的申报: every application of the user's unit, filtered by call and status, 20 a page;
    the applicant dashboard shows the latest few and links here."""
    if not request.user.has_perm("applications.list_own_applications"):
        raise PermissionDenied("“我的申报”仅供申报单位用户查看本单位的申报。")
    filterset = applicant_application_filterset_for(request.user, request.GET)
    page = application_list_page(filterset.qs, request.GET.get("page"), APPLICANT_LIST_PAGE_SIZE)
    filterset.offer_list_statuses(page.object_list)
    params = {name: request.GET[name].strip() for name in APPLICANT_LIST_FILTERS
              if request.GET.get(name, "").strip()}
    return render(request, "applications/applicant_list.html", {
        "filter": filterset,
        "page": page,
        "params": params,
        "query": urlencode(params),
    })
