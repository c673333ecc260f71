"""第十五条 产业数据分析: the commission's statistics page (each chart drawn by ECharts from a
`json_script` element, its figures in a table beside it) and each chart's Excel download
(audited). Commission staff only (`centers.view_statistics`)."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from applications.exporters import rows_to_xlsx
from core.audit import audit_record
from core.downloads import private_download

from .statistics_charts import CHARTS, kept_statistics, statistics_filters

def computed_at_text(moment) -> str:
    """`moment` in the portal's time zone as 2026年11月30日 12:05."""
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i")


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statistics_staff(view):
    """Anonymous visitors go to the login page; anyone without centers.view_statistics (the
    commission's staff) gets the 403 page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("centers.view_statistics"):
            raise PermissionDenied("统计分析仅供市发展改革委工作人员查看。")
        return view(request, *args, **kwargs)

    return login_required(checked)


@require_GET
@statistics_staff
def statistics_page(request):
    """统计分析: every chart under the filters of the query string (see statistics_filters),
    as computed at most `STATISTICS_MAX_AGE_SECONDS` ago (the page says when)."""
    filters = statistics_filters(request.GET)
    kept = kept_statistics(filters)
    tables = kept.tables
    query = urlencode(filters.query())
    return render(request, "portal/statistics.html", {
        "filters": filters, "tables": tables, "download_query": query,
        "computed_at": kept.computed_at,
        "max_age_minutes": max(1, settings.STATISTICS_MAX_AGE_SECONDS // 60),
        "filter_of": {key: applies for key, (_, applies) in CHARTS.items()},
        "chart_data": {table.key: table.chart_data() for table in tables},
    })


@require_GET
@private_download
@statistics_staff
def statistics_download(request, key):
    """One chart's figures as an Excel sheet (the table of the page, with its note and the
    moment the figures were computed); the download is audited with the chart and filters."""
    if key not in CHARTS:
        raise Http404("没有这个统计图表。")
    filters = statistics_filters(request.GET)
    kept = kept_statistics(filters)
    table = kept.table(key)
    rows = [table.header(), *table.table_rows()]
    if table.note:
        rows += [[], ["说明：" + table.note]]
    rows.append(["统计时间：" + computed_at_text(kept.computed_at)])
    content = rows_to_xlsx(rows, sheet_title=table.title[:31])
    audit_record(action="statistics.export", actor=request.user, request=request,
                 after={"chart": key, "title": table.title, **filters.query()})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{table.title}.xlsx")
    return response
