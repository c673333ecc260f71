"""现场考察 pages: the commission's staff and the round's agency staff record a site visit and
upload its photos and files; the files are served privately, each read logged."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once

from . import site_visits
from .enums import RoundKind, SiteVerdict
from .models import ReviewRound, RoundEntry, SiteVisitFile
from .sheet_selectors import site_visit_of


def _round_for_recorder(request, round_pk):
    """The site-visit round if the user may record its visits; 403 for a user whose role has no
    business here, 404 for staff of another agency (they see nothing of other rounds)."""
    if not request.user.has_perm("experts.list_rounds"):
        raise PermissionDenied("现场考察记录仅供市发展改革委及受托第三方机构工作人员使用。")
    round_ = get_object_or_404(ReviewRound, pk=round_pk, kind=RoundKind.SITE_VISIT)
    if not request.user.has_perm("experts.record_site_visit", round_):
        raise Http404("没有找到该评审轮次。")
    return round_


def _entry(round_, application_pk):
    entry = get_object_or_404(RoundEntry.objects.select_related(
        "application", "application__organisation"), round=round_,
        application_id=application_pk)
    return entry.application


def _context(round_, application, visit, typed=None, error=""):
    chosen = typed.get("experts") if typed else (
        [e.pk for e in visit.experts_present.all()] if visit else [])
    return {
        "round": round_, "application": application, "visit": visit,
        "experts": site_visits.site_visit_experts(round_, application),
        "chosen": [int(i) for i in chosen if str(i).isdigit()],
        "verdicts": SiteVerdict.choices,
        "typed": typed or {
            "visited_on": visit.visited_on.isoformat() if visit else "",
            "findings": visit.findings if visit else "",
            "verdict": visit.verdict if visit else ""},
        "error": error, "accept": ACCEPT_ATTRIBUTE, "types": ALLOWED_LABELS,
    }


@require_http_methods(["GET", "POST"])
@login_required
def site_visit(request, round_pk, application_pk):
    round_ = _round_for_recorder(request, round_pk)
    application = _entry(round_, application_pk)
    visit = site_visit_of(round_, application)
    if request.method == "GET":
        return render(request, "experts/site_visit.html", _context(round_, application, visit))
    typed = {"visited_on": request.POST.get("visited_on", ""),
             "findings": request.POST.get("findings", ""),
             "verdict": request.POST.get("verdict", ""),
             "experts": request.POST.getlist("experts")}
    try:
        visited_on = datetime.date.fromisoformat(typed["visited_on"])
    except ValueError:
        visited_on = None
    url = reverse("experts:site_visit", args=[round_.pk, application.pk])
    try:
        with form_once(request, purpose="site_visit_record", fallback_url=url) as once:
            site_visits.site_visit_record(
                round_=round_, application=application, actor=request.user,
                visited_on=visited_on, findings=typed["findings"], verdict=typed["verdict"],
                expert_ids=[int(i) for i in typed["experts"] if i.isdigit()])
            once.result_url = url
    except site_visits.SiteVisitError as error:
        return render(request, "experts/site_visit.html",
                      _context(round_, application, visit, typed, str(error)))
    messages.success(request, "现场考察记录已保存。")
    return redirect(url)


@require_POST
@login_required
def site_visit_upload(request, round_pk, application_pk):
    round_ = _round_for_recorder(request, round_pk)
    application = _entry(round_, application_pk)
    url = reverse("experts:site_visit", args=[round_.pk, application.pk])
    visit = site_visit_of(round_, application)
    if visit is None:
        messages.error(request, "请先保存现场考察记录，再上传照片和文件。")
        return redirect(url)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的照片或文件。")
        return redirect(url)
    try:
        with form_once(request, purpose="site_visit_upload", fallback_url=url) as once:
            for uploaded in files:
                site_visits.site_visit_file_add(visit=visit, actor=request.user,
                                                uploaded_file=uploaded)
            once.result_url = url
    except site_visits.SiteVisitError as error:
        messages.error(request, f"{error}本次选择的文件均未上传。")
        return redirect(url)
    messages.success(request, f"已上传 {len(files)} 个文件。")
    return redirect(url)


@require_GET
@login_required
@private_download
def site_visit_file(request, pk):
    item = get_object_or_404(SiteVisitFile.objects.select_related("visit", "visit__round"),
                             pk=pk)
    _round_for_recorder(request, item.visit.round_id)
    audit_record(action="site_visit.file_download", actor=request.user, target=item.visit,
                 request=request, after={"file": item.pk, "name": item.original_name})
    return FileResponse(item.file.open("rb"), as_attachment=True,
                        filename=site_visits.site_visit_file_served_name(item),
                        content_type=site_visits.site_visit_file_type(item))
