"""The role dashboards in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

DASHBOARDS = (
    ("申报单位工作台", "dashboard_applicant", "applicant"),
    ("主管部门工作台", "dashboard_district", "district_official"),
    ("市发展改革委工作台", "dashboard_commission", "commission_staff"),
    ("行业主管部门工作台", "dashboard_industry", "industry_staff"),
    ("第三方机构工作台", "dashboard_third_party", "third_party_staff"),
    ("评审专家工作台", "dashboard_expert", "expert"),
    ("审计员工作台", "dashboard_auditor", "auditor"),
)
for label, url_name, role in DASHBOARDS:
    benchmark_page(label, url_name, role=role)

benchmark_page("审计员工作台 · 搜索", "dashboard_auditor", role="auditor",
               query={"q": "导出"})

# 第七条（八） open data: the API's lists (JSON, timed like any page) and the data dictionary.
benchmark_page("开放数据 · 赋能中心名录接口", "open_data_centers-list", role="anonymous")
benchmark_page("开放数据 · 赋能中心名录接口 · 按状态和年度", "open_data_centers-list",
               role="anonymous", query={"status": "active", "year": "2025"})
benchmark_page("开放数据 · 公示公告接口", "open_data_notices-list", role="anonymous")
benchmark_page("开放数据 · 申报通知接口", "open_data_calls-list", role="anonymous")
benchmark_page("开放数据 · 数据字典", "open_data_dictionary", role="anonymous")
# 第十五条 产业数据分析: the commission's statistics page, a dashboard of every chart (all calls,
# all years: the widest aggregation).
benchmark_page("统计分析", "statistics", role="commission_staff",
               query={"call": "all", "year": "all"})
