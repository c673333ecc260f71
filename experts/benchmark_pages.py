"""The expert review's pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

COMMISSION = "commission_staff"

benchmark_page("回避申请审核 · 待审核", "experts:avoidance_list", role=COMMISSION)
benchmark_page("回避申请审核 · 按通知", "experts:avoidance_list", role=COMMISSION,
               query=lambda world: {"call": world.call, "status": "all"})
benchmark_page("疑似利益冲突 · 按通知", "experts:conflict_list", role=COMMISSION,
               query=lambda world: {"call": world.call})
