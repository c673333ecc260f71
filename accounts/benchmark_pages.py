"""Account lists in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

benchmark_page("账号锁定管理", "lockout_list", role="commission_staff")
benchmark_page("账号锁定管理 · 第2页", "lockout_list", role="commission_staff",
               query={"page": 2})
