"""The yearly evaluation's list pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page


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
