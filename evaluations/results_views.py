"""Published evaluation results (第十七条), public: the cycles whose results are out, and one
cycle's grades with the 优秀 centers listed for support and a mark where a 通报 was issued;
and the 通报 PDF for the commission, the center's unit and its 主管部门."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.audit import audit_record
from core.downloads import private_download

from . import selectors
from .bulletins import bulletin_readable
from .models import Bulletin, EvaluationCycle

PAGE_SIZE = 30
SUPPORTED_SHOWN = 100


@require_GET
def results_list(request):
    """运行评估评价结果: the published cycles, newest first."""
    page = Paginator(selectors.published_cycles(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/results_list.html", {"page": page})


@require_GET
def results_cycle(request, year):
    """One published cycle's results: the 优秀 centers listed for support, then every center's
    grade (paginated) with a mark where a 通报 was issued. 404 before publication."""
    cycle = (selectors.published_cycles().filter(year=year).first())
    if cycle is None:
        raise Http404("该年度评价结果尚未公布。")
    cycle = EvaluationCycle.objects.get(pk=cycle.pk)
    page = Paginator(selectors.published_results(cycle), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "evaluations/results_cycle.html", {
        "cycle": cycle, "page": page,
        "supported": list(selectors.supported_centers(cycle)[:SUPPORTED_SHOWN])})


@login_required
@private_download
def bulletin_pdf(request, pk):
    """The 通报 PDF: the commission, the center's own unit and its 主管部门; audited."""
    try:
        bulletin = Bulletin.objects.select_related(
            "evaluation__center__application", "evaluation__cycle").get(pk=pk)
    except Bulletin.DoesNotExist:
        raise Http404("没有找到该通报。") from None
    if not bulletin_readable(request.user, bulletin):
        raise PermissionDenied("无权下载该通报。")
    if not bulletin.pdf:
        raise Http404("通报文件正在生成，请稍后再试。")
    audit_record(action="bulletin.download", actor=request.user, target=bulletin,
                 request=request)
    return FileResponse(bulletin.pdf.open("rb"), as_attachment=True,
                        filename=f"通报-{bulletin.number}.pdf", content_type="application/pdf")
