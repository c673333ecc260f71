"""The expert's pages (第九条（三）): their list, the commitment or recusal, the application,
the score sheet with its autosave; and the commission's reopening of a sheet.

Anything that is not the expert's own live assignment in an open round is 404
(`sheet_selectors.expert_assignment_get`), whatever it is."""

import secrets
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import documents
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
from applications.enums import DocumentVariant
from applications.models import Application, Attachment
from applications.selectors import application_with_details
from core.audit import audit_record
from core.downloads import private_download
from core.forms import posted_version, score_row_values
from core.formtokens import form_once, form_token_check
from core.transitions import TransitionNotAllowed, status_history

from . import sheet_selectors as selectors
from . import sheets
from .conflicts import conflict_labels
from .enums import AssignmentStatus, RoundPurpose, SheetStatus
from .models import Assignment, ExpertDeclaration
from .subjects import subject_panel

# The recusal form's choices: a plain recusal, or one of the declarations (ExpertDeclaration).
RECUSE_PLAIN = "recuse"
RECUSE_CHOICES = ((RECUSE_PLAIN, "主动回避（说明理由）"), *ExpertDeclaration.Kind.choices)


def expert_only(view):
    """Signed-out visitors go to the login page; a user who is no expert gets the 403 page;
    everything else is decided by the assignment (404 when not theirs)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("experts.view_own_assignments"):
            raise PermissionDenied("评审任务页面仅供评审专家使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def held_step(assignment_pk: int) -> str:
    """The name a sheet's text is held under when the session ended (applications.drafts)."""
    return f"sheet{assignment_pk}"


def _sheet_application_id(pk, *args, **kwargs):
    return Assignment.objects.filter(pk=pk).values_list("application_id", flat=True).first()


# Nothing typed is lost: a sheet posted after the session ended is held for the user its draft
# token names; signed in again, the sheet page puts it back (unsaved, with its version).
keep_sheet_text_when_signed_out = hold_when_signed_out(
    application_id_of=_sheet_application_id,
    step_of=lambda pk, *args, **kwargs: held_step(pk),
    page_of=lambda pk, *args, **kwargs: reverse("experts:sheet", args=[pk]))


# --- the list -------------------------------------------------------------------------------

@require_GET
@expert_only
def my_assignments(request):
    page = selectors.expert_assignment_page(request.user, request.GET.get("page"))
    return render(request, "experts/expert/list.html", {"page": page, "now": timezone.now()})


# --- commitment and recusal -----------------------------------------------------------------

@require_GET
@expert_only
def assignment(request, pk):
    """Before the commitment: the 承诺书; after it, the sheet."""
    item = selectors.expert_assignment_get(request.user, pk)
    if blocked := _conflict_refusal(request, item):
        return blocked
    if item.status == AssignmentStatus.COMMITTED:
        return redirect("experts:sheet", item.pk)
    return render(request, "experts/expert/commitment.html", {
        "assignment": item, "commitment_text": sheets.commitment_text(item.round)})


@require_POST
@expert_only
def commit(request, pk):
    item = selectors.expert_assignment_get(request.user, pk)
    if blocked := _conflict_refusal(request, item):
        return blocked
    if item.status == AssignmentStatus.COMMITTED:
        return redirect("experts:sheet", item.pk)
    try:
        sheets.assignment_commit(assignment=item, actor=request.user,
                                 accepted=request.POST.get("accept") == "on")
    except (sheets.SheetError, TransitionNotAllowed) as error:
        return render(request, "experts/expert/commitment.html", {
            "assignment": item, "commitment_text": sheets.commitment_text(item.round),
            "commit_error": str(error)})
    materials = "评价材料" if item.round.purpose == RoundPurpose.EVALUATION else "申报材料"
    messages.success(request, f"已确认回避与保密承诺，现在可以查看{materials}并评分。")
    return redirect("experts:sheet", item.pk)


