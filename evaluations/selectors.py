"""Reads of the yearly evaluation that carry a rule (第十七条): what the commission lists, what
the public reads once results are published, and what a center's own unit may see of its
evaluation (its grade only after publication)."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from .enums import CycleStatus, Grade
from .models import Bulletin, Evaluation, EvaluationCycle

PUBLISHED = CycleStatus.PUBLISHED
CYCLE_LIST_FIELDS = ("pk", "year", "title", "status", "window_start", "window_end",
                     "materials_due", "district_due", "opened_at", "published_at", "table_id",
                     "agency_id")
EVALUATION_ROW_FIELDS = ("pk", "cycle_id", "center_id", "department_id", "status", "score",
                         "computed_grade", "grade", "grade_note", "hard_rules_hit",
                         "false_materials_found", "submitted_at", "confirmed_at",
                         "center__name", "department__name")


def cycles_for_commission():
    """Every cycle, newest year first, with its count of evaluations and of confirmed grades
    (subqueries, one query for the page)."""
    def count(rows):
        counted = (rows.filter(cycle=OuterRef("pk")).order_by().values("cycle")
                   .annotate(n=Count("pk")).values("n"))
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return (EvaluationCycle.objects.select_related("table", "agency")
            .only(*CYCLE_LIST_FIELDS, "table__name", "table__version", "agency__name")
            .annotate(evaluation_count=count(Evaluation.objects.all()),
                      confirmed_count=count(Evaluation.objects.exclude(grade="")))
            .order_by("-year", "-pk"))


def cycle_evaluations(cycle: EvaluationCycle, *, grade: str = "", department: int | None = None):
    """The evaluations of `cycle` for the commission's overview, by center name, with the
    columns the list shows and whether a 通报 was issued (`has_bulletin`); filtered by
    confirmed `grade` ("none" = not yet confirmed) and 主管部门."""
    rows = (cycle.evaluations.select_related("center", "department")
            .only(*EVALUATION_ROW_FIELDS)
            .annotate(has_bulletin=Exists(Bulletin.objects.filter(evaluation=OuterRef("pk"))))
            .order_by("center__name", "pk"))
    if grade == "none":
        rows = rows.filter(grade="")
    elif grade:
        rows = rows.filter(grade=grade)
    if department:
        rows = rows.filter(department_id=department)
    return rows


def cycle_grade_counts(cycle: EvaluationCycle) -> dict:
    """{grade value or "": count} of the cycle's confirmed grades (the commission's overview
    only: published counts are not shown to anyone else)."""
    counts = {value: 0 for value in [*Grade.values, ""]}
    for row in cycle.evaluations.order_by().values("grade").annotate(n=Count("pk")):
        counts[row["grade"]] = row["n"]
    return counts


def published_cycles():
    """Cycles whose results are published, newest year first (the public results page)."""
    return (EvaluationCycle.objects.filter(status=PUBLISHED)
            .only("pk", "year", "title", "published_at", "window_start", "window_end")
            .order_by("-year", "-pk"))


def published_results(cycle: EvaluationCycle):
    """The published grades of `cycle`, 优秀 first then by grade and center name, with whether
    a 通报 was issued; empty unless the cycle is published."""
    if cycle.status != PUBLISHED:
        return Evaluation.objects.none()
    order = {value: i for i, value in enumerate(Grade.values)}
    return (cycle.evaluations.select_related("center", "department")
            .only("pk", "grade", "center__name", "center__lead_unit_name", "department__name",
                  "center_id", "department_id", "cycle_id")
            .annotate(has_bulletin=Exists(Bulletin.objects.filter(evaluation=OuterRef("pk"))),
                      grade_rank=Case(*[When(grade=v, then=Value(i)) for v, i in order.items()],
                                      default=Value(len(order)), output_field=IntegerField()))
            .order_by("grade_rank", "center__name", "pk"))


def latest_published_grades(center_ids) -> dict[int, dict]:
    """{center pk: {"grade", "grade_label", "grade_year"}} of each of `center_ids` that has a
    grade in a published cycle: the newest such cycle's (the grade the public results page
    shows, 第十七条). One query; centers without a published grade are left out."""
    labels = dict(Grade.choices)
    found = {}
    rows = (Evaluation.objects.filter(center_id__in=list(center_ids), cycle__status=PUBLISHED)
            .exclude(grade="").order_by("center_id", "-cycle__year", "-pk")
            .values_list("center_id", "grade", "cycle__year"))
    for center_id, grade, year in rows:
        found.setdefault(center_id, {"grade": grade, "grade_label": labels.get(grade, ""),
                                     "grade_year": year})
    return found


def supported_centers(cycle: EvaluationCycle):
    """优秀 centers of a published cycle, listed for support (第十七条); empty otherwise."""
    if cycle.status != PUBLISHED:
        return Evaluation.objects.none()
    return (cycle.evaluations.filter(grade=Grade.EXCELLENT).select_related("center")
            .only("pk", "center__name", "center__lead_unit_name", "center_id", "cycle_id")
            .order_by("center__name", "pk"))


def grade_visible(evaluation: Evaluation) -> bool:
    """True when `evaluation`'s grade may be shown outside the commission: its cycle's results
    are published."""
    return evaluation.cycle.status == PUBLISHED and bool(evaluation.grade)


def evaluation_for_unit(evaluation: Evaluation) -> dict:
    """What a center's own unit (and its 主管部门) reads of its evaluation: the materials status
    always; the grade (display), the grade note and the 通报 only once the cycle's results are
    published, never the computed grade or score before then. Keys: status, status_label,
    cycle_status_label, published, grade, grade_label, grade_note, bulletin (a Bulletin or
    None)."""
    published = grade_visible(evaluation)
    bulletin = None
    if published:
        bulletin = Bulletin.objects.filter(evaluation=evaluation).only(
            "pk", "number", "issued_at", "pdf").first()
    return {
        "status": evaluation.status,
        "status_label": evaluation.get_status_display(),
        "cycle_status_label": evaluation.cycle.get_status_display(),
        "published": published,
        "grade": evaluation.grade if published else "",
        "grade_label": evaluation.get_grade_display() if published else "",
        "grade_note": evaluation.grade_note if published else "",
        "bulletin": bulletin,
    }


def evaluations_of_center(center):
    """The center's evaluations, newest cycle first, for its own unit's pages: use
    `evaluation_for_unit` on each to show the grade only after publication."""
    return (Evaluation.objects.filter(center=center).select_related("cycle")
            .order_by("-cycle__year", "-pk"))
