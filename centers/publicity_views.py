"""宣传推介 pages (第十五条、第十九条): the public news and 典型案例; the center's cases (list, new,
edit with autosave, submit, withdraw); the 主管部门's read-only list of its centers' cases; the
commission's review queue (approve, return with a reason, withdraw). Thin: the rules are in
`centers.publicity`."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.drafts import (
    DRAFT_TOKEN_FIELD,
    EXPIRED_MESSAGE,
    HELD_MESSAGE,
    NOT_HELD_MESSAGE,
    draft_token_make,
    held_draft_keep,
    held_draft_restore,
    hold_when_signed_out,
)
from core.formtokens import form_once, form_token_check

from . import publicity as service
from .enums import ArticleKind, ArticleStatus, CaseStudyStatus
from .models import Article, CaseStudy, Center
from .publicity_forms import CaseForm, CaseReturnForm

PUBLIC_PAGE_SIZE = 20
PAGE_SIZE = 30
C = CaseStudyStatus


def _paginate(request, rows, size):
    return Paginator(rows, size).get_page(request.GET.get("page"))


# --- public ------------------------------------------------------------------------------------

@require_GET
def news_list(request):
    """新闻公告, for anyone: published items newest first, filtered by 栏目 (`?kind=`)."""
    kind = request.GET.get("kind") or ""
    if kind not in ArticleKind.values:
        kind = ""
    page = _paginate(request, service.articles_published(kind or None), PUBLIC_PAGE_SIZE)
    return render(request, "centers/publicity/news_list.html", {
        "page": page, "kind": kind, "kinds": ArticleKind.choices,
        "filter_query": urlencode({"kind": kind}) if kind else ""})


@require_GET
def news_detail(request, pk):
    """One published news item or announcement; 404 for a draft or a withdrawn one."""
    article = get_object_or_404(Article.objects.only(
        "pk", "kind", "title", "summary", "body", "published_at", "status"),
        pk=pk, status=ArticleStatus.PUBLISHED)
    return render(request, "centers/publicity/news_detail.html", {"article": article})


@require_GET
def case_public_list(request):
    """典型案例, for anyone: the cases the commission approved, those of centers in operation
    first; a case of a center revoked since is marked (`?scope=current|revoked` filters)."""
    scope = request.GET.get("scope") or ""
    if scope not in dict(service.CASE_SCOPES):
        scope = ""
    page = _paginate(request, service.cases_published(scope or None), PUBLIC_PAGE_SIZE)
    return render(request, "centers/publicity/case_public_list.html", {
        "page": page, "scope": scope, "scopes": service.CASE_SCOPES,
        "filter_query": urlencode({"scope": scope}) if scope else ""})


@require_GET
def case_public_detail(request, pk):
    """One published 典型案例, marked when its center was revoked since; 404 for anything not
    published (drafts above all)."""
    try:
        case = service.case_published_get(pk)
    except CaseStudy.DoesNotExist:
        raise Http404("没有找到该案例。") from None
    return render(request, "centers/publicity/case_public_detail.html", {"case": case})


# --- the center's unit -------------------------------------------------------------------------

def _own_center(request, pk) -> Center:
    center = get_object_or_404(Center.objects.only("pk", "name", "status", "application_id",
                                                   "department_id"), pk=pk)
    if not request.user.has_perm("centers.view_own_cases", center):
        raise PermissionDenied("只有赋能中心所在单位可以查看和填报本中心的典型案例。")
    return center


def _own_case(request, pk, case_pk) -> tuple[Center, CaseStudy]:
    center = _own_center(request, pk)
    case = get_object_or_404(CaseStudy, pk=case_pk, center=center)
    case.center = center
    return center, case


def held_step(case_pk: int | None) -> str:
    """The name a case's text is held under when the session ended (applications.drafts,
    HeldDraft of the center's application): `case<pk>`, or `casenew` for the new-case form."""
    return f"case{case_pk}" if case_pk else "casenew"


def _application_id(pk, *args, **kwargs):
    return Center.objects.filter(pk=pk).values_list("application_id", flat=True).first()


def _posted_version(post) -> int:
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1


def _login_url(next_url: str) -> str:
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


