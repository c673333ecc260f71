"""The portal's URLs plus the benchmark's floor: one indexed query of 50 rows rendered bare,
behind the same middleware and sign-in as every page. Used as ROOT_URLCONF by the benchmark
only; the portal never serves it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from applications.models import Application
from applications.selectors import STAFF_LIST_ORDERING
from config.urls import handler403, handler404, handler500, urlpatterns as portal_urlpatterns
from core.benchmark import FLOOR, benchmark_page

FLOOR_ROWS = 50


@login_required
def floor(request):
    rows = (Application.objects.order_by(*STAFF_LIST_ORDERING)
            .values_list("pk", "center_name", "status", "submitted_at")[:FLOOR_ROWS])
    cells = "".join(f"<tr><td>{pk}</td><td>{escape(name)}</td><td>{status}</td>"
                    f"<td>{submitted or ''}</td></tr>" for pk, name, status, submitted in rows)
    return HttpResponse(f"<!doctype html><table>{cells}</table>")


urlpatterns = [*portal_urlpatterns, path("benchmark/floor/", floor, name="benchmark_floor")]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]

benchmark_page("基准：一次索引查询50行（下限）", "benchmark_floor", role="commission_staff",
               kind=FLOOR)
