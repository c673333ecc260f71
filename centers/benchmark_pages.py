"""The public notice pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

benchmark_page("公示公告", "centers:notice_list", role="anonymous")
benchmark_page("赋能中心名录", "centers:center_list", role="anonymous")
benchmark_page("赋能中心名录 · 按年度", "centers:center_list", role="anonymous",
               query={"year": "2026"})
benchmark_page("已撤销的赋能中心", "centers:revoked_list", role="anonymous")
benchmark_page("异议办理", "centers:objection_list", role="commission_staff")
# 服务记录 (第十二条): the center's own list, as its unit and as the commission reads it.
benchmark_page("服务记录", "centers:record_list", role="applicant",
               kwargs=lambda world: {"pk": world.center})
benchmark_page("服务记录 · 按类别和年度", "centers:record_list", role="commission_staff",
               kwargs=lambda world: {"pk": world.center},
               query={"kind": "training", "year": "2025"})

# 变更报告 (第十三条): the center's own list, the 主管部门's and the commission's overview.
benchmark_page("赋能中心变更报告", "centers:change_list", role="applicant",
               kwargs=lambda world: {"pk": world.center})
benchmark_page("主管部门 · 变更报告", "centers:change_district_list", role="district_official")
benchmark_page("变更报告总览", "centers:change_overview", role="commission_staff")
benchmark_page("变更报告总览 · 逾期", "centers:change_overview", role="commission_staff",
               query={"overdue": "1"})

# --- Operation (E): supervision (第十一条) ---
benchmark_page("本部门赋能中心", "centers:district_center_list", role="district_official")
benchmark_page("本部门运行情况报告", "centers:district_supervision", role="district_official")
benchmark_page("运行情况报告汇总", "centers:commission_supervision", role="commission_staff")
benchmark_page("运行情况报告期", "centers:commission_periods", role="commission_staff")

# --- 一张图 (第十五条): the public and the staff map, and the JSON they draw from ---
benchmark_page("一张图", "centers:map", role="anonymous")
benchmark_page("一张图 · 数据", "centers:map_data", role="anonymous",
               query={"revoked": "1"})
benchmark_page("一张图 · 区（市）的赋能中心", "centers:map_centers", role="anonymous",
               query={"region": "370212"})
benchmark_page("一张图（工作人员版）", "centers:commission_map", role="commission_staff",
               query={"revoked": "1"})
benchmark_page("一张图（工作人员版） · 数据", "centers:commission_map_data",
               role="commission_staff", query={"revoked": "1"})
# 宣传推介 (第十五条、第十九条): the public news and cases, the unit's cases, the commission's queue.
benchmark_page("新闻公告", "centers:news_list", role="anonymous")
benchmark_page("新闻公告 · 按栏目", "centers:news_list", role="anonymous",
               query={"kind": "announcement"})
benchmark_page("典型案例", "centers:case_public_list", role="anonymous")
benchmark_page("赋能中心典型案例", "centers:case_list", role="applicant",
               kwargs=lambda world: {"pk": world.center})
benchmark_page("典型案例审核", "centers:case_queue", role="commission_staff")
benchmark_page("典型案例审核 · 全部", "centers:case_queue", role="commission_staff",
               query={"status": "all"})
# 第十一条: the 主管部门 reads its own centers' cases (read-only, every state but a draft).
benchmark_page("主管部门 · 典型案例", "centers:district_case_list", role="district_official")
benchmark_page("典型案例 · 现有赋能中心", "centers:case_public_list", role="anonymous",
               query={"scope": "current"})