def _editor_context(request, center, step, autosave_url=None):
    return {
        "draft_token_field": DRAFT_TOKEN_FIELD,
        "draft_token": draft_token_make(user_id=request.user.pk,
                                        application_id=center.application_id, step=step),
        "autosave_url": autosave_url,
        "autosave_interval": settings.AUTOSAVE_INTERVAL_SECONDS,
        "session_age": settings.SESSION_COOKIE_AGE,
        "session_warning": settings.SESSION_WARNING_SECONDS,
        "login_url": _login_url(request.path),
        "page_token": secrets.token_urlsafe(8),
    }


@login_required
@require_GET
def case_list(request, pk):
    """典型案例 of one center, for its own unit: every case with its state, newest first."""
    center = _own_center(request, pk)
    page = _paginate(request, service.cases_of_center(center), PAGE_SIZE)
    return render(request, "centers/publicity/case_list.html", {
        "center": center, "page": page,
        "can_write": request.user.has_perm("centers.write_case", center)})


@require_http_methods(["GET", "POST"])
@hold_when_signed_out(
    application_id_of=_application_id,
    step_of=lambda *args, **kwargs: held_step(None),
    page_of=lambda pk, *args, **kwargs: reverse("centers:case_new", args=[pk]))
@login_required
def case_new(request, pk):
    """新增典型案例: a bad entry comes back with everything typed; a second click creates
    nothing (one-time form token); text posted after the session ended is held."""
    center = _own_center(request, pk)
    if not request.user.has_perm("centers.write_case", center):
        raise PermissionDenied("赋能中心不在运行中，不能填报典型案例。")
    fallback = reverse("centers:case_list", args=[center.pk])
    if request.method == "GET":
        held = held_draft_restore(request, application=center.application,
                                  step=held_step(None))
        form = CaseForm(initial={k: v[0] for k, v in held.items() if v} if held else None)
    else:
        form_token_check(request, purpose="case_create", fallback_url=fallback)
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                with form_once(request, purpose="case_create", fallback_url=fallback) as once:
                    case = service.case_create(center=center, actor=request.user,
                                               **form.cleaned_data)
                    once.result_url = reverse("centers:case_edit", args=[center.pk, case.pk])
            except service.PublicityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "案例草稿已保存。请继续完善，确认无误后提交市发展改革委审核。")
                return redirect(once.result_url)
    return render(request, "centers/publicity/case_form.html", {
        "center": center, "form": form, "case": None,
        **_editor_context(request, center, held_step(None))})


@require_http_methods(["GET", "POST"])
@hold_when_signed_out(
    application_id_of=_application_id,
    step_of=lambda pk, case_pk, *args, **kwargs: held_step(case_pk),
    page_of=lambda pk, case_pk, *args, **kwargs: reverse("centers:case_edit",
                                                          args=[pk, case_pk]))
@login_required
def case_edit(request, pk, case_pk):
    """One case of the center: its unit edits it (autosave, 保存, 提交审核) while it is a draft,
    returned or withdrawn; reads it and its history otherwise, and may withdraw it when
    published. A stale save (another tab saved first) keeps the typed text on the page."""
    center, case = _own_case(request, pk, case_pk)
    here = reverse("centers:case_edit", args=[center.pk, case.pk])
    step = held_step(case.pk)
    typed, version, stale = None, None, False
    if request.method == "GET":
        held = held_draft_restore(request, application=center.application, step=step)
        if held:
            typed = {k: v[0] for k, v in held.items() if v}
            version = _posted_version(typed)
        return _render_edit(request, center, case, typed=typed, version=version)

    intent = request.POST.get("intent", "save")
    if intent == "withdraw":
        try:
            service.case_withdraw(case=case, actor=request.user,
                                  reason=request.POST.get("reason", "").strip())
        except service.PublicityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "案例已撤回，公众不再能看到。可修改后重新提交审核。")
        return redirect(here)

    if intent == "submit":
        form_token_check(request, purpose="case_submit", fallback_url=here)
    form = CaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "部分内容有误，请按提示修改；本次未保存。")
        return _render_edit(request, center, case, form=form,
                          version=_posted_version(request.POST))
    try:
        saved = service.case_save(case=case, actor=request.user,
                                  expected_version=_posted_version(request.POST),
                                  **form.cleaned_data)
    except service.StaleCase as error:
        messages.error(request, str(error))
        case.refresh_from_db()
        typed, stale = form.cleaned_data, True
        return _render_edit(request, center, case, typed=typed, stale=stale)
    except service.PublicityError as error:
        messages.error(request, str(error))
        return _render_edit(request, center, case, form=form,
                          version=_posted_version(request.POST))
    if intent != "submit":
        messages.success(request, "已保存。")
        return redirect(here)
    try:
        with form_once(request, purpose="case_submit", fallback_url=here) as once:
            service.case_submit(case=saved, actor=request.user)
            once.result_url = here
    except service.PublicityError as error:
        messages.error(request, f"{error}（填写的内容已保存。）")
        return redirect(here)
    messages.success(request, "案例已提交市发展改革委审核。")
    return redirect(here)


