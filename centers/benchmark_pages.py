"""The public notice pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

benchmark_page("公示公告", "centers:notice_list", role="anonymous")
benchmark_page("赋能中心名录", "centers:center_list", role="anonymous")
benchmark_page("赋能中心名录 · 按年度", "centers:center_list", role="anonymous",
               query={"year": "2026"})
benchmark_page("已撤销的赋能中心", "centers:revoked_list", role="anonymous")
benchmark_page("异议办理", "centers:objection_list", role="commission_staff")

# --- Operation (E): supervision (第十一条) ---
benchmark_page("本部门赋能中心", "centers:district_center_list", role="district_official")
benchmark_page("本部门运行情况报告", "centers:district_supervision", role="district_official")
benchmark_page("运行情况报告汇总", "centers:commission_supervision", role="commission_staff")
benchmark_page("运行情况报告期", "centers:commission_periods", role="commission_staff")
