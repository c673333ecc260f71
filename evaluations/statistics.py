"""产业数据分析 (第十五条) of the yearly evaluation (第十七条): the grade distribution per cycle, for
the commission's statistics page (centers.statistics has the other charts and `StatTable`)."""

from django.db.models import Count, Q

from centers.statistics import StatRow, StatTable

from .enums import CycleStatus, Grade
from .models import Evaluation

GRADE_SERIES = [(grade.value, grade.label) for grade in Grade]

# The commission's page counts the grades it confirmed, published or not yet (the public reads
# only published cycles on /evaluations/results/).
CONFIRMED_CYCLE_STATUSES = (CycleStatus.CONFIRMED, CycleStatus.PUBLISHED)


def grade_distribution() -> StatTable:
    """第十七条: the confirmed grades (优秀、良好、合格、不合格) of each cycle whose grades the
    commission has confirmed (等级已确认 or 结果已公布), by cycle year. One query."""
    grouped = (Evaluation.objects.order_by()
               .filter(cycle__status__in=CONFIRMED_CYCLE_STATUSES).exclude(grade="")
               .values("cycle__year", "cycle__status")
               .annotate(**{grade: Count("pk", filter=Q(grade=grade)) for grade, _ in GRADE_SERIES})
               .order_by("cycle__year"))
    rows = []
    for row in grouped:
        label = f"{row['cycle__year']}年度"
        if row["cycle__status"] != CycleStatus.PUBLISHED:
            label += "（未公布）"
        rows.append(StatRow(label, {grade: row[grade] for grade, _ in GRADE_SERIES}))
    return StatTable(
        key="grades", title="年度评价等级分布", category="评价年度", series=GRADE_SERIES,
        rows=rows,
        note="市发展改革委已确认的评价等级，含已确认尚未公布的评价年度（标注“未公布”）；公众只能看到已公布的结果。")