def _render_edit(request, center, case, *, form=None, typed=None, version=None, stale=False):
    editable = (case.status in service.CASE_EDITABLE
                and request.user.has_perm("centers.submit_case", case))
    if form is None:
        initial = typed or {"title": case.title, "summary": case.summary, "body": case.body}
        form = CaseForm(initial=initial)
    return render(request, "centers/publicity/case_form.html", {
        "center": center, "case": case, "form": form, "editable": editable, "stale": stale,
        "version": case.version if version is None else version,
        "can_withdraw": (case.status == C.PUBLISHED
                         and request.user.has_perm("centers.withdraw_case", case)),
        "history": service.case_history(case),
        **_editor_context(request, center, held_step(case.pk),
                          reverse("centers:case_autosave", args=[center.pk, case.pk]))})


@require_POST
def case_autosave(request, pk, case_pk):
    """Saves the case while the unit types. JSON: `saved_at` (hh:mm), `invalid` (fields kept
    at their stored value because what is typed is not valid yet), `fields` (the new
    `version`) and a fresh draft token. 401 with the text held when the session has ended; 409
    when the save is refused (another tab saved first, submitted, published)."""
    step = held_step(case_pk)
    if not request.user.is_authenticated:
        application_id = _application_id(pk)
        held = None
        if application_id is not None and CaseStudy.objects.filter(pk=case_pk,
                                                                   center_id=pk).exists():
            held = held_draft_keep(application_id=application_id, step=step, post=request.POST)
        return JsonResponse({
            "expired": True, "held": held is not None,
            "message": HELD_MESSAGE if held else NOT_HELD_MESSAGE, "title": EXPIRED_MESSAGE,
            "login_url": _login_url(reverse("centers:case_edit", args=[pk, case_pk]))},
            status=401)
    center, case = _own_case(request, pk, case_pk)
    if not request.user.has_perm("centers.submit_case", case):
        raise PermissionDenied("赋能中心不在运行中，不能修改典型案例。")
    form = CaseForm(request.POST)
    form.is_valid()
    data, invalid = {}, []
    for name, stored in (("title", case.title), ("summary", case.summary), ("body", case.body)):
        if name in form.errors or name not in request.POST:
            data[name] = stored  # a timer never blanks a field nor saves what is not valid
            if name in form.errors:
                invalid.append(str(form.fields[name].label))
        else:
            data[name] = form.cleaned_data[name]
    try:
        saved = service.case_save(case=case, actor=request.user,
                                  expected_version=_posted_version(request.POST), **data)
    except service.PublicityError as error:
        return JsonResponse({"message": f"自动保存未成功：{error}"}, status=409)
    return JsonResponse({
        "saved_at": f"{timezone.localtime():%H:%M}", "invalid": invalid,
        "fields": {"version": saved.version},
        "token": draft_token_make(user_id=request.user.pk, application_id=center.application_id,
                                  step=step)})


# --- the 主管部门 -------------------------------------------------------------------------------

DISTRICT_FILTERS = [("all", "全部"), (C.SUBMITTED, "待审核"), (C.RETURNED, "退回修改"),
                    (C.PUBLISHED, "已发布"), (C.WITHDRAWN, "已撤回")]


def _district_only(request):
    if not request.user.has_perm("centers.view_district_cases"):
        raise PermissionDenied("该页面仅供主管部门工作人员使用。")


