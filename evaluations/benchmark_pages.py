"""The evaluation's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

# --- B: the center's evaluations and the 主管部门's 初审 list ---
benchmark_page("赋能中心年度评价", "evaluations:center_evaluations", role="applicant",
               kwargs=lambda world: {"pk": world.center})
benchmark_page("主管部门 · 年度评价初审", "evaluations:district_evaluations",
               role="district_official")
