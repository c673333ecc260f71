"""The expert review's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

COMMISSION = "commission_staff"

benchmark_page("专家评审结果 · 第1页", "experts:round_results", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round})
benchmark_page("专家评审结果 · 第2页", "experts:round_results", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round}, query={"page": 2})

INDUSTRY = "industry_staff"

benchmark_page("专家库 · 第1页", "experts:roster_list", role=COMMISSION)
benchmark_page("专家库 · 按状态", "experts:roster_list", role=COMMISSION,
               query={"status": "active"})
benchmark_page("专家库 · 按姓名搜索", "experts:roster_list", role=COMMISSION,
               query={"q": "基准专家01"})
benchmark_page("会同评审 · 轮次列表", "experts:authority_rounds", role=INDUSTRY)
benchmark_page("会同评审 · 参评申报", "experts:authority_round", role=INDUSTRY,
               kwargs=lambda world: {"pk": world.review_round})
benchmark_page("专家评审轮次", "experts:round_list", role=COMMISSION)
benchmark_page("专家分配 · 第1页", "experts:assignments", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round})
benchmark_page("专家分配 · 有空缺的申报", "experts:assignments", role=COMMISSION,
               kwargs=lambda world: {"pk": world.review_round}, query={"gaps": "1"})
benchmark_page("回避申请审核 · 待审核", "experts:avoidance_list", role=COMMISSION)
benchmark_page("回避申请审核 · 按通知", "experts:avoidance_list", role=COMMISSION,
               query=lambda world: {"call": world.call, "status": "all"})
benchmark_page("疑似利益冲突 · 按通知", "experts:conflict_list", role=COMMISSION,
               query=lambda world: {"call": world.call})
# The benchmark world's round has assignments for the `expert` user
# (scripts/benchmark/seed_experts.py).
benchmark_page("我的评审任务 · 第1页", "experts:my_assignments", role="expert")
benchmark_page("我的评审任务 · 第2页", "experts:my_assignments", role="expert",
               query={"page": 2})