@login_required
@require_GET
def district_case_list(request):
    """本部门赋能中心的典型案例 (第十一条): read-only, the cases of the centers of the official's own
    主管部门 in every state but a draft, with the state shown; filter `?status=`."""
    _district_only(request)
    status = request.GET.get("status") or "all"
    if status not in dict(DISTRICT_FILTERS):
        status = "all"
    page = _paginate(request, service.cases_for_district(
        request.user, None if status == "all" else status), PAGE_SIZE)
    return render(request, "centers/publicity/case_district_list.html", {
        "page": page, "status": status, "filters": DISTRICT_FILTERS,
        "filter_query": urlencode({"status": status}) if status != "all" else ""})


@login_required
@require_GET
def district_case_detail(request, pk):
    """One case of a center of the official's 主管部门, read-only, with its history; a case
    not public is another organisation's file: its read is audited. 404 for a draft or
    another department's case."""
    _district_only(request)
    try:
        case = service.case_for_district(user=request.user, pk=pk)
    except CaseStudy.DoesNotExist:
        raise Http404("没有找到该案例。") from None
    return render(request, "centers/publicity/case_district_detail.html", {
        "case": case, "history": service.case_history(case)})


# --- the commission ----------------------------------------------------------------------------

QUEUE_FILTERS = [(C.SUBMITTED, "待审核"), (C.RETURNED, "退回修改"), (C.PUBLISHED, "已发布"),
                 (C.WITHDRAWN, "已撤回"), ("all", "全部")]


@login_required
@require_GET
def case_queue(request):
    """典型案例审核: the cases sent to the commission (never a draft), 待审核 first and oldest
    waiting first; filter by state (`?status=`, "all" for every one)."""
    if not request.user.has_perm("centers.review_case"):
        raise PermissionDenied("只有市发展改革委工作人员可以审核典型案例。")
    status = request.GET.get("status") or C.SUBMITTED
    if status not in dict(QUEUE_FILTERS):
        status = C.SUBMITTED
    page = _paginate(request, service.cases_for_commission(None if status == "all" else status),
                     PAGE_SIZE)
    return render(request, "centers/publicity/case_queue.html", {
        "page": page, "status": status, "filters": QUEUE_FILTERS,
        "filter_query": urlencode({"status": status})})


@login_required
@require_http_methods(["GET", "POST"])
def case_review(request, pk):
    """One case for the commission: 审核通过并发布, 退回修改 (reason required), or 撤回 a
    published one. A draft is the unit's own (404); a second click decides nothing twice."""
    if not request.user.has_perm("centers.review_case"):
        raise PermissionDenied("只有市发展改革委工作人员可以审核典型案例。")
    case = get_object_or_404(CaseStudy.objects.select_related("center"), pk=pk)
    if case.status == C.DRAFT:
        raise Http404("没有找到该案例。")
    here = reverse("centers:case_review", args=[case.pk])
    return_form = CaseReturnForm()
    if request.method == "POST":
        intent = request.POST.get("intent")
        form_token_check(request, purpose="case_review", fallback_url=here)
        try:
            if intent == "approve":
                with form_once(request, purpose="case_review", fallback_url=here) as once:
                    service.case_approve(case=case, actor=request.user)
                    once.result_url = here
                messages.success(request, "案例已审核通过，已在“典型案例”栏目发布。")
                return redirect(here)
            if intent == "return":
                return_form = CaseReturnForm(request.POST)
                if return_form.is_valid():
                    with form_once(request, purpose="case_review", fallback_url=here) as once:
                        service.case_return(case=case, actor=request.user,
                                            reason=return_form.cleaned_data["reason"])
                        once.result_url = here
                    messages.success(request, "案例已退回赋能中心修改。")
                    return redirect(here)
            elif intent == "withdraw":
                with form_once(request, purpose="case_review", fallback_url=here) as once:
                    service.case_withdraw(case=case, actor=request.user,
                                          reason=request.POST.get("reason", "").strip())
                    once.result_url = here
                messages.success(request, "案例已撤回，公众不再能看到。")
                return redirect(here)
        except service.PublicityError as error:
            messages.error(request, str(error))
            case.refresh_from_db()
    return render(request, "centers/publicity/case_review.html", {
        "case": case, "return_form": return_form, "history": service.case_history(case)})
