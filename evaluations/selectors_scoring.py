"""Reads of the expert scoring and the industry authorities' opinions (第十七条): the cycles an
agency organises, the cycles an authority was invited to and their centers. Each list takes a
fixed number of queries, whatever its length."""

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.enums import Role
from accounts.rules import is_commission_staff
from accounts.selectors import user_department_ids
from experts.models import RoundEntry

from .enums import CycleStatus, EvaluationStatus
from .models import Evaluation, EvaluationCycle, EvaluationOpinion

PAGE_SIZE = 30
# The results an invited authority reads: the expert aggregate once the round closed, the grade
# once the commission confirmed it.
GRADE_VISIBLE_STATUSES = (CycleStatus.CONFIRMED, CycleStatus.PUBLISHED)


def _count(queryset, group: str):
    counted = queryset.order_by().values(group).annotate(c=Count("id")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def cycles_organised_by(user) -> QuerySet[EvaluationCycle]:
    """Cycles whose expert scoring `user` organises: every opened cycle for the commission's
    staff, those entrusted to their agency for a third-party agency's staff, none otherwise."""
    cycles = EvaluationCycle.objects.exclude(status=CycleStatus.DRAFT)
    if user is None or not user.is_authenticated:
        return cycles.none()
    if is_commission_staff(user):
        return cycles
    agencies = user_department_ids(user, Role.THIRD_PARTY_STAFF)
    return cycles.filter(agency_id__in=agencies) if agencies else cycles.none()


def agency_cycle_page(user, page_number):
    """A page (PAGE_SIZE) of `cycles_organised_by(user)`, newest year first, each with its
    round (status, deadline), the number of evaluations forwarded by the 主管部门s
    (`forwarded`) and of centers in the round (`entered`). Two queries."""
    forwarded = _count(Evaluation.objects.filter(cycle=OuterRef("pk"),
                                                 status=EvaluationStatus.FORWARDED), "cycle")
    entered = _count(RoundEntry.objects.filter(round=OuterRef("review_round_id")), "round")
    rows = (cycles_organised_by(user).select_related("review_round", "agency")
            .only("pk", "year", "title", "status", "materials_due", "district_due",
                  "agency__name", "review_round__id", "review_round__status",
                  "review_round__deadline", "review_round__title")
            .annotate(forwarded=forwarded, entered=entered).order_by("-year", "-id"))
    return Paginator(rows, PAGE_SIZE).get_page(page_number)


def cycles_invited(user) -> QuerySet[EvaluationCycle]:
    """Opened cycles an industry authority of `user` was invited to (会同); none for others."""
    mine = user_department_ids(user, Role.INDUSTRY_STAFF)
    if not mine:
        return EvaluationCycle.objects.none()
    invited = EvaluationCycle.invited_authorities.through.objects.filter(
        department_id__in=mine).values("evaluationcycle_id")
    return EvaluationCycle.objects.filter(pk__in=invited).exclude(status=CycleStatus.DRAFT)


def authority_cycle_page(user, page_number):
    """A page (PAGE_SIZE) of `cycles_invited(user)`, newest year first, one query plus the
    count."""
    rows = (cycles_invited(user).select_related("review_round")
            .only("pk", "year", "title", "status", "materials_due", "review_round__status")
            .order_by("-year", "-id"))
    return Paginator(rows, PAGE_SIZE).get_page(page_number)


def invited_cycle_get(user, pk: int) -> EvaluationCycle:
    """Cycle `pk` with its round; Http404 unless an authority of `user` was invited to it."""
    cycle = (cycles_invited(user).select_related("review_round", "table").filter(pk=pk)
             .first())
    if cycle is None:
        raise Http404("没有找到该评价年度。")
    return cycle


def results_visible(cycle: EvaluationCycle) -> bool:
    """The expert aggregate is shown to invited authorities once the cycle's round closed."""
    from experts.enums import RoundStatus

    return cycle.review_round is not None and cycle.review_round.status == RoundStatus.CLOSED


def authority_evaluation_page(cycle: EvaluationCycle, department_id, page_number,
                              query: str = ""):
    """A page (PAGE_SIZE) of the cycle's evaluations for an invited authority, by center name:
    center, unit, status, the round's stored aggregate and flag (`aggregate`, `flagged`), the
    confirmed grade, and whether `department_id` gave its opinion (`has_opinion`). `query`
    filters by center name. Two queries."""
    entry = RoundEntry.objects.filter(round_id=cycle.review_round_id,
                                      application_id=OuterRef("center__application_id"))
    rows = (Evaluation.objects.filter(cycle=cycle).select_related("center")
            .only("pk", "cycle_id", "status", "grade", "submitted_at", "center__name",
                  "center__application_id", "center__lead_unit_name")
            .annotate(aggregate=Subquery(entry.values("aggregate")[:1], output_field=DecimalField(
                          max_digits=6, decimal_places=2)),
                      flagged=Subquery(entry.values("flagged")[:1]),
                      has_opinion=Exists(EvaluationOpinion.objects.filter(
                          evaluation=OuterRef("pk"), department_id=department_id)))
            .order_by("center__name", "pk"))
    if query:
        rows = rows.filter(Q(center__name__icontains=query)
                           | Q(center__lead_unit_name__icontains=query))
    return Paginator(rows, PAGE_SIZE).get_page(page_number)


def invited_evaluation_get(cycle: EvaluationCycle, pk: int) -> Evaluation:
    """Evaluation `pk` of `cycle` with its center and unit; Http404 otherwise."""
    evaluation = (Evaluation.objects.select_related("cycle", "center")
                  .filter(cycle=cycle, pk=pk).first())
    if evaluation is None:
        raise Http404("没有找到该赋能中心的评价。")
    return evaluation


def entry_of(evaluation: Evaluation):
    """The round entry (stored result) of `evaluation`, or None."""
    if evaluation.cycle.review_round_id is None:
        return None
    return RoundEntry.objects.filter(round_id=evaluation.cycle.review_round_id,
                                     application_id=evaluation.center.application_id).first()


def cycle_opinions(cycle: EvaluationCycle) -> dict[int, list[EvaluationOpinion]]:
    """The invited authorities' opinions of a cycle by evaluation id, for the commission; each
    with its department and author. One query."""
    opinions = {}
    for opinion in (EvaluationOpinion.objects.filter(evaluation__cycle=cycle)
                    .select_related("department", "author")
                    .order_by("evaluation_id", "department__sort_order", "department_id")):
        opinions.setdefault(opinion.evaluation_id, []).append(opinion)
    return opinions