@require_http_methods(["GET", "POST"])
@expert_only
def recuse(request, pk):
    item = selectors.expert_assignment_get(request.user, pk)
    typed = {"kind": request.POST.get("kind", RECUSE_PLAIN), "reason": request.POST.get(
        "reason", "")}
    error = ""
    if request.method == "POST":
        try:
            if typed["kind"] == RECUSE_PLAIN:
                sheets.assignment_recuse(assignment=item, actor=request.user,
                                         reason=typed["reason"])
            else:
                sheets.assignment_declare(assignment=item, actor=request.user,
                                          kind=typed["kind"], note=typed["reason"])
        except (sheets.SheetError, TransitionNotAllowed) as problem:
            error = str(problem)
        else:
            messages.success(request, "已回避该评审任务，市发展改革委将另行安排专家。感谢您的如实申报。")
            return redirect("experts:my_assignments")
    return render(request, "experts/expert/recuse.html", {
        "assignment": item, "choices": RECUSE_CHOICES, "typed": typed, "error": error})


# --- the application ------------------------------------------------------------------------

def _conflict_refusal(request, item):
    """None, or the page (403) saying a conflict found since the assignment bars it: the
    expert reads no material and scores nothing, and is asked to recuse."""
    sources = selectors.assignment_conflicts(item)
    if not sources:
        return None
    return render(request, "experts/expert/conflict.html", {
        "assignment": item, "labels": conflict_labels(sources)}, status=403)


def _committed(request, pk):
    """The expert's committed assignment, or a redirect to the commitment page, or the
    conflict page."""
    item = selectors.expert_assignment_get(request.user, pk)
    if blocked := _conflict_refusal(request, item):
        return item, blocked
    if item.status != AssignmentStatus.COMMITTED:
        return item, redirect("experts:assignment", item.pk)
    return item, None


@require_GET
@expert_only
def application(request, pk):
    item, to_commit = _committed(request, pk)
    if to_commit:
        return to_commit
    subject = subject_panel(item.round, item.application_id)
    if subject is not None:
        return render(request, "experts/expert/subject.html", {
            "assignment": item, "subject": subject})
    app = application_with_details(Application.objects.all()).get(pk=item.application_id)
    return render(request, "experts/expert/application.html", {
        "assignment": item, "application": app,
        "doc": documents.document_content(app, DocumentVariant.PACKAGE)})


@require_GET
@expert_only
@private_download
def attachment(request, pk, attachment_pk):
    item, to_commit = _committed(request, pk)
    if to_commit:
        return to_commit
    file = get_object_or_404(Attachment, pk=attachment_pk, application_id=item.application_id)
    # Reading an applicant's file is part of the record (who, when, which file).
    audit_record(action="expert_review.attachment_download", actor=request.user,
                 target=item.application, request=request,
                 after={"assignment": item.pk, "attachment": file.pk, "kind": file.kind,
                        "name": file.original_name, "sha256": file.sha256})
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.served_name,
                        content_type=file.content_type)


# --- the score sheet ------------------------------------------------------------------------

def _sheet_gone(request, item):
    """Nothing typed is lost: a sheet posted after its assignment was withdrawn (or recused,
    or the round ended) is not saved, and the page gives back what was typed."""
    criteria = sheets.round_criteria(item.round)
    entries = posted_entries(request.POST, criteria)
    typed = [(c.name, entries[c.pk]["value"], entries[c.pk]["comment"]) for c in criteria]
    return render(request, "experts/expert/sheet_gone.html", {
        "assignment": item, "typed": typed,
        "overall_comment": request.POST.get("overall_comment", "")}, status=409)


def posted_entries(post, criteria) -> dict:
    """{criterion pk: {"value", "comment"}} from the sheet form's fields."""
    return {c.pk: {"value": post.get(f"score_{c.pk}", ""),
                   "comment": post.get(f"comment_{c.pk}", "")} for c in criteria}


def _rows(criteria, stored, typed=None, problems=None, beside=None):
    rows = []
    for c in criteria:
        score = stored.get(c.pk)
        value, comment = score_row_values(score, (typed or {}).get(c.pk), "comment")
        rows.append({"criterion": c, "value": value, "comment": comment,
                     "stored": score, "errors": (problems or {}).get(c.pk, []),
                     "beside": (beside or {}).get(c.pk)})
    return rows


