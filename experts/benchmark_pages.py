"""The expert review's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

COMMISSION = "commission_staff"

benchmark_page("专家评审轮次", "experts:round_list", role=COMMISSION)
benchmark_page("专家分配 · 第1页", "experts:assignments", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round})
benchmark_page("专家分配 · 有空缺的申报", "experts:assignments", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round}, query={"gaps": "1"})
