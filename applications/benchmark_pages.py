"""The commission's list of all applications, the call and export pages in the benchmark (see
core/benchmark.py), and Django admin's changelist of the same rows as the yardstick."""

from core.benchmark import YARDSTICK, benchmark_page

from .staff_views import STAFF_LIST_PAGE_SIZE

STAFF = "commission_staff"
LIST = "applications:staff_list"

benchmark_page("申报通知详情", "applications:call_detail", role="applicant",
               kwargs=lambda world: {"pk": world.call})
benchmark_page("全部申报 · 第1页", LIST, role=STAFF)
benchmark_page("全部申报 · 末页", LIST, role=STAFF,
               query=lambda world: {"page": -(-world.applications // STAFF_LIST_PAGE_SIZE)})
benchmark_page("全部申报 · 按通知", LIST, role=STAFF,
               query=lambda world: {"call": world.call})
benchmark_page("全部申报 · 按状态", LIST, role=STAFF, query={"status": "submitted"})
benchmark_page("全部申报 · 按主管部门", LIST, role=STAFF,
               query=lambda world: {"district": world.department})
benchmark_page("全部申报 · 按领域", LIST, role=STAFF,
               query=lambda world: {"industry_field": world.industry_field})
benchmark_page("全部申报 · 按名称搜索", LIST, role=STAFF,
               query=lambda world: {"q": world.organisation_name})
benchmark_page("全部申报 · 按信用代码搜索", LIST, role=STAFF,
               query=lambda world: {"q": world.organisation_uscc})
benchmark_page("我的申报", "applications:mine", role="applicant")
benchmark_page("导出详情", "applications:export_detail", role=STAFF,
               kwargs=lambda world: {"pk": world.export})
benchmark_page("管理后台 · 申报列表", "admin:applications_application_changelist",
               role=STAFF, kind=YARDSTICK)
# 第二十条: the public page of policy documents and the calls run under each.
benchmark_page("政策文件", "applications:policy_list", role="anonymous")
