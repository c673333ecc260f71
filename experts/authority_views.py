"""The industry authorities' pages (第三条、第九条（三）): the rounds they were invited to, the
applications of a round, each application's content and files, their opinion per application,
and the results once the round has closed. A round they were not invited to is not found."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from applications import documents
from applications.enums import DocumentVariant
from applications.models import Application, Attachment
from applications.selectors import application_with_details
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import selectors
from .models import AuthorityOpinion
from .roster import authority_opinion_save
from .roster_forms import AuthorityOpinionForm


def authority_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("experts.list_invited_rounds"):
            raise PermissionDenied("会同评审页面仅供行业主管部门工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _round(request, pk):
    round_ = get_object_or_404(selectors.authority_rounds(request.user).select_related("call"),
                               pk=pk)
    if not request.user.has_perm("experts.read_invited_round", round_):
        raise Http404("没有该评审轮次。")
    return round_


def _application(round_, application_pk):
    if not round_.entries.filter(application_id=application_pk).exists():
        raise Http404("本轮评审中没有该申报。")
    return get_object_or_404(application_with_details(Application.objects.all()),
                             pk=application_pk)


@require_GET
@authority_only
def round_list(request):
    page = selectors.authority_rounds_page(request.user, request.GET.get("page"))
    return render(request, "experts/authority_rounds.html", {"page": page})


@require_GET
@authority_only
def round_detail(request, pk):
    round_ = _round(request, pk)
    department_id = selectors.authority_department_id(request.user, round_)
    page = Paginator(selectors.round_entries_for_authority(round_, department_id),
                     selectors.AUTHORITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "experts/authority_round.html", {
        "round": round_, "page": page,
        "show_results": request.user.has_perm("experts.read_round_results", round_),
        "locked": selectors.round_opinions_locked(round_),
    })


@require_http_methods(["GET", "POST"])
@authority_only
def application_read(request, pk, application_pk):
    round_ = _round(request, pk)
    application = _application(round_, application_pk)
    department_id = selectors.authority_department_id(request.user, round_)
    opinion = AuthorityOpinion.objects.filter(round=round_, application=application,
                                              department_id=department_id).first()
    locked = selectors.round_opinions_locked(round_)
    here = reverse("experts:authority_application", args=[round_.pk, application.pk])
    if request.method == "POST":
        form_token_check(request, purpose="authority_opinion", fallback_url=here)
        form = AuthorityOpinionForm(request.POST)
        if locked:
            messages.error(request, "拟评定名单已确定，意见不能再修改。")
            return redirect(here)
        if form.is_valid():
            try:
                with form_once(request, purpose="authority_opinion", fallback_url=here) as once:
                    authority_opinion_save(round_=round_, application=application,
                                           actor=request.user,
                                           opinion=form.cleaned_data["opinion"], request=request)
                    once.result_url = here
            except ValidationError as error:
                form.add_error("opinion", error.messages[0])
            else:
                messages.success(request, "意见已保存。")
                return redirect(here)
    else:
        form = AuthorityOpinionForm(initial={"opinion": opinion.opinion if opinion else ""})
    entry = round_.entries.filter(application=application).first()
    return render(request, "experts/authority_application.html", {
        "round": round_, "application": application, "entry": entry,
        "doc": documents.document_content(application, DocumentVariant.PACKAGE),
        "opinion": opinion, "form": form, "locked": locked,
        "show_results": request.user.has_perm("experts.read_round_results", round_),
    })


@require_GET
@authority_only
@private_download
def attachment_download(request, pk, application_pk, attachment_pk):
    round_ = _round(request, pk)
    if not round_.entries.filter(application_id=application_pk).exists():
        raise Http404("本轮评审中没有该申报。")
    attachment = get_object_or_404(Attachment.objects.select_related("application"),
                                   pk=attachment_pk, application_id=application_pk)
    # Reading someone else's files leaves a trace.
    audit_record(action="authority.attachment_download", actor=request.user,
                 target=attachment.application, request=request,
                 after={"round": round_.pk, "attachment": attachment.pk,
                        "kind": attachment.kind, "name": attachment.original_name,
                        "sha256": attachment.sha256})
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.served_name, content_type=attachment.content_type)
