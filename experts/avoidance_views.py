"""The commission's 回避 pages: the 回避申请 to rule on (/commission/avoidance/) and the
suggested conflicts to pin or dismiss (/commission/conflicts/)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import AvoidanceRequest
from core.formtokens import form_once, form_token_check, form_token_new

from . import avoidance_selectors as selectors
from .avoidance import RulingError, avoidance_ruling_decide, conflict_ruling_record
from .avoidance_forms import AvoidanceRulingForm, ConflictRulingForm
from .suggestions import KIND_LABELS


def commission_rules(view):
    """Anonymous visitors go to the login page; anyone but commission staff gets the 403 page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("experts.rule_conflicts"):
            raise PermissionDenied("回避事项仅由市发展改革委工作人员审核。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _call_filter(request, *, default_latest: bool = False):
    """The calls to choose from and the chosen one (None: every call, or the latest one with
    `default_latest`)."""
    calls = list(selectors.review_calls()[:50])
    call_id = request.GET.get("call", "")
    call = next((c for c in calls if str(c.pk) == call_id), None)
    if call is None and default_latest and calls:
        call = calls[0]
    return calls, call


@require_GET
@commission_rules
def avoidance_list(request):
    calls, call = _call_filter(request)
    status = request.GET.get("status", "pending")
    if status not in dict(selectors.AVOIDANCE_STATUS_FILTERS):
        status = "pending"
    page = selectors.page_of(selectors.avoidance_requests(call=call, status=status),
                             request.GET.get("page"))
    params = {"status": status, **({"call": call.pk} if call else {})}
    return render(request, "experts/avoidance_list.html", {
        "calls": calls, "call": call, "status": status,
        "statuses": selectors.AVOIDANCE_STATUS_FILTERS, "page": page,
        "query": urlencode(params),
    })


@require_http_methods(["GET", "POST"])
@commission_rules
def avoidance_rule(request, pk):
    try:
        avoidance_request = selectors.avoidance_request_for_ruling(pk)
    except AvoidanceRequest.DoesNotExist:
        raise Http404 from None
    list_url = reverse("experts:avoidance_list")
    ruling = selectors.avoidance_ruling_of(avoidance_request)
    query = request.GET.get("q", "")
    posted = request.method == "POST"
    if posted:
        form_token_check(request, purpose="avoidance_rule", fallback_url=list_url)
    choices = selectors.avoidance_expert_choices(avoidance_request, query)
    if posted and request.POST.get("expert", "").isdigit():
        chosen = selectors.expert_or_none(request.POST["expert"])
        if chosen is not None and all(chosen.pk != e.pk for e, _ in choices):
            choices.append((chosen, False))
    form = AvoidanceRulingForm(request.POST if posted else None, choices=choices)
    if posted and ruling is None and form.is_valid():
        data = form.cleaned_data
        expert = selectors.expert_or_none(data["expert"]) if data.get("expert") else None
        try:
            with form_once(request, purpose="avoidance_rule", fallback_url=list_url) as once:
                avoidance_ruling_decide(request=avoidance_request, actor=request.user,
                                        status=data["status"], expert=expert,
                                        reason=data["reason"])
                once.result_url = list_url
        except RulingError as error:
            messages.error(request, str(error))
            return redirect("experts:avoidance_rule", avoidance_request.pk)
        messages.success(request, "已审核该回避申请，审核结果将在申报单位的申报页面显示。")
        return redirect(list_url)
    if posted and ruling is not None:
        messages.info(request, "该回避申请已审核，不能重复审核。")
        return redirect(list_url)
    return render(request, "experts/avoidance_rule.html", {
        "item": avoidance_request, "ruling": ruling, "form": form, "query": query,
        "form_token": form_token_new(), "suggested_any": any(s for _, s in choices),
    })


@require_GET
@commission_rules
def conflict_list(request):
    # The suggestions are computed over one call's applications and the whole roster.
    calls, call = _call_filter(request, default_latest=True)
    suggestions = selectors.page_of(selectors.conflict_suggestions(call), request.GET.get("page"))
    rulings = selectors.page_of(selectors.conflict_rulings(call), request.GET.get("rpage"))
    tokens = {id(s): form_token_new() for s in suggestions.object_list}
    rows = [(s, tokens[id(s)]) for s in suggestions.object_list]
    return render(request, "experts/conflict_list.html", {
        "calls": calls, "call": call, "suggestions": suggestions, "rows": rows,
        "rulings": rulings, "kind_labels": KIND_LABELS,
        "query": urlencode({"call": call.pk} if call else {}),
    })


@require_POST
@commission_rules
def conflict_rule(request):
    back = reverse("experts:conflict_list")
    if request.POST.get("call", "").isdigit():
        back += "?" + urlencode({"call": request.POST["call"]})
    form_token_check(request, purpose="conflict_rule", fallback_url=back)
    form = ConflictRulingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    expert = selectors.expert_or_none(form.cleaned_data["expert"])
    application = selectors.application_or_none(form.cleaned_data["application"])
    if expert is None or application is None:
        raise Http404
    try:
        with form_once(request, purpose="conflict_rule", fallback_url=back) as once:
            ruling = conflict_ruling_record(expert=expert, application=application,
                                            actor=request.user, kind=form.cleaned_data["kind"],
                                            reason=form.cleaned_data["reason"])
            once.result_url = back
    except RulingError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"已{ruling.get_kind_display()}：{expert.name} · {application}。")
    return redirect(back)
