"""The center's 运行自评估报告 pages (第十七条、第十八条): its evaluations, the materials form
(figures pre-filled, self-scores with notes, evidence per indicator, autosave, text held when the
session ends) and the evidence downloads. Thin: the rules are in `evaluations.materials`."""

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
from centers.evidence import evidence_read
from centers.models import Center
from centers.rules import is_member_of_center_unit
from core.downloads import private_download
from core.forms import posted_version, score_row_values
from core.formtokens import form_once, form_token_check
from core.text import clean_text

from . import materials as service
from . import selectors_materials as selectors
from .errors import EvaluationError
from .material_forms import EvidenceForm
from .models import Evaluation, EvaluationFile, Indicator


def held_step(evaluation_pk: int) -> str:
    """The name the materials' text is held under when the session ended (applications.drafts,
    HeldDraft of the center's application)."""
    return f"eval{evaluation_pk}"


def _application_id(pk: int):
    return (Evaluation.objects.filter(pk=pk)
            .values_list("center__application_id", flat=True).first())


# Nothing typed is lost: materials posted after the session ended are held for the user the
# draft token names; signed in again, the page puts them back as unsaved typing.
keep_text_when_signed_out = hold_when_signed_out(
    application_id_of=lambda pk, *args, **kwargs: _application_id(pk),
    step_of=lambda pk, *args, **kwargs: held_step(pk),
    page_of=lambda pk, *args, **kwargs: reverse("evaluations:materials", args=[pk]))


def _evaluation(request, pk) -> Evaluation:
    """The evaluation if the user may read its materials: 404 when it does not exist or is a
    draft read by another than its unit, 403 for anyone without business on it."""
    try:
        evaluation = selectors.evaluation_for_materials(pk)
    except Evaluation.DoesNotExist:
        raise Http404("没有找到该年度评价。") from None
    if selectors.materials_readable(request.user, evaluation):
        return evaluation
    if request.user.has_perm("evaluations.view_evaluation", evaluation):
        raise Http404("该赋能中心尚未报送评价材料。")
    raise PermissionDenied("您无权查看该赋能中心的评价材料。")


# --- the center's list ------------------------------------------------------------------------

@login_required
@require_GET
def center_evaluations(request, pk):
    """年度评价 of one center, newest first: its unit, its 主管部门 and the commission."""
    center = get_object_or_404(Center.objects.only("pk", "name", "status", "application_id",
                                                   "department_id"), pk=pk)
    if not request.user.has_perm("centers.view_center_operation", center):
        raise PermissionDenied("您无权查看该赋能中心的年度评价。")
    page = Paginator(selectors.evaluations_of_center(center),
                     selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/materials_list.html", {
        "center": center, "page": page, "now": timezone.now(),
        "own": is_member_of_center_unit(request.user, center)})


# --- the materials form -----------------------------------------------------------------------

def posted_scores(post, indicators) -> dict:
    """{indicator pk: {"value", "note"}} from the form's fields."""
    return {i.pk: {"value": post.get(f"score_{i.pk}", ""),
                   "note": clean_text(post.get(f"note_{i.pk}", ""))} for i in indicators}


def _rows(evaluation, indicators, figures, typed=None, problems=None):
    stored = selectors.self_scores(evaluation)
    files = selectors.evidence_by_indicator(evaluation)
    shown = service.figure_rows(figures)
    rows = []
    for indicator in indicators:
        score = stored.get(indicator.pk)
        value, note = score_row_values(score, (typed or {}).get(indicator.pk), "note")
        rows.append({"indicator": indicator, "value": value, "note": note, "stored": score,
                     "figure": shown.get(indicator.figure, "") if indicator.figure else "",
                     "files": files.get(indicator.pk, []),
                     "errors": (problems or {}).get(indicator.pk, [])})
    return rows, files.get(None, [])


