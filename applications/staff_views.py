"""The commission's pages over all applications: the filtered list and its Excel export."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once

from . import services
from .enums import DocumentStatus
from .exporters import XLSX_CONTENT_TYPE
from .filters import filter_description, filter_params
from .selectors import (
    application_exports_visible_to,
    application_filterset_for,
    application_list_page,
)

STAFF_LIST_PAGE_SIZE = 50


def commission_only(view):
    """Anonymous visitors go to the login page; signed-in users without the role get the 403
    page saying whose pages these are."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("applications.list_all_applications"):
            raise PermissionDenied("全部申报的列表和导出仅供市发展改革委工作人员使用；"
                                   "申报单位请在“我的工作台”查看本单位的申报。")
        return view(request, *args, **kwargs)

    return login_required(checked)


@require_GET
@commission_only
def staff_list(request):
    filterset = application_filterset_for(request.user, request.GET)
    page = application_list_page(filterset.qs, request.GET.get("page"), STAFF_LIST_PAGE_SIZE)
    params = filter_params(request.GET)
    return render(request, "applications/staff/list.html", {
        "filter": filterset,
        "page": page,
        "params": params,
        "query": urlencode(params),
        "recent_exports": application_exports_visible_to(request.user)
        .filter(requested_by=request.user)[:5],
    })


@require_POST
@commission_only
def staff_export(request):
    try:
        with form_once(request, purpose="application_export",
                       fallback_url=reverse("applications:staff_list")) as once:
            export = services.application_export_request(actor=request.user,
                                                         params=request.POST)
            once.result_url = reverse("applications:export_detail", args=[export.pk])
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:staff_list")
    return redirect("applications:export_detail", export.pk)


def _visible_export(request, pk):
    return get_object_or_404(application_exports_visible_to(request.user), pk=pk)


@require_GET
@commission_only
def export_detail(request, pk):
    export = _visible_export(request, pk)
    return render(request, "applications/staff/export_detail.html", {
        "export": export,
        "filters": filter_description({k: v for k, v in export.params.items() if k != "ids"}),
        "selected_count": len(export.params.get("ids", [])),
        "pending": export.status == DocumentStatus.PENDING,
        "export_retention_days": settings.EXPORT_RETENTION_DAYS,
    })


@require_GET
@commission_only
@private_download
def export_download(request, pk):
    export = _visible_export(request, pk)
    if export.status != DocumentStatus.READY or not export.file:
        raise Http404("导出文件尚未生成。")
    # The file holds every application it selected: who took a copy is part of the record.
    audit_record(action="application.export_download", actor=request.user, target=export,
                 request=request)
    return FileResponse(export.file.open("rb"), as_attachment=True,
                        filename=export.download_name, content_type=XLSX_CONTENT_TYPE)
