"""第十五条 产业数据分析: the commission's statistics page (each chart drawn by ECharts from a
`json_script` element, its figures in a table beside it) and each chart's Excel download
(audited). Commission staff only (`centers.view_statistics`)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from applications.exporters import rows_to_xlsx
from core.audit import audit_record
from core.downloads import private_download

from .statistics_charts import CHARTS, all_tables, chart_table, statistics_filters

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
    """统计分析: every chart under the filters of the query string (see statistics_filters)."""
    filters = statistics_filters(request.GET)
    tables = all_tables(filters)
    query = urlencode(filters.query())
    return render(request, "portal/statistics.html", {
        "filters": filters, "tables": tables, "download_query": query,
        "filter_of": {key: applies for key, (_, applies) in CHARTS.items()},
        "chart_data": {table.key: table.chart_data() for table in tables},
    })


@require_GET
@private_download
@statistics_staff
def statistics_download(request, key):
    """One chart's figures as an Excel sheet (the table of the page, with its note); the
    download is audited with the chart and filters."""
    if key not in CHARTS:
        raise Http404("没有这个统计图表。")
    filters = statistics_filters(request.GET)
    table = chart_table(key, filters)
    rows = [table.header(), *table.table_rows()]
    if table.note:
        rows += [[], ["说明：" + table.note]]
    content = rows_to_xlsx(rows, sheet_title=table.title[:31])
    audit_record(action="statistics.export", actor=request.user, request=request,
                 after={"chart": key, "title": table.title, **filters.query()})
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{table.title}.xlsx")
    return response
