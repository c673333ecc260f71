"""The evaluation's and revocation's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

# --- D: revocation (第十七条) ---
benchmark_page("撤销资格办理", "evaluations:revocation_list", role="commission_staff")
benchmark_page("撤销资格办理 · 按状态和事由", "evaluations:revocation_list",
               role="commission_staff", query={"status": "notified", "ground": "two_fails"})
benchmark_page("主管部门 · 撤销资格事项", "evaluations:revocation_district_list",
               role="district_official")
benchmark_page("赋能中心撤销资格事项", "evaluations:revocation_center_list", role="applicant",
               kwargs=lambda world: {"pk": world.center})
