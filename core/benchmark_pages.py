"""The portal's own pages in the benchmark (see core/benchmark.py)."""

from .benchmark import benchmark_page

benchmark_page("首页", "home", role="anonymous")
benchmark_page("站内通知列表", "notification_list", role="applicant")
benchmark_page("站内通知列表 · 第2页", "notification_list", role="applicant",
               query={"page": 2})