def _sheet_context(request, item, sheet, *, typed=None, typed_overall=None, version=None,
                   problems=None, stale=False, page=""):
    criteria = sheets.round_criteria(item.round)
    stored = {s.criterion_id: s for s in sheet.scores.all()}
    editable = (sheet.status == SheetStatus.DRAFT
                and not sheets.round_deadline_passed(item.round))
    step = held_step(item.pk)
    # A round of another purpose (运行评价) shows its subject beside the scores.
    subject = subject_panel(item.round, item.application_id,
                            {pk: s.value for pk, s in stored.items()})
    return {
        "assignment": item, "sheet": sheet, "criteria": criteria, "subject": subject,
        "rows": _rows(criteria, stored, typed, problems,
                      subject["beside"] if subject else None),
        "overall_comment": sheet.overall_comment if typed_overall is None else typed_overall,
        "overall_errors": (problems or {}).get("overall_comment", []),
        "version": sheet.version if version is None else version,
        # One rendering of the form: its own saves never make it stale (sheets.sheet_save).
        "page_token": page or secrets.token_urlsafe(24),
        "editable": editable, "stale": stale,
        "reopened": (status_history(sheet).filter(transition="reopen").last()
                     if sheet.status == SheetStatus.DRAFT else None),
        "deadline_passed": sheets.round_deadline_passed(item.round),
        "draft_token_field": DRAFT_TOKEN_FIELD,
        "draft_token": draft_token_make(user_id=request.user.pk,
                                        application_id=item.application_id, step=step),
        "autosave_url": reverse("experts:sheet_autosave", args=[item.pk]),
        "autosave_interval": settings.AUTOSAVE_INTERVAL_SECONDS,
        "session_age": settings.SESSION_COOKIE_AGE,
        "session_warning": settings.SESSION_WARNING_SECONDS,
        "login_url": (f"{reverse(settings.LOGIN_URL)}?"
                      f"{urlencode({'next': reverse('experts:sheet', args=[item.pk])})}"),
    }


@require_http_methods(["GET", "POST"])
@keep_sheet_text_when_signed_out
@expert_only
def sheet(request, pk):
    try:
        item, to_commit = _committed(request, pk)
    except Http404:
        gone = (selectors.expert_assignment_gone(request.user, pk)
                if request.method == "POST" else None)
        if gone is None:
            raise
        return _sheet_gone(request, gone)
    if to_commit:
        return to_commit
    try:
        current = sheets.sheet_open(assignment=item, actor=request.user)
    except sheets.SheetError as error:
        messages.error(request, str(error))
        return redirect("experts:assignment", item.pk)
    if request.method == "GET":
        held = held_draft_restore(request, application=item.application, step=held_step(item.pk))
        if held and current.status == SheetStatus.DRAFT:
            criteria = sheets.round_criteria(item.round)
            flat = {name: values[0] if values else "" for name, values in held.items()}
            return render(request, "experts/expert/sheet.html", _sheet_context(
                request, item, current, typed=posted_entries(flat, criteria),
                typed_overall=flat.get("overall_comment", ""),
                version=posted_version(flat), page=flat.get("page", "")))
        return render(request, "experts/expert/sheet.html",
                      _sheet_context(request, item, current))

    submit = request.POST.get("intent") == "submit"
    url = reverse("experts:sheet", args=[item.pk])
    if submit:
        form_token_check(request, purpose="score_sheet_submit", fallback_url=url)
    criteria = sheets.round_criteria(item.round)
    entries = posted_entries(request.POST, criteria)
    overall = request.POST.get("overall_comment", "")
    version = posted_version(request.POST)
    page = request.POST.get("page", "")
    try:
        if submit:
            with form_once(request, purpose="score_sheet_submit", fallback_url=url) as once:
                sheets.sheet_save(sheet=current, actor=request.user, entries=entries,
                                  overall_comment=overall, version=version, submit=True,
                                  page=page)
                once.result_url = url
            messages.success(request, "评分表已提交。提交后不能修改；如需更正，请联系市发展改革委。")
        else:
            sheets.sheet_save(sheet=current, actor=request.user, entries=entries,
                              overall_comment=overall, version=version, page=page)
            messages.success(request, "评分表草稿已保存。")
        return redirect(url)
    except sheets.StaleSheet as error:
        messages.error(request, str(error))
        current.refresh_from_db()
        # The typed text stays in the form; the version is the stored one now, so the next
        # save is the expert's informed choice.
        context = _sheet_context(request, item, current, typed=entries, typed_overall=overall,
                                 stale=True)
    except (sheets.SheetError, TransitionNotAllowed) as error:
        messages.error(request, str(error))
        context = _sheet_context(request, item, current, typed=entries, typed_overall=overall,
                                 version=version, problems=getattr(error, "errors", {}),
                                 page=page)
    return render(request, "experts/expert/sheet.html", context, status=200)


