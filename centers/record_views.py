"""A center's workspace, service records (第十二条) and progress pages. The center's unit keeps
the records; its 主管部门 and the commission read them (`centers.view_center_operation`).
Thin: the rules are in centers.records, centers.record_import and centers.progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.filetypes import detect_file_type
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import records
from .enums import ServiceKind
from .evidence import evidence_response
from .models import Center, ServiceRecord, ServiceRecordFile
from .progress import progress_figures
from .record_forms import (
    EnterpriseFormSet,
    RecordFilterForm,
    RecordForm,
    RecordImportForm,
    enterprise_rows,
)
from .record_import import ImportFileInvalid, import_parse, import_save, import_template_bytes

MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _center(request, pk, perm="centers.view_center_operation") -> Center:
    center = get_object_or_404(Center.objects.select_related("application"), pk=pk)
    if not request.user.has_perm(perm, center):
        if perm == "centers.keep_center_records" and request.user.has_perm(
                "centers.view_center_operation", center):
            raise PermissionDenied("只有赋能中心所在单位的用户可以填报服务记录（已撤销的中心不能再填报）。")
        raise PermissionDenied("您没有查看该赋能中心运行情况的权限。")
    return center


def _record(center, record_pk) -> ServiceRecord:
    return get_object_or_404(ServiceRecord, pk=record_pk, center=center)


@login_required
@require_GET
def workspace(request, pk):
    """赋能中心运行管理: the center's name, plaque number, status and its operation pages."""
    center = _center(request, pk)
    return render(request, "centers/operation/records_workspace.html", {
        "center": center, "plaque_number": records.current_plaque_number(center),
        "can_keep": request.user.has_perm("centers.keep_center_records", center)})


@login_required
@require_GET
def record_list(request, pk):
    """服务记录: the center's records newest first, filtered by kind and year (30 a page)."""
    center = _center(request, pk)
    form = RecordFilterForm(request.GET or None, years=records.record_years(center))
    kind, year = "", None
    if form.is_valid():
        kind, year = form.cleaned_data["kind"], form.cleaned_data["year"]
    rows = records.records_of_center(center, kind=kind, year=year)
    page = Paginator(rows, records.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("kind", kind), ("year", year or "")) if v})
    return render(request, "centers/operation/records_list.html", {
        "center": center, "form": form, "page": page, "query": f"{query}&" if query else "",
        "can_keep": request.user.has_perm("centers.keep_center_records", center),
        "kinds": ServiceKind.choices})


def _forms(request, kind, record=None):
    existing = list(record.files.order_by("pk")) if record else []
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, kind=kind, existing_files=existing)
        formset = EnterpriseFormSet(request.POST, prefix="ent")
    else:
        initial = None
        enterprises = []
        if record is not None:
            initial = {name: getattr(record, name) for name in (
                "occurred_on", "title", "industry_field", "description",
                *records.KIND_FIELDS[kind])}
            enterprises = [{"name": e.name, "uscc": e.uscc}
                           for e in record.enterprises.order_by("pk")]
        form = RecordForm(initial=initial, kind=kind, existing_files=existing)
        formset = EnterpriseFormSet(initial=enterprises, prefix="ent")
    return form, formset, existing


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request, pk, kind):
    """新增服务记录 of one kind; bad input keeps everything typed; a second click creates
    nothing (one-time form token)."""
    center = _center(request, pk, "centers.keep_center_records")
    if kind not in ServiceKind.values:
        raise Http404("没有该类别的服务记录。")
    list_url = reverse("centers:record_list", args=[pk])
    if request.method == "POST":
        form_token_check(request, purpose="service_record_create", fallback_url=list_url)
    form, formset, _ = _forms(request, kind)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with form_once(request, purpose="service_record_create",
                           fallback_url=list_url) as once:
                record = records.record_create(
                    center=center, actor=request.user, kind=kind, data=form.record_data(),
                    enterprises=enterprise_rows(formset), files=form.cleaned_data["files"])
                once.result_url = reverse("centers:record_detail", args=[pk, record.pk])
        except records.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已保存：{record}。")
            return redirect("centers:record_detail", pk, record.pk)
    return render(request, "centers/operation/records_form.html", {
        "center": center, "form": form, "formset": formset, "kind_label": ServiceKind(kind).label,
        "record": None, "lock_problem": ""})


