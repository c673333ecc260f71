"""The expert review's pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

COMMISSION = "commission_staff"

benchmark_page("专家评审结果 · 第1页", "experts:round_results", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round})
benchmark_page("专家评审结果 · 第2页", "experts:round_results", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round}, query={"page": 2})