def _context(request, evaluation, *, typed=None, typed_report=None, version=None,
             problems=None, stale=False):
    indicators = service.indicators_of(evaluation)
    submitted = evaluation.submitted_at is not None and evaluation.status != "pending"
    figures = evaluation.figures if evaluation.figures and evaluation.status != "returned" \
        else service.materials_prefill(evaluation)
    own = is_member_of_center_unit(request.user, evaluation.center)
    editable = (request.user.has_perm("evaluations.submit_materials", evaluation)
                and service.materials_open(evaluation))
    rows, general_files = _rows(evaluation, indicators, figures, typed, problems)
    login = (f"{reverse(settings.LOGIN_URL)}?"
             f"{urlencode({'next': reverse('evaluations:materials', args=[evaluation.pk])})}")
    return {
        "evaluation": evaluation, "cycle": evaluation.cycle, "center": evaluation.center,
        "rows": rows, "general_files": general_files, "figures": figures,
        "report": evaluation.report if typed_report is None else typed_report,
        "report_errors": (problems or {}).get("report", []),
        "version": evaluation.version if version is None else version,
        "editable": editable, "own": own, "stale": stale, "submitted": submitted,
        "until": service.editable_until(evaluation),
        "total": sum((r["stored"].value for r in rows
                      if r["stored"] is not None and r["stored"].value is not None), start=0),
        "show_opinion": selectors.opinion_visible(request.user, evaluation),
        "upload_form": EvidenceForm(),
        "draft_token_field": DRAFT_TOKEN_FIELD,
        "draft_token": draft_token_make(user_id=request.user.pk,
                                        application_id=evaluation.center.application_id,
                                        step=held_step(evaluation.pk)),
        "autosave_url": reverse("evaluations:materials_autosave", args=[evaluation.pk]),
        "autosave_interval": settings.AUTOSAVE_INTERVAL_SECONDS,
        "session_age": settings.SESSION_COOKIE_AGE,
        "session_warning": settings.SESSION_WARNING_SECONDS,
        "login_url": login,
        "page_token": secrets.token_urlsafe(8),
    }


@require_http_methods(["GET", "POST"])
@keep_text_when_signed_out
@login_required
def materials(request, pk):
    """运行自评估报告: the center's form while it may still save and submit; read-only for the
    others who may read it (its 主管部门, the commission, the agency, invited authorities) and
    for the unit once sent. A bad entry comes back with everything typed and the reason in
    Chinese; a second click on 报送 submits nothing twice."""
    evaluation = _evaluation(request, pk)
    here = reverse("evaluations:materials", args=[evaluation.pk])
    template = "evaluations/materials_form.html"
    if request.method == "GET":
        held = held_draft_restore(request, application=evaluation.center.application,
                                  step=held_step(evaluation.pk))
        if held and service.materials_open(evaluation):
            flat = {name: values[0] if values else "" for name, values in held.items()}
            indicators = service.indicators_of(evaluation)
            return render(request, template, _context(
                request, evaluation, typed=posted_scores(flat, indicators),
                typed_report=flat.get("report", ""), version=posted_version(flat)))
        return render(request, template, _context(request, evaluation))

    submit = request.POST.get("intent") == "submit"
    if submit:
        form_token_check(request, purpose="evaluation_submit", fallback_url=here)
    indicators = service.indicators_of(evaluation)
    typed = posted_scores(request.POST, indicators)
    report = clean_text(request.POST.get("report", ""))
    version = posted_version(request.POST)
    try:
        saved = service.materials_save(evaluation=evaluation, actor=request.user, report=report,
                                       scores=typed, expected_version=version)
    except service.StaleMaterials as error:
        messages.error(request, str(error))
        evaluation = selectors.evaluation_for_materials(evaluation.pk)
        return render(request, template, _context(request, evaluation, typed=typed,
                                                  typed_report=report, stale=True))
    except service.MaterialsInvalid as error:
        messages.error(request, str(error))
        return render(request, template, _context(
            request, evaluation, typed=typed, typed_report=report, version=version,
            problems=error.errors))
    except EvaluationError as error:
        messages.error(request, str(error))
        return render(request, template, _context(request, evaluation, typed=typed,
                                                  typed_report=report, version=version))
    if not submit:
        messages.success(request, "已保存。报送截止前可继续修改。")
        return redirect(here)
    try:
        with form_once(request, purpose="evaluation_submit", fallback_url=here) as once:
            service.materials_submit(evaluation=saved, actor=request.user)
            once.result_url = here
    except EvaluationError as error:
        messages.error(request, f"{error}（填写的内容已保存。）")
        evaluation = selectors.evaluation_for_materials(evaluation.pk)
        return render(request, template, _context(request, evaluation))
    messages.success(request, "评价材料已报送主管部门。")
    return redirect(here)


