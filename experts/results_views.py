"""The commission's results pages of a round (第九条（三）): the ranking with every sheet, the
disagreement resolution, the proposed list (拟评定名单) and the exports."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once

from . import results, results_exports, results_selectors
from .enums import ProposedListStatus, RoundStatus
from .models import ResultsDocument, ReviewRound, RoundEntry
from .subjects import makes_proposed_list, subject_rule

DEFAULT_TOP = 10


def results_staff(view):
    """Anonymous visitors go to the login page; everybody without experts.view_results (the
    commission's staff) gets the 403 page; an unknown round is 404."""

    @wraps(view)
    def checked(request, pk, *args, **kwargs):
        if not request.user.has_perm("experts.view_results"):
            raise PermissionDenied("评审结果仅供市发展改革委工作人员查看。")
        round_ = get_object_or_404(ReviewRound.objects.select_related("call"), pk=pk)
        return view(request, round_, *args, **kwargs)

    return login_required(checked)


def _field_id(request):
    value = request.GET.get("field", "")
    return int(value) if value.isdigit() else None


@require_GET
@results_staff
def round_results(request, round_):
    field_id = _field_id(request)
    data = results_selectors.results_page(round_, field_id=field_id,
                                          page_number=request.GET.get("page"))
    return render(request, "experts/results.html", {
        "round": round_, **data, "field_id": field_id,
        "proposed": results_selectors.proposed_list_of(round_),
        "documents": list(round_.results_documents.only(
            "pk", "status", "requested_at", "rendered_at", "round_id")[:3]),
        "closed": round_.status == RoundStatus.CLOSED,
        "can_resolve": request.user.has_perm("experts.resolve_disagreement", round_),
        "makes_list": makes_proposed_list(round_), "subject_rule": subject_rule(round_),
    })


@require_GET
@results_staff
def round_entry(request, round_, entry_pk):
    data = results_selectors.entry_detail(round_, entry_pk)
    if data is None:
        raise Http404("本轮评审没有该参评申报。")
    return render(request, "experts/results_entry.html", {
        "round": round_, **data, "closed": round_.status == RoundStatus.CLOSED})


@require_POST
@results_staff
def entry_resolve(request, round_, entry_pk):
    entry = get_object_or_404(RoundEntry.objects.select_related("round"), pk=entry_pk,
                              round=round_)
    url = reverse("experts:round_results", args=[round_.pk]) + f"#entry-{entry.pk}"
    try:
        with form_once(request, purpose="round_entry_resolve", fallback_url=url) as once:
            results.entry_resolve(entry=entry, actor=request.user,
                                  note=request.POST.get("note", ""))
            once.result_url = url
        messages.success(request, "已记录分歧处理意见。")
    except results.ResultsError as error:
        messages.error(request, str(error))
    return redirect(url)


def _proposed_rows(round_, proposed, data=None, top=DEFAULT_TOP):
    entries = list(results_selectors.entries_ordered(round_))
    kept = {}
    if proposed is not None:
        kept = {e.application_id: e.note for e in proposed.entries.all()}
    rows = []
    for entry in entries:
        if data is not None:
            chosen = str(entry.application_id) in data.getlist("chosen")
            note = data.get(f"note_{entry.application_id}", "")
        elif proposed is not None:
            chosen, note = entry.application_id in kept, kept.get(entry.application_id, "")
        else:
            chosen = (entry.rank_in_call is not None and entry.rank_in_call <= top
                      and not entry.flag_open)
            note = ""
        rows.append({"entry": entry, "chosen": chosen, "note": note})
    return rows


@require_http_methods(["GET", "POST"])
@results_staff
def proposed_list(request, round_):
    if not makes_proposed_list(round_):
        raise Http404("运行评价的专家评分不形成拟评定名单。")
    proposed = results_selectors.proposed_list_of(round_)
    page_url = reverse("experts:proposed_list", args=[round_.pk])
    frozen = proposed is not None and proposed.status == ProposedListStatus.FROZEN
    if request.method == "POST" and not frozen:
        if not request.user.has_perm("experts.decide_proposed_list", round_):
            raise PermissionDenied("只有市发展改革委工作人员可以确定拟评定名单。")
        chosen = [{"application_id": int(pk), "note": request.POST.get(f"note_{pk}", "")}
                  for pk in request.POST.getlist("chosen") if pk.isdigit()]
        try:
            with form_once(request, purpose="proposed_list", fallback_url=page_url) as once:
                saved = results.proposed_list_save(round=round_, actor=request.user,
                                                   chosen=chosen,
                                                   note=request.POST.get("note", ""))
                if request.POST.get("intent") == "freeze":
                    results.proposed_list_freeze(proposed_list=saved, actor=request.user)
                    messages.success(request, "拟评定名单已确定并锁定。")
                else:
                    messages.success(request, "已保存拟评定名单草稿。")
                once.result_url = page_url
            return redirect(page_url)
        except results.ResultsError as error:
            messages.error(request, str(error))
            return render(request, "experts/proposed_list.html", {
                "round": round_, "proposed": proposed, "frozen": False,
                "rows": _proposed_rows(round_, proposed, request.POST),
                "note": request.POST.get("note", "")}, status=400)
    if request.method == "POST":
        messages.error(request, "拟评定名单已确定，不能再修改。")
        return redirect(page_url)
    top = request.GET.get("top", "")
    return render(request, "experts/proposed_list.html", {
        "round": round_, "proposed": proposed, "frozen": frozen,
        "rows": _proposed_rows(round_, proposed,
                               top=int(top) if top.isdigit() else DEFAULT_TOP),
        "note": proposed.note if proposed else "", "top": top or DEFAULT_TOP})


def _xlsx(request, round_, content: bytes, name: str, action: str):
    audit_record(action=action, actor=request.user, target=round_, request=request)
    response = HttpResponse(content, content_type=results_exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(f"{name}-{round_.title}.xlsx")
    return response


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


@require_GET
@private_download
@results_staff
def results_summary_xlsx(request, round_):
    return _xlsx(request, round_, results_exports.summary_workbook(round_), "评审结果汇总",
                 "review_round.summary_export")


@require_GET
@private_download
@results_staff
def results_sheets_xlsx(request, round_):
    return _xlsx(request, round_, results_exports.expert_sheets_workbook(round_), "专家评分表",
                 "review_round.sheets_export")


@require_POST
@results_staff
def results_pdf_request(request, round_):
    url = reverse("experts:round_results", args=[round_.pk]) + "#exports"
    try:
        with form_once(request, purpose="results_pdf", fallback_url=url) as once:
            results.results_pdf_request(round=round_, actor=request.user)
            once.result_url = url
        messages.success(request, "已开始生成专家评分汇总表，请稍后刷新页面下载。")
    except results.ResultsError as error:
        messages.error(request, str(error))
    return redirect(url)


@require_GET
@private_download
@results_staff
def results_pdf_download(request, round_, doc_pk):
    document = get_object_or_404(ResultsDocument, pk=doc_pk, round=round_)
    if document.status != ResultsDocument.Status.READY or not document.file:
        raise Http404("专家评分汇总表尚未生成。")
    audit_record(action="review_round.results_pdf_download", actor=request.user,
                 target=round_, request=request)
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=f"专家评分汇总表-{round_.title}.pdf",
                        content_type="application/pdf")
