"""Objection pages (第九条（四））: the public's form and lookup (no login), the commission's
list and handling page, the applicant's explanation page. Thin: the rules are in
centers.objections."""

from functools import wraps
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from applications.drafts import held_draft_hold_and_warn, held_draft_restore
from applications.models import Application
from core.audit import audit_record
from core.client_address import client_ip
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import objections, selectors
from .enums import DECIDED_OBJECTION_STATUSES, ObjectionStatus
from .models import ExplanationRequest, Objection, ObjectionFile, PublicNotice
from .notices import notice_is_open
from .objection_forms import (
    DecisionForm,
    ExplanationAnswerForm,
    ExplanationAskForm,
    InvestigationForm,
    LookupForm,
    ObjectionFilterForm,
    ObjectionForm,
)

FILED_SESSION_KEY = "objection_filed_number"
PAGE_SIZE = 30
LIST_COLUMNS = ("pk", "number", "status", "submitted_at", "decided_at", "notice_id",
                "notice__title")


# --- the public --------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def objection_new(request, pk):
    """提出异议: the form while the notice is open; outside its window the page says so and a
    post is refused by the service with the input kept."""
    notice = selectors.public_notice_get(pk)
    entries = notice.entries.filter(removed_at__isnull=True).order_by("position")
    form = ObjectionForm(request.POST or None, request.FILES or None, entries=entries)
    if request.method == "POST":
        form_token_check(request, purpose="objection_file",
                         fallback_url=reverse("centers:objection_filed"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                with form_once(request, purpose="objection_file",
                               fallback_url=reverse("centers:objection_filed")) as once:
                    filed = objections.objection_file(
                        notice=notice, entry_ids=[e.pk for e in data["entries"]],
                        real_name=data["real_name"], organisation=data["organisation"],
                        phone=data["phone"], email=data["email"], facts=data["facts"],
                        truthful=data["truthful"], files=data["files"],
                        ip_address=client_ip(request))
                    once.result_url = reverse("centers:objection_filed")
            except objections.ObjectionError as error:
                form.add_error(None, str(error))
            else:
                request.session[FILED_SESSION_KEY] = filed.number
                return redirect("centers:objection_filed")
        if request.FILES.getlist("files") and "files" not in form.errors:
            # A browser never sends a chosen file again: say so rather than drop it silently.
            form.add_error("files", "本次提交未成功，已选择的证明材料未保存，请重新选择后提交。")
    return render(request, "centers/objection_new.html", {
        "notice": notice, "form": form, "is_open": notice_is_open(notice)})


def objection_filed(request):
    """The acknowledgement number of the objection this browser just filed."""
    number = request.session.get(FILED_SESSION_KEY)
    if not number:
        return redirect("centers:objection_lookup")
    return render(request, "centers/objection_filed.html", {"number": number})


@require_http_methods(["GET", "POST"])
def objection_lookup(request):
    """异议查询: number and phone → status, and the decision once made. A wrong pair and an
    unknown number give the same answer; tries are limited per address."""
    form = LookupForm(request.POST or None)
    found, missed = None, False
    if request.method == "POST" and form.is_valid():
        if not objections.lookup_allowed(client_ip(request)):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        else:
            found = objections.objection_lookup(number=form.cleaned_data["number"],
                                                phone=form.cleaned_data["phone"])
            missed = found is None
    return render(request, "centers/objection_lookup.html", {
        "form": form, "found": found, "missed": missed,
        "decided": found is not None and found.status in DECIDED_OBJECTION_STATUSES})


# --- the commission ----------------------------------------------------------------------------

# A handling form posted after the session ended is not acted on; the login page says so
# instead of dropping the typed reason without a word.
HANDLING_EXPIRED_MESSAGE = "登录已超时，请重新登录。本次提交未处理，登录后请重新填写并提交。"


def commission_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("centers.handle_objection"):
            raise PermissionDenied("异议办理仅供市发展改革委工作人员使用。")
        return view(request, *args, **kwargs)

    guarded = login_required(checked)

    @wraps(view)
    def entry(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            messages.warning(request, HANDLING_EXPIRED_MESSAGE)
        return guarded(request, *args, **kwargs)

    return entry


@commission_only
def objection_list(request):
    """异议办理: every objection, newest first, filtered by notice and status (paginated)."""
    notices = list(PublicNotice.objects.filter(objections__isnull=False).distinct()
                   .order_by("-starts_on", "-id").values_list("pk", "title")[:100])
    form = ObjectionFilterForm(request.GET or None, notices=notices)
    rows = Objection.objects.order_by("-submitted_at", "-id")
    if form.is_valid():
        if form.cleaned_data["notice"]:
            rows = rows.filter(notice_id=form.cleaned_data["notice"])
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
    page = Paginator(rows.values(*LIST_COLUMNS), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(ObjectionStatus.choices)
    page.object_list = [{**row, "status_label": labels.get(row["status"], "")}
                        for row in page.object_list]
    return render(request, "centers/objection_list.html", {"form": form, "page": page})


def _handling_context(objection, **forms):
    entries = list(objection.entries.order_by("position"))
    return {
        "objection": objection, "entries": entries,
        "files": objection.files.order_by("pk"),
        "explanations": objection.explanation_requests.select_related("application")
        .order_by("asked_at", "pk"),
        "decided": objection.status in DECIDED_OBJECTION_STATUSES,
        "investigation_form": forms.get("investigation") or InvestigationForm(
            initial={"investigation": objection.investigation}),
        "ask_form": forms.get("ask") or ExplanationAskForm(entries=entries),
        "decision_form": forms.get("decision") or DecisionForm(),
    }


@commission_only
@require_http_methods(["GET", "POST"])
def objection_handle(request, pk):
    """One objection with the objector's identity (the commission's alone), its evidence, the
    explanations, and the forms: investigation, explanation request, decision."""
    objection = get_object_or_404(Objection.objects.select_related("notice"), pk=pk)
    here = reverse("centers:objection_handle", args=[pk])
    forms = {}
    if request.method == "POST":
        intent = request.POST.get("intent")
        try:
            if intent == "investigate":
                form = forms["investigation"] = InvestigationForm(request.POST)
                if form.is_valid():
                    objections.objection_investigate(
                        objection=objection, actor=request.user,
                        investigation=form.cleaned_data["investigation"])
                    messages.success(request, "调查核实情况已记录。")
                    return redirect(here)
            elif intent == "ask":
                entries = list(objection.entries.order_by("position"))
                form = forms["ask"] = ExplanationAskForm(request.POST, entries=entries)
                if form.is_valid():
                    form_token_check(request, purpose="explanation_ask", fallback_url=here)
                    entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
                    with form_once(request, purpose="explanation_ask", fallback_url=here) as once:
                        objections.explanation_ask(objection=objection, entry=entry,
                                                   actor=request.user,
                                                   question=form.cleaned_data["question"])
                        once.result_url = here
                    messages.success(request, "已请申报单位说明情况，并已通知申报单位。")
                    return redirect(here)
            elif intent == "decide":
                form = forms["decision"] = DecisionForm(request.POST)
                if form.is_valid():
                    decided = objections.objection_decide(
                        objection=objection, actor=request.user,
                        upheld=form.cleaned_data["outcome"] == "upheld",
                        reason=form.cleaned_data["reason"])
                    messages.success(request, f"已办结：{decided.get_status_display()}。")
                    return redirect(here)
        except objections.ObjectionError as error:
            messages.error(request, str(error))
            objection.refresh_from_db()
    return render(request, "centers/objection_handle.html",
                  _handling_context(objection, **forms))


@commission_only
@private_download
def objection_file_download(request, pk, file_pk):
    evidence = get_object_or_404(ObjectionFile, pk=file_pk, objection_id=pk)
    # Reading the objector's files leaves a trace.
    audit_record(action="objection_file.download", actor=request.user,
                 target=evidence.objection, request=request,
                 after={"file": evidence.pk, "name": evidence.original_name})
    suffix = PurePosixPath(evidence.file.name).suffix
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=f"证明材料{evidence.pk}{suffix}")


# --- the applicant -----------------------------------------------------------------------------

# The name under which an answer typed when the session ended is held (applications.drafts).
EXPLANATION_HELD_STEP = "explanation"  # HeldDraft.step holds 20 characters


def keep_answer_when_signed_out(view):
    """Nothing typed is lost: an answer posted after the session ended is held for the user
    its draft token names, the login page says so, and signed in again the page puts the
    text back (`applications.drafts`). Without this the login redirect dropped it silently."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            held_draft_hold_and_warn(request, application_id=pk, step=EXPLANATION_HELD_STEP)
            here = reverse("centers:explanations", args=[pk])
            return redirect(f"{reverse('login')}?{urlencode({'next': here})}")
        return view(request, pk, *args, **kwargs)

    return wrapper


@keep_answer_when_signed_out
@login_required
@require_http_methods(["GET", "POST"])
def explanations(request, pk):
    """情况说明: the commission's questions about the application, each answered once. The
    applicant sees the question only, never who objected nor what they wrote."""
    application = get_object_or_404(Application.objects.only("pk", "center_name",
                                                              "organisation_id"), pk=pk)
    if not request.user.has_perm("centers.answer_explanation", application):
        raise Http404("没有找到该申报。")
    rows = list(ExplanationRequest.objects.filter(application=application)
                .select_related("objection").order_by("asked_at", "pk"))
    forms = {}
    if request.method == "POST":
        explanation = next((r for r in rows if str(r.pk) == request.POST.get("request")), None)
        if explanation is None:
            raise Http404("没有找到该问题。")
        form = forms[explanation.pk] = ExplanationAnswerForm(request.POST)
        if form.is_valid():
            try:
                objections.explanation_answer(explanation=explanation, actor=request.user,
                                              answer=form.cleaned_data["answer"])
            except objections.ObjectionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "情况说明已提交。")
                return redirect("centers:explanations", pk)
    held = held_draft_restore(request, application=application,
                              step=EXPLANATION_HELD_STEP) or {}
    if held.get("answer") and held.get("request"):
        forms.setdefault(_int(held["request"][0]),
                         ExplanationAnswerForm(initial={"answer": held["answer"][0]}))
    items = [{"request": r, "open": r.answered_at is None
              and r.objection.status not in DECIDED_OBJECTION_STATUSES,
              "form": forms.get(r.pk) or ExplanationAnswerForm()} for r in rows]
    return render(request, "centers/objection_explanations.html",
                  {"application": application, "items": items})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
