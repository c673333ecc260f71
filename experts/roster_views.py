"""The secretariat's roster pages (第四条): the list, an expert's record, the Excel import."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from applications.filetypes import detect_file_type
from applications.models import IndustryField
from core.caching import choices_kept
from core.downloads import private_download
from core.formtokens import form_once, form_token_check

from . import selectors
from .models import Expert
from .roster_forms import RosterFilterForm, RosterImportForm
from .roster_import import ImportFileInvalid, import_parse, import_save, import_template_bytes

MAX_IMPORT_BYTES = 5 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roster_staff_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("experts.manage_roster"):
            raise PermissionDenied("专家库仅供市发展改革委专家委员会秘书处使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


@require_GET
@roster_staff_only
def roster_list(request):
    fields = choices_kept("roster_fields", lambda: IndustryField.objects.only("pk", "name"))
    form = RosterFilterForm(request.GET or None, fields=fields)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.roster_queryset(field_id=filters.get("field"),
                                         status=filters.get("status", ""),
                                         text=filters.get("q") or "")
    page = selectors.roster_page(queryset, request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "experts/roster_list.html", {
        "form": form, "page": page, "query": urlencode(params)})


@require_GET
@roster_staff_only
def roster_detail(request, pk):
    try:
        expert = selectors.expert_with_history(pk)
    except Expert.DoesNotExist:
        raise Http404("没有该专家。") from None
    return render(request, "experts/roster_detail.html", {
        "expert": expert,
        "active_today": selectors.expert_is_active(expert),
        "memberships": sorted(expert.memberships.all(), key=lambda m: (m.term_start, m.pk),
                              reverse=True),
    })


@require_GET
@roster_staff_only
@private_download
def roster_import_template(request):
    response = HttpResponse(import_template_bytes(), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, "专家导入模板.xlsx")
    return response


@require_http_methods(["GET", "POST"])
@roster_staff_only
def roster_import(request):
    errors, file_error = [], ""
    list_url = reverse("experts:roster_list")
    if request.method == "POST":
        form_token_check(request, purpose="expert_import", fallback_url=list_url)
        form = RosterImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            detected = detect_file_type(upload, upload.name)
            if upload.size > MAX_IMPORT_BYTES:
                file_error = "文件超过5MB，请分批导入。"
            elif detected is None or detected.key != "xlsx":
                file_error = "只能上传 Excel（XLSX）格式的专家名单，该文件的内容不是 Excel 工作簿。"
            else:
                upload.seek(0)
                try:
                    parsed = import_parse(upload.read())
                except ImportFileInvalid as error:
                    file_error = str(error)
                else:
                    errors = parsed.errors
                    if not errors:
                        with form_once(request, purpose="expert_import",
                                       fallback_url=list_url) as once:
                            created = import_save(parsed=parsed, actor=request.user,
                                                  file_name=upload.name, request=request)
                            once.result_url = list_url
                        messages.success(request, f"已导入{len(created)}位专家。")
                        return redirect(list_url)
            if file_error:
                form.add_error("file", file_error)
    else:
        form = RosterImportForm()
    return render(request, "experts/roster_import.html", {"form": form, "errors": errors},
                  status=200)
