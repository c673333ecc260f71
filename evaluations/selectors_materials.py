"""Reads of the center's materials and the 主管部门's 初审 (第十八条), with who may see what:
a center's unit its own evaluations (a draft is its own only); a 主管部门 the evaluations
recorded under its departments; the district's opinion is the department's to the commission,
never shown to the center."""

from django.db.models import Exists, OuterRef

from accounts.enums import Role
from accounts.selectors import user_department_ids, user_organisation_ids
from centers.rules import is_member_of_center_unit

from .enums import CycleStatus, EvaluationStatus
from .models import DistrictForwarding, Evaluation, EvaluationCycle, EvaluationFile, SelfScore

S = EvaluationStatus
PAGE_SIZE = 30
DASHBOARD_ROWS = 5
LIST_FIELDS = ("pk", "cycle_id", "center_id", "department_id", "status", "submitted_at",
               "returned_at", "forwarding_id", "updated_at", "cycle__year", "cycle__title",
               "cycle__materials_due", "cycle__district_due", "cycle__status", "grade")


def evaluations_of_center(center):
    """The center's evaluations, newest cycle first (its unit's list), with their cycle (its
    status says whether the grade is published)."""
    return (Evaluation.objects.filter(center=center).select_related("cycle")
            .only(*LIST_FIELDS).order_by("-cycle__year", "-pk"))


def open_evaluations_for_user(user) -> list[Evaluation]:
    """The evaluations of the user's units' centers in open cycles, still to be submitted or
    returned for correction (for the dashboard): at most DASHBOARD_ROWS, the earliest due
    first. One query."""
    organisation_ids = user_organisation_ids(user)
    if not organisation_ids:
        return []
    return list(Evaluation.objects.filter(
        center__application__organisation_id__in=organisation_ids,
        cycle__status=CycleStatus.OPEN, status__in=(S.PENDING, S.RETURNED))
        .select_related("cycle", "center").only(*LIST_FIELDS, "center__name")
        .order_by("cycle__materials_due", "pk")[:DASHBOARD_ROWS])


def evaluation_for_materials(pk: int) -> Evaluation:
    """One evaluation with what its materials page shows (raises Evaluation.DoesNotExist)."""
    return (Evaluation.objects.select_related("cycle__table", "center__application",
                                              "department", "submitted_by",
                                              "district_reviewed_by", "forwarding")
            .get(pk=pk))


def materials_readable(user, evaluation) -> bool:
    """Who reads the materials page: the center's unit always; the others holding
    `evaluations.view_evaluation` once the materials were sent (a draft is the unit's own)."""
    if is_member_of_center_unit(user, evaluation.center):
        return True
    return (evaluation.status != S.PENDING or evaluation.submitted_at is not None) \
        and user.has_perm("evaluations.view_evaluation", evaluation)


def opinion_visible(user, evaluation) -> bool:
    """The 主管部门's opinion is read by its officials and the commission only."""
    return user.has_perm("evaluations.review_materials", evaluation) \
        or user.has_perm("evaluations.manage_cycle")


def self_scores(evaluation) -> dict:
    """{indicator pk: SelfScore} of the evaluation."""
    return {s.indicator_id: s for s in SelfScore.objects.filter(evaluation=evaluation)}


def evidence_by_indicator(evaluation) -> dict:
    """{indicator pk or None: [EvaluationFile]} of the evaluation, in upload order."""
    grouped = {}
    for f in (EvaluationFile.objects.filter(evaluation=evaluation)
              .only("pk", "indicator_id", "original_name", "size", "uploaded_at",
                    "evaluation_id").order_by("pk")):
        grouped.setdefault(f.indicator_id, []).append(f)
    return grouped


# --- the 主管部门 ---------------------------------------------------------------------------

def district_departments(user) -> list[int]:
    """The departments the user is a 主管部门 official of, in a stable order."""
    return sorted(user_department_ids(user, Role.DISTRICT_OFFICIAL))


def district_cycles(department_ids) -> list[EvaluationCycle]:
    """The cycles holding evaluations of the departments, newest first (at most 20)."""
    return list(EvaluationCycle.objects.filter(
        Exists(Evaluation.objects.filter(cycle=OuterRef("pk"),
                                         department_id__in=department_ids)))
        .only("pk", "year", "title", "status", "materials_due", "district_due")
        .order_by("-year", "-pk")[:20])


def district_rows(cycle, department_id):
    """The department's evaluations of `cycle`, by center name, each with what the list shows
    (center name, status, dates, whether an opinion is written)."""
    return (Evaluation.objects.filter(cycle=cycle, department_id=department_id)
            .select_related("center")
            .only("pk", "center_id", "center__name", "status", "submitted_at", "returned_at",
                  "forwarding_id", "district_opinion", "department_id", "cycle_id")
            .order_by("center__name", "pk"))


def district_status_counts(cycle, department_id) -> dict:
    """{status: count} of the department's evaluations of `cycle` (its own centers only)."""
    from django.db.models import Count

    return {row["status"]: row["n"] for row in Evaluation.objects.filter(
        cycle=cycle, department_id=department_id).order_by().values("status")
        .annotate(n=Count("pk"))}


def forwarding_of(cycle, department_id) -> DistrictForwarding | None:
    """The department's forwarded batch of `cycle`, if any."""
    return DistrictForwarding.objects.filter(cycle=cycle, department_id=department_id).first()


def forwarding_readable(user, forwarding) -> bool:
    """The batch PDF is the department's and the commission's."""
    return forwarding.department_id in user_department_ids(user, Role.DISTRICT_OFFICIAL) \
        or user.has_perm("evaluations.manage_cycle")