@require_POST
def materials_autosave(request, pk):
    """Saves the materials' draft while the unit types. JSON: `saved_at`, the indicators not
    saved because what is typed there is not valid yet (`invalid`), `fields` (the new
    `version`) and a fresh draft token. 401 with the text held when the session has ended; 409
    when the save is refused (another tab saved first, submitted, past the deadline)."""
    step = held_step(pk)
    if not request.user.is_authenticated:
        application_id = _application_id(pk)
        held = None
        if application_id is not None:
            held = held_draft_keep(application_id=application_id, step=step, post=request.POST)
        login = (f"{reverse(settings.LOGIN_URL)}?"
                 f"{urlencode({'next': reverse('evaluations:materials', args=[pk])})}")
        return JsonResponse({"expired": True, "held": held is not None,
                             "message": HELD_MESSAGE if held else NOT_HELD_MESSAGE,
                             "title": EXPIRED_MESSAGE, "login_url": login}, status=401)
    evaluation = _evaluation(request, pk)
    if not request.user.has_perm("evaluations.submit_materials", evaluation):
        raise PermissionDenied(service.SUBMIT_REFUSAL)
    indicators = service.indicators_of(evaluation)
    typed = posted_scores(request.POST, indicators)
    _, problems = service.materials_problems(indicators, typed, complete=False)
    # What is not valid yet keeps its stored value: a timer never blanks a score.
    stored = selectors.self_scores(evaluation)
    for indicator_pk in problems:
        score = stored.get(indicator_pk)
        typed[indicator_pk] = {
            "value": None if score is None else score.value,
            "note": "" if score is None else score.note}
    report = clean_text(request.POST.get("report", ""))[:service.REPORT_MAX_CHARS]
    try:
        saved = service.materials_save(evaluation=evaluation, actor=request.user, report=report,
                                       scores=typed,
                                       expected_version=posted_version(request.POST))
    except EvaluationError as error:
        return JsonResponse({"message": f"自动保存未成功：{error}"}, status=409)
    names = {i.pk: i.name for i in indicators}
    return JsonResponse({
        "saved_at": f"{timezone.localtime():%H:%M}",
        "invalid": [names[p] for p in problems if p in names],
        "fields": {"version": saved.version},
        "token": draft_token_make(user_id=request.user.pk,
                                  application_id=evaluation.center.application_id, step=step),
    })


# --- evidence -----------------------------------------------------------------------------------

@require_POST
@login_required
def materials_file_add(request, pk):
    """上传佐证材料 for one indicator (or the report as a whole); a second click stores it once."""
    evaluation = _evaluation(request, pk)
    here = reverse("evaluations:materials", args=[evaluation.pk])
    form_token_check(request, purpose="evaluation_file", fallback_url=here)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(here)
    indicator = None
    if form.cleaned_data["indicator"]:
        indicator = Indicator.objects.filter(pk=form.cleaned_data["indicator"],
                                             table_id=evaluation.cycle.table_id).first()
        if indicator is None:
            messages.error(request, "请选择本年度评价指标。")
            return redirect(here)
    try:
        with form_once(request, purpose="evaluation_file", fallback_url=here) as once:
            evidence = service.evidence_add(evaluation=evaluation, actor=request.user,
                                            upload=form.cleaned_data["file"], indicator=indicator)
            once.result_url = f"{here}#files-{indicator.pk if indicator else 'general'}"
    except EvaluationError as error:
        messages.error(request, str(error))
        return redirect(here)
    messages.success(request, f"已上传“{evidence.original_name}”。")
    return redirect(once.result_url)


@require_POST
@login_required
def materials_file_remove(request, pk, file_pk):
    """删除 an evidence file while the materials may still change."""
    evaluation = _evaluation(request, pk)
    evidence = get_object_or_404(EvaluationFile, pk=file_pk, evaluation=evaluation)
    here = reverse("evaluations:materials", args=[evaluation.pk])
    try:
        service.evidence_remove(evidence=evidence, actor=request.user)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已删除该佐证材料。")
    return redirect(here)


@login_required
@private_download
def materials_file(request, pk, file_pk):
    """A 佐证材料 file; a read by anyone but the center's own users is audited."""
    evaluation = _evaluation(request, pk)
    evidence = get_object_or_404(EvaluationFile, pk=file_pk, evaluation=evaluation)
    return evidence_read(request, evidence, center=evaluation.center, label="佐证材料",
                         action="evaluation_file.download", target=evaluation)
