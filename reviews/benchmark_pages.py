"""The 主管部门's 初审 pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

OFFICIAL = "district_official"

benchmark_page("初审工作台 · 第1页", "reviews:inbox", role=OFFICIAL)
benchmark_page("初审工作台 · 按状态", "reviews:inbox", role=OFFICIAL,
               query={"status": "submitted"})
benchmark_page("初审工作台 · 按名称搜索", "reviews:inbox", role=OFFICIAL,
               query=lambda world: {"q": world.organisation_name})

COMMISSION = "commission_staff"

benchmark_page("申报受理 · 第1页", "reviews:intake", role=COMMISSION)
benchmark_page("申报受理 · 按通知", "reviews:intake", role=COMMISSION,
               query=lambda world: {"call": world.call})
benchmark_page("申报受理 · 按名称搜索", "reviews:intake", role=COMMISSION,
               query=lambda world: {"q": world.organisation_name})
benchmark_page("推荐名单报送情况", "reviews:commission_batches", role=COMMISSION,
               query=lambda world: {"call": world.call})