@require_POST
def sheet_autosave(request, pk):
    """Saves the sheet's draft while the expert types. JSON: `saved_at`, the criteria not saved
    because what is typed there is not valid yet (`invalid`), `fields` (the new `version`) and
    a fresh draft token. 401 with the text held when the session has ended; 409 when the save
    is refused (another tab saved first, the sheet was reopened or submitted, the deadline
    passed); 404 when not the expert's live assignment."""
    step = held_step(pk)
    if not request.user.is_authenticated:
        application_id = (Assignment.objects.filter(pk=pk)
                          .values_list("application_id", flat=True).first())
        held = None
        if application_id is not None:
            held = held_draft_keep(application_id=application_id, step=step, post=request.POST)
        login = (f"{reverse(settings.LOGIN_URL)}?"
                 f"{urlencode({'next': reverse('experts:sheet', args=[pk])})}")
        return JsonResponse({"expired": True, "held": held is not None,
                             "message": HELD_MESSAGE if held else NOT_HELD_MESSAGE,
                             "title": EXPIRED_MESSAGE, "login_url": login}, status=401)
    if not request.user.has_perm("experts.view_own_assignments"):
        raise PermissionDenied("评审任务页面仅供评审专家使用。")
    item, to_commit = _committed(request, pk)
    current = selectors.assignment_sheet(item) if to_commit is None else None
    if current is None:
        return JsonResponse({"message": "请先打开评分表。"}, status=409)
    criteria = sheets.round_criteria(item.round)
    entries = posted_entries(request.POST, criteria)
    _, problems = sheets.sheet_problems(criteria, entries, complete=False)
    # What is not valid yet keeps its stored value: a timer never blanks a score.
    stored = {s.criterion_id: s for s in current.scores.all()}
    for criterion_pk in problems:
        score = stored.get(criterion_pk)
        entries[criterion_pk] = {
            "value": "" if score is None or score.value is None else str(score.value),
            "comment": "" if score is None else score.comment}
    try:
        saved = sheets.sheet_save(sheet=current, actor=request.user, entries=entries,
                                  overall_comment=request.POST.get("overall_comment", ""),
                                  version=posted_version(request.POST),
                                  page=request.POST.get("page", ""))
    except sheets.SheetError as error:
        return JsonResponse({"message": f"自动保存未成功：{error}"}, status=409)
    names = {c.pk: c.name for c in criteria}
    return JsonResponse({
        "saved_at": f"{timezone.localtime():%H:%M}",
        "invalid": [names[p] for p in problems if p in names],
        "fields": {"version": saved.version},
        "token": draft_token_make(user_id=request.user.pk, application_id=item.application_id,
                                  step=step),
    })


# --- the commission: reopening a sheet ------------------------------------------------------

@require_http_methods(["GET", "POST"])
@login_required
def sheet_reopen(request, pk):
    """重新开放 a submitted sheet with a reason (logged, the expert told)."""
    if not request.user.has_perm("experts.reopen_sheet"):
        raise PermissionDenied("只有市发展改革委工作人员可以重新开放评分表。")
    current = selectors.sheet_for_commission(pk)
    reason = request.POST.get("reason", "")
    error = ""
    if request.method == "POST":
        try:
            sheets.sheet_reopen(sheet=current, actor=request.user, reason=reason)
        except TransitionNotAllowed as problem:
            error = str(problem)
        else:
            messages.success(request, "评分表已重新开放，已通知该专家。")
            return redirect("experts:sheet_reopen", current.pk)
    return render(request, "experts/commission/sheet_reopen.html", {
        "sheet": current, "assignment": current.assignment, "reason": reason, "error": error,
        "scores": current.scores.select_related("criterion").order_by("criterion__order")})
