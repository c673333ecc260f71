"""The yearly evaluation's and revocation's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page


def _published_cycle(world) -> int:
    """The benchmark's published cycle (made on first use, with the benchmark center graded
    优秀): the cycle pages need one, and the seed knows nothing of evaluations."""
    import datetime

    from django.utils import timezone

    from centers.models import Center
    from evaluations.enums import CycleStatus, EvaluationStatus, Grade
    from evaluations.indicators import table_install_default
    from evaluations.models import Evaluation, EvaluationCycle, IndicatorTable

    cycle = EvaluationCycle.objects.filter(title="基准运行评估评价").first()
    if cycle is None:
        commission = world.users["commission_staff"]
        table = (IndicatorTable.objects.filter(frozen_at__isnull=False).order_by("pk").first()
                 or table_install_default(actor=commission, name="基准评价指标"))
        year = 2000 + EvaluationCycle.objects.filter(year__gte=2000, year__lt=2100).count()
        while EvaluationCycle.objects.filter(year=year).exists():
            year += 1
        now = timezone.now()
        cycle = EvaluationCycle.objects.create(
            year=year, title="基准运行评估评价", window_start=datetime.date(year - 1, 1, 1),
            window_end=datetime.date(year - 1, 12, 31), table=table,
            materials_due=now - datetime.timedelta(days=60),
            district_due=now - datetime.timedelta(days=30), status=CycleStatus.PUBLISHED,
            opened_at=now, confirmed_at=now, published_at=now, created_by=commission)
        center = Center.objects.get(pk=world.center)
        Evaluation.objects.create(cycle=cycle, center=center, department_id=center.department_id,
                                  status=EvaluationStatus.FORWARDED, computed_grade=Grade.EXCELLENT,
                                  grade=Grade.EXCELLENT)
    return cycle


# --- cycles, grades and 通报 (第十七条) ---
benchmark_page("运行评估评价", "evaluations:cycle_list", role="commission_staff")
benchmark_page("运行评估评价 · 年度总览", "evaluations:cycle_detail", role="commission_staff",
               kwargs=lambda world: {"pk": _published_cycle(world).pk})
benchmark_page("运行评估评价 · 年度总览 · 按等级", "evaluations:cycle_detail",
               role="commission_staff", kwargs=lambda world: {"pk": _published_cycle(world).pk},
               query={"grade": "excellent"})
benchmark_page("运行评估评价结果", "evaluations:results_list", role="anonymous")
benchmark_page("运行评估评价结果 · 年度", "evaluations:results_cycle", role="anonymous",
               kwargs=lambda world: {"year": _published_cycle(world).year})


# --- B: the center's evaluations and the 主管部门's 初审 list ---
benchmark_page("赋能中心年度评价", "evaluations:center_evaluations", role="applicant",
               kwargs=lambda world: {"pk": world.center})
benchmark_page("主管部门 · 年度评价初审", "evaluations:district_evaluations",
               role="district_official")


# --- C: expert scoring and the invited authorities' opinions ---
def _invited_cycle(world) -> dict:
    """A cycle the benchmark's industry authority is invited to: the latest such, or an open
    one made with the default indicator table when the seeded database has none."""
    import datetime

    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_department_ids
    from evaluations.enums import CycleStatus
    from evaluations.indicators import table_install_default
    from evaluations.models import EvaluationCycle

    departments = user_department_ids(world.users["industry_staff"], Role.INDUSTRY_STAFF)
    cycle = (EvaluationCycle.objects.filter(invited_authorities__in=departments)
             .exclude(status=CycleStatus.DRAFT).order_by("-year").first())
    if cycle is None:
        actor = world.users["commission_staff"]
        now = timezone.now()
        year = (EvaluationCycle.objects.order_by("-year").values_list("year", flat=True)
                .first() or now.year - 1) + 1
        cycle = EvaluationCycle.objects.create(
            year=year, title=f"{year}年度赋能中心运行评估评价", table=table_install_default(
                actor=actor), window_start=datetime.date(year - 1, 1, 1),
            window_end=datetime.date(year - 1, 12, 31),
            materials_due=now + datetime.timedelta(days=10),
            district_due=now + datetime.timedelta(days=20), status=CycleStatus.OPEN,
            opened_at=now, created_by=actor)
        cycle.invited_authorities.add(*departments)
    return {"pk": cycle.pk}


benchmark_page("运行评价专家评分", "evaluations:scoring_agency", role="third_party_staff")
benchmark_page("会同运行评价 · 评价年度", "evaluations:opinion_cycles", role="industry_staff")
benchmark_page("会同运行评价 · 赋能中心", "evaluations:opinion_cycle", role="industry_staff",
               kwargs=_invited_cycle)


# --- D: revocation (第十七条) ---
benchmark_page("撤销资格办理", "evaluations:revocation_list", role="commission_staff")
benchmark_page("撤销资格办理 · 按状态和事由", "evaluations:revocation_list",
               role="commission_staff", query={"status": "notified", "ground": "two_fails"})
benchmark_page("主管部门 · 撤销资格事项", "evaluations:revocation_district_list",
               role="district_official")
benchmark_page("赋能中心撤销资格事项", "evaluations:revocation_center_list", role="applicant",
               kwargs=lambda world: {"pk": world.center})
