"""The 主管部门's 初审 pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

OFFICIAL = "district_official"

benchmark_page("初审工作台 · 第1页", "reviews:inbox", role=OFFICIAL)
benchmark_page("初审工作台 · 按状态", "reviews:inbox", role=OFFICIAL,
               query={"status": "submitted"})
benchmark_page("初审工作台 · 按名称搜索", "reviews:inbox", role=OFFICIAL,
               query=lambda world: {"q": world.organisation_name})
