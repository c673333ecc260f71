"""The 主管部门's 初审 pages (第十八条): its centers' evaluations of a cycle, one center's
materials with the opinion and return forms, the forwarding of its 审查意见 as one batch, and the
batch PDF. Thin: the rules are in `evaluations.district`."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import district as service
from . import selectors_materials as selectors
from .enums import CycleStatus, EvaluationStatus
from .errors import EvaluationError
from .material_forms import ForwardForm, OpinionForm, ReturnForm
from .material_views import _context as materials_context
from .models import DistrictForwarding, Evaluation

S = EvaluationStatus


def district_only(view):
    """Signed-out visitors go to the login page; a user who is no 主管部门 official gets 403."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not selectors.district_departments(request.user):
            raise PermissionDenied("年度评价初审仅供主管部门工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _choice(request, source):
    """(department id, [department ids], cycle or None, [cycles]) chosen by `department` and
    `cycle` in `source`, among the user's own departments and their cycles only."""
    departments = selectors.district_departments(request.user)
    chosen = source.get("department", "")
    department_id = int(chosen) if chosen.isdigit() and int(chosen) in departments \
        else departments[0]
    cycles = selectors.district_cycles([department_id])
    wanted = source.get("cycle", "")
    cycle = next((c for c in cycles if str(c.pk) == wanted), cycles[0] if cycles else None)
    return department_id, departments, cycle, cycles


def _list_context(request, department_id, departments, cycle, cycles, forward_form=None):
    from accounts.models import Department

    context = {"department": Department.objects.only("pk", "name").get(pk=department_id),
               "departments": Department.objects.filter(pk__in=departments)
               .only("pk", "name").order_by("sort_order", "pk")[:20] if len(departments) > 1
               else [], "cycle": cycle, "cycles": cycles, "page": None, "forwarding": None,
               "counts": {}, "now": timezone.now()}
    if cycle is None:
        return context
    rows = selectors.district_rows(cycle, department_id)
    forwarding = selectors.forwarding_of(cycle, department_id)
    counts = selectors.district_status_counts(cycle, department_id)
    context.update({
        "page": Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page")),
        "forwarding": forwarding,
        "counts": [(label, counts.get(value, 0)) for value, label in S.choices],
        "can_forward": forwarding is None and cycle.status == CycleStatus.OPEN,
        "forward_form": forward_form or ForwardForm(),
        "query": f"department={department_id}&cycle={cycle.pk}",
    })
    return context


@require_GET
@district_only
def district_evaluations(request):
    """年度评价初审: the department's centers' evaluations of a cycle (its own department only),
    by center name, with their status and whether an opinion is written; the forwarding of the
    审查意见 as one batch."""
    department_id, departments, cycle, cycles = _choice(request, request.GET)
    return render(request, "evaluations/district_list.html",
                  _list_context(request, department_id, departments, cycle, cycles))


@require_POST
@district_only
def district_forward(request):
    """报送审查意见: the batch of the chosen department and cycle; refused with everything typed
    kept; a second click forwards nothing twice."""
    department_id, departments, cycle, cycles = _choice(request, request.POST)
    if cycle is None:
        raise Http404("没有找到该年度评价。")
    here = f'{reverse("evaluations:district_evaluations")}?department={department_id}' \
           f'&cycle={cycle.pk}'
    form_token_check(request, purpose="review_forward", fallback_url=here)
    form = ForwardForm(request.POST)
    if form.is_valid():
        try:
            with form_once(request, purpose="review_forward", fallback_url=here) as once:
                forwarding = service.review_forward(
                    cycle=cycle, department=department_id, actor=request.user,
                    summary=form.cleaned_data["summary"])
                once.result_url = here
        except EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "审查意见已报送市发展改革委。" + (
                "（已超过初审截止时间，按逾期报送记录。）" if forwarding.late else ""))
            return redirect(here)
    return render(request, "evaluations/district_list.html",
                  _list_context(request, department_id, departments, cycle, cycles,
                                forward_form=form))


def _reviewable(request, pk) -> Evaluation:
    try:
        evaluation = selectors.evaluation_for_materials(pk)
    except Evaluation.DoesNotExist:
        raise Http404("没有找到该年度评价。") from None
    if not request.user.has_perm("evaluations.review_materials", evaluation):
        raise PermissionDenied("您无权初审该赋能中心的评价材料。")
    if evaluation.status == S.PENDING:
        raise Http404("该赋能中心尚未报送评价材料。")
    return evaluation


@require_http_methods(["GET", "POST"])
@district_only
def district_review(request, pk):
    """One center's materials, read-only, with the 主管部门's opinion and, once, the return for
    correction; a bad entry keeps what was typed."""
    evaluation = _reviewable(request, pk)
    here = reverse("evaluations:district_review", args=[evaluation.pk])
    opinion_form = OpinionForm(initial={"opinion": evaluation.district_opinion})
    return_form = ReturnForm()
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent == "opinion":
            opinion_form = OpinionForm(request.POST)
            if opinion_form.is_valid():
                try:
                    service.opinion_save(evaluation=evaluation, actor=request.user,
                                         opinion=opinion_form.cleaned_data["opinion"])
                except EvaluationError as error:
                    opinion_form.add_error(None, str(error))
                else:
                    messages.success(request, "初审意见已保存，报送审查意见时一并报送。")
                    return redirect(here)
        elif intent == "return":
            form_token_check(request, purpose="evaluation_return", fallback_url=here)
            return_form = ReturnForm(request.POST)
            if return_form.is_valid():
                try:
                    with form_once(request, purpose="evaluation_return",
                                   fallback_url=here) as once:
                        service.materials_return(evaluation=evaluation, actor=request.user,
                                                 reason=return_form.cleaned_data["reason"])
                        once.result_url = here
                except EvaluationError as error:
                    return_form.add_error(None, str(error))
                else:
                    messages.success(request, "已退回修改，已通知赋能中心。")
                    return redirect(here)
    context = materials_context(request, evaluation)
    context.update({
        "opinion_form": opinion_form, "return_form": return_form,
        "can_opine": evaluation.status == S.SUBMITTED,
        "can_return": (evaluation.status == S.SUBMITTED and evaluation.returned_at is None
                       and timezone.now() <= evaluation.cycle.district_due),
        "list_url": f'{reverse("evaluations:district_evaluations")}?'
                    f'department={evaluation.department_id}&cycle={evaluation.cycle_id}'})
    return render(request, "evaluations/district_review.html", context)


@login_required
@private_download
def forwarding_pdf(request, pk):
    """The batch's 审查意见 PDF: the department's officials and the commission; a read by the
    commission is audited."""
    forwarding = get_object_or_404(DistrictForwarding.objects.select_related("cycle"), pk=pk)
    if not selectors.forwarding_readable(request.user, forwarding):
        raise PermissionDenied("您无权下载该审查意见。")
    if not forwarding.pdf:
        raise Http404("审查意见PDF正在生成，请稍后再试。")
    if forwarding.department_id not in selectors.district_departments(request.user):
        audit_record(action="district_forwarding.pdf_download", actor=request.user,
                     target=forwarding, request=request)
    return FileResponse(forwarding.pdf.open("rb"), as_attachment=True,
                        filename=f"{forwarding.cycle.year}年度审查意见{forwarding.pk}.pdf")

