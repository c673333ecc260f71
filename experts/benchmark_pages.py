"""The expert review's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

# The benchmark world's round has assignments for the `expert` user
# (scripts/benchmark/seed_experts.py).
benchmark_page("我的评审任务 · 第1页", "experts:my_assignments", role="expert")
benchmark_page("我的评审任务 · 第2页", "experts:my_assignments", role="expert",
               query={"page": 2})
