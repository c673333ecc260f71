"""The public pages of the designated centers (第九条（四）): the directory, the revoked list,
a center's page, the designation announcement and plaque verification; and the certificate
download of the commission and the center's own unit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from core.audit import audit_record
from core.downloads import private_download

from . import directory
from .models import Plaque


@require_GET
def center_list(request):
    """赋能中心名录: active centers, filtered by field, 主管部门 and year, paginated."""
    context = directory.center_directory_page(request.GET, request.GET.get("page"))
    kept = {k: v for k, v in context["chosen"].items() if v}
    context["filter_query"] = urlencode(kept) + "&" if kept else ""
    return render(request, "centers/center_list.html", context)


@require_GET
def revoked_list(request):
    """已撤销的赋能中心."""
    return render(request, "centers/center_revoked_list.html",
                  directory.revoked_center_page(request.GET.get("page")))


@require_GET
def center_detail(request, pk):
    center = directory.center_get(pk)
    plaque = center.current_plaques[0] if center.current_plaques else None
    return render(request, "centers/center_detail.html", {
        "center": center, "plaque": plaque,
        "can_download": plaque is not None and bool(plaque.certificate)
        and request.user.has_perm("centers.download_certificate", center)})


@require_GET
def announcement(request, pk):
    """认定公告: the finalised notice and the centers it designated."""
    notice = directory.announcement_get(pk)
    centers = notice.centers.select_related("industry_field", "department").order_by("pk")
    return render(request, "centers/announcement.html", {"notice": notice, "centers": centers})


@require_GET
def verify(request):
    """牌匾核验 by the number printed on the plaque."""
    number = request.GET.get("number", "").strip()[:30]
    found = directory.plaque_by_number(number) if number else None
    return render(request, "centers/verify.html", {"number": number, "found": found,
                                                   "searched": bool(number)})


@require_GET
def verify_token(request, token):
    """牌匾核验 by the QR code's token. Any token not found (unknown, altered) answers the
    same page, status and bytes, so tokens cannot be probed."""
    found = directory.plaque_by_token(token[:64])
    return render(request, "centers/verify.html", {"found": found, "searched": True,
                                                   "by_token": True})


@login_required
@private_download
def certificate_download(request, pk):
    """The plaque's 授牌证书 PDF: the commission and the center's own unit; audited."""
    try:
        plaque = Plaque.objects.select_related("center__application").get(pk=pk)
    except Plaque.DoesNotExist:
        raise Http404("没有找到该证书。") from None
    if not request.user.has_perm("centers.download_certificate", plaque.center):
        raise PermissionDenied("无权下载该证书。")
    if not plaque.certificate:
        raise Http404("证书正在生成，请稍后再试。")
    audit_record(action="plaque.certificate_download", actor=request.user, target=plaque)
    return FileResponse(plaque.certificate.open("rb"), as_attachment=True,
                        filename=f"授牌证书-{plaque.number}.pdf",
                        content_type="application/pdf")