@login_required
@require_GET
def record_detail(request, pk, record_pk):
    center = _center(request, pk)
    record = get_object_or_404(ServiceRecord.objects.select_related("industry_field",
                                                                    "created_by"),
                               pk=record_pk, center=center)
    return render(request, "centers/operation/records_detail.html", {
        "center": center, "record": record,
        "enterprises": record.enterprises.order_by("pk")[:records.MAX_ENTERPRISES],
        "files": record.files.order_by("pk"),
        "can_keep": request.user.has_perm("centers.keep_center_records", center),
        "lock_problem": records.record_lock_problem(record, None)})


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, pk, record_pk):
    """修改服务记录: refused with the reason while its year is closed (the page says so)."""
    center = _center(request, pk, "centers.keep_center_records")
    record = _record(center, record_pk)
    form, formset, _ = _forms(request, record.kind, record)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            records.record_update(record=record, actor=request.user, data=form.record_data(),
                                  enterprises=enterprise_rows(formset),
                                  files=form.cleaned_data["files"],
                                  remove_file_ids=form.cleaned_data.get("remove_files") or ())
        except records.RecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "修改已保存。")
            return redirect("centers:record_detail", pk, record.pk)
    return render(request, "centers/operation/records_form.html", {
        "center": center, "form": form, "formset": formset, "record": record,
        "kind_label": record.get_kind_display(),
        "lock_problem": records.record_lock_problem(record, None)})


@login_required
@require_POST
def record_delete(request, pk, record_pk):
    center = _center(request, pk, "centers.keep_center_records")
    record = _record(center, record_pk)
    try:
        records.record_delete(record=record, actor=request.user)
    except records.RecordError as error:
        messages.error(request, str(error))
        return redirect("centers:record_detail", pk, record_pk)
    messages.success(request, "已删除该服务记录。")
    return redirect("centers:record_list", pk)


@login_required
@private_download
def record_file(request, pk, record_pk, file_pk):
    center = _center(request, pk)
    evidence = get_object_or_404(ServiceRecordFile.objects.select_related("record__center"),
                                 pk=file_pk, record_id=record_pk, record__center=center)
    records.record_file_read(evidence=evidence, reader=request.user, request=request)
    return evidence_response(evidence, "证明材料")


@login_required
@require_GET
@private_download
def record_import_template(request, pk):
    _center(request, pk, "centers.keep_center_records")
    response = HttpResponse(import_template_bytes(), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, "服务记录导入模板.xlsx")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request, pk):
    """从Excel导入服务记录: every row checked, errors listed by row; nothing saved unless all
    rows are valid."""
    center = _center(request, pk, "centers.keep_center_records")
    errors = []
    list_url = reverse("centers:record_list", args=[pk])
    form = RecordImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        form_token_check(request, purpose="service_record_import", fallback_url=list_url)
        if form.is_valid():
            upload = form.cleaned_data["workbook"]
            detected = detect_file_type(upload, upload.name)
            file_error = ""
            if upload.size > MAX_IMPORT_BYTES:
                file_error = "文件超过5MB，请分批导入。"
            elif detected is None or detected.key != "xlsx":
                file_error = "只能上传 Excel（XLSX）格式的文件，该文件的内容不是 Excel 工作簿。"
            else:
                upload.seek(0)
                try:
                    parsed = import_parse(upload.read(), since=center.designated_on)
                except ImportFileInvalid as error:
                    file_error = str(error)
                else:
                    errors = parsed.errors
                    if not errors:
                        try:
                            with form_once(request, purpose="service_record_import",
                                           fallback_url=list_url) as once:
                                created = import_save(center=center, parsed=parsed,
                                                      actor=request.user,
                                                      file_name=upload.name, request=request)
                                once.result_url = list_url
                        except ValidationError as error:
                            file_error = error.messages[0]
                        else:
                            messages.success(request, f"已导入{len(created)}条服务记录。")
                            return redirect(list_url)
            if file_error:
                form.add_error("workbook", file_error)
    return render(request, "centers/operation/records_import.html", {
        "center": center, "form": form, "errors": errors})


@login_required
@require_GET
def progress(request, pk):
    """建设目标完成进度: each target promised vs achieved against the time elapsed, with links
    to the records behind each figure, and the service totals."""
    center = _center(request, pk)
    return render(request, "centers/operation/records_progress.html", {
        "center": center, "figures": progress_figures(center)})
