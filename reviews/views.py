"""The 主管部门's pages: the inbox, the review page with its checklist, the ranking."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import organisation_location_department, organisation_route_status
from applications import documents
from applications.drafts import held_draft_hold_and_warn, held_draft_restore
from applications.enums import ApplicationStatus, DocumentVariant
from applications.models import Attachment
from applications.selectors import application_timeline, application_with_details
from applications.texts import JOINT_COMMITMENT, LEAD_COMMITMENT
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import batches, selectors, services
from .enums import ReviewOutcome
from .forms import InboxFilterForm, ReviewForm
from .models import DistrictReview
from .snapshots import application_snapshot, snapshot_diff, snapshot_digest

# The buttons of the review form: 保存草稿 or one of the decisions.
INTENTS = {"draft": None, **{o.value: o for o in ReviewOutcome}}
# The name under which a review form's text is held when the session ended (applications.drafts).
HELD_STEP = "district_review"


def official_only(view):
    """Anonymous visitors go to the login page; users who are no 主管部门 official get the 403
    page; an official asking for another department's application gets 404 (in the view)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("reviews.view_inbox"):
            raise PermissionDenied("初审页面仅供主管部门（区、市发展改革部门和功能区经济发展部门）"
                                   "工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def keep_review_text_when_signed_out(url_name: str, step: str = HELD_STEP):
    """第九条（二）: nothing typed is lost. A review form (of the page `url_name`, taking the
    application's pk) posted after the session ended has its text held under `step` for the
    user its draft token names (`applications.drafts`) and goes to the login page, which says
    so; signed in again, the page puts the text back (`held_review_initial`)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            if request.method == "POST" and not request.user.is_authenticated:
                held_draft_hold_and_warn(request, application_id=pk, step=step)
                return redirect(f"{reverse(settings.LOGIN_URL)}?"
                                f"{urlencode({'next': reverse(url_name, args=[pk])})}")
            return view(request, pk, *args, **kwargs)

        return wrapper

    return decorate


def held_review_initial(request, application, step: str = HELD_STEP) -> dict:
    """The review form's fields held under `step` when the session ended, by field name, put
    back once for this user on a GET (else {})."""
    held = held_draft_restore(request, application=application, step=step) or {}
    return {name: values[0] for name, values in held.items()
            if name in services.DRAFT_FIELDS and values}


@require_GET
@official_only
def inbox(request):
    calls = list(selectors.review_calls(request.user))
    form = InboxFilterForm(request.GET or None, calls=calls,
                           fields=list(selectors.review_industry_fields()))
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.review_inbox_queryset(
        request.user, call=filters.get("call"), industry_field=filters.get("field"),
        status=filters.get("status", ""), text=(filters.get("q") or "").strip())
    page = selectors.review_inbox_page(queryset, request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    counts = selectors.review_status_counts(request.user, call=filters.get("call"))
    form.show_statuses(counts)
    return render(request, "reviews/inbox.html", {
        "form": form,
        "page": page,
        "query": urlencode(params),
        "calls": calls,
        "counts": counts,
        "today": timezone.localdate(),
    })


def _application(request, pk):
    """The application if it is routed to the official's department; 404 otherwise."""
    return get_object_or_404(application_with_details(
        selectors.applications_for_review(request.user)), pk=pk)


@require_http_methods(["GET", "POST"])
@keep_review_text_when_signed_out("reviews:review")
@official_only
def review(request, pk):
    application = _application(request, pk)
    draft = selectors.review_current_draft(application, application.routed_department_id)
    # 第八条: once the department's batch is with the commission, the page is read-only.
    batch_locked = batches.batch_is_locked(application.routed_department_id,
                                           application.call_id)
    decidable = application.status == ApplicationStatus.SUBMITTED and not batch_locked
    if request.method == "POST":
        # A second click on a decision goes where the first one led.
        form_token_check(request, purpose="district_review_decide",
                         fallback_url=reverse("reviews:review", args=[application.pk]))
        if batch_locked:
            messages.error(request, "本部门已报送该通知的推荐名单，初审结论已锁定。")
            return redirect("reviews:review", application.pk)
        if not decidable:
            messages.error(request, f"申报当前状态为“{application.get_status_display()}”，"
                                    "不能再保存或作出初审结论。")
            return redirect("reviews:review", application.pk)
        form = ReviewForm(request.POST, instance=draft or DistrictReview())
        intent = request.POST.get("intent", "draft")
        if intent not in INTENTS:
            intent = "draft"
        if form.is_valid():
            response = _save_and_decide(request, application, form, intent)
            if response is not None:
                return response
        else:
            messages.error(request, "部分内容有误，请按提示修改。")
    else:
        initial = {}
        if draft is None or draft.resubmit_by is None:
            initial["resubmit_by"] = services.resubmit_default_date(application.call)
        if decidable:
            # Put back as unsaved typing: only 保存草稿 or a decision writes it.
            initial.update(held_review_initial(request, application))
        form = ReviewForm(instance=draft, initial=initial)
    context = _review_context(request, application, form, decidable)
    context["batch_locked"] = batch_locked
    return render(request, "reviews/review.html", context)


def _save_and_decide(request, application, form, intent):
    data = {name: form.cleaned_data.get(name) for name in services.DRAFT_FIELDS}
    for name, value in data.items():
        if value is None and name != "resubmit_by":
            data[name] = ""
    try:
        services.review_save_draft(application=application, actor=request.user, data=data)
        if INTENTS[intent] is None:
            messages.success(request, "审查意见已保存为草稿。")
            return redirect("reviews:review", application.pk)
        with form_once(request, purpose="district_review_decide",
                       fallback_url=reverse("reviews:review", args=[application.pk])) as once:
            decided = services.review_decide(application=application, actor=request.user,
                                             outcome=INTENTS[intent],
                                             seen_digest=request.POST.get("seen", ""))
            once.result_url = reverse("reviews:review", args=[application.pk])
    except services.ReviewError as error:
        messages.error(request, f"审查意见已保存为草稿。{error}")
        return redirect("reviews:review", application.pk)
    messages.success(request, _decided_message(decided))
    return redirect("reviews:review", application.pk)


def _decided_message(review: DistrictReview) -> str:
    if review.outcome == ReviewOutcome.RETURNED:
        return (f"已退回修改，申报单位已收到退回理由，须于{review.resubmit_by:%Y年%m月%d日}"
                "（含当日）前重新提交。")
    if review.outcome == ReviewOutcome.RECOMMENDED:
        return f"已推荐，排在本部门推荐名单第{review.rank}位。"
    return "已作出不予推荐的初审结论。"


def _review_context(request, application, form, decidable):
    current = application_snapshot(application)
    returned = selectors.review_last_returned(application)
    diff = None
    if returned is not None and returned.snapshot and application.status != (
            ApplicationStatus.RETURNED):
        diff = snapshot_diff(returned.snapshot, current)
    organisation = application.organisation
    return {
        "application": application,
        "doc": documents.document_content(application, DocumentVariant.PACKAGE),
        "form": form,
        "decidable": decidable,
        "seen": snapshot_digest(current),
        "rounds": selectors.review_rounds(application),
        "returned": returned,
        "diff": diff,
        "history": application_timeline(application,
                                        list_hidden=application.held_until_notice),
        "route_status": organisation_route_status(organisation),
        "location_department": organisation_location_department(organisation),
        "today": timezone.localdate(),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
    }


@require_POST
@official_only
def return_many(request):
    """退回修改 of the ticked applications, each with the reasons of its own saved draft."""
    ids = [int(pk) for pk in request.POST.getlist("application") if pk.isdigit()]
    applications = list(selectors.applications_for_review(request.user)
                        .filter(pk__in=ids).select_related("call").order_by("pk"))
    if not applications:
        messages.error(request, "请先勾选要退回修改的申报。")
        return redirect("reviews:inbox")
    with form_once(request, purpose="district_review_return_many",
                   fallback_url=reverse("reviews:inbox")) as once:
        outcomes = services.reviews_return_many(applications=applications, actor=request.user)
        once.result_url = reverse("reviews:inbox")
    done = [a for a, error in outcomes if error is None]
    if done:
        messages.success(request, f"已退回修改 {len(done)} 件，各申报单位已分别收到本单位的退回理由。")
    for application, error in outcomes:
        if error:
            messages.error(request, f"“{application}”未退回：{error}")
    return redirect("reviews:inbox")


@require_GET
@official_only
@private_download
def attachment_download(request, pk, attachment_pk):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    audit_record(action="district_review.attachment_download", actor=request.user,
                 target=application, request=request,
                 after={"attachment": attachment.pk, "kind": attachment.kind,
                        "name": attachment.original_name, "sha256": attachment.sha256})
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.served_name, content_type=attachment.content_type)


@require_GET
@official_only
def ranking(request, call_pk):
    call = get_object_or_404(selectors.review_calls(request.user), pk=call_pk)
    department_ids = sorted(selectors.official_department_ids(request.user))
    lists = [{"department_id": d,
              "rows": list(selectors.recommendations(department_id=d, call_id=call.pk))}
             for d in department_ids]
    locked = any(batches.batch_is_locked(d, call.pk) for d in department_ids)
    return render(request, "reviews/ranking.html", {"call": call, "lists": lists,
                                                    "locked": locked})


@require_POST
@official_only
def ranking_move(request, review_pk):
    review = get_object_or_404(
        DistrictReview.objects.filter(department_id__in=selectors.official_department_ids(
            request.user)), pk=review_pk)
    ranking_url = reverse("reviews:ranking", args=[review.call_id])
    try:
        # A double click moves the row one place, not two.
        with form_once(request, purpose="district_review_reorder",
                       fallback_url=ranking_url) as once:
            services.recommendation_move(review=review, actor=request.user,
                                         direction=request.POST.get("direction", ""))
            once.result_url = ranking_url
    except services.ReviewError as error:
        messages.error(request, str(error))
    return redirect(ranking_url)
