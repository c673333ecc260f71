"""Rows of the permission table for the expert scoring of an evaluation cycle and the invited
authorities' opinions (第十七条, see tests/permission_table.py).

The cycle is entrusted to the `third_party_staff` user's agency and the `industry_staff` user's
authority is invited to it; one center's materials are forwarded, with an evidence file. The
`expert` user holds a committed assignment on that center in the cycle's open round."""

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids

from ..permission_table import Row, only, redirect

ORGANISERS = ("commission_staff", "third_party_staff")


def _cycle(world):
    if "eval_cycle" not in world.objects:
        from evaluations.models import Evaluation
        from tests.centers.permission_rows_designation import _center

        from .scoring_helpers import forward, make_cycle

        center = _center(world)
        agency = next(iter(user_department_ids(world.user("third_party_staff"),
                                               Role.THIRD_PARTY_STAFF)))
        authority = next(iter(user_department_ids(world.user("industry_staff"),
                                                  Role.INDUSTRY_STAFF)))
        cycle = make_cycle(world.user("commission_staff"), year=2031, agency_id=agency,
                           authorities=[authority])
        evaluation = forward(Evaluation.objects.create(cycle=cycle, center_id=center["center"]))
        world.objects["eval_cycle"], world.objects["evaluation"] = cycle, evaluation
    return world.objects["eval_cycle"]


def _cycle_kwargs(world):
    return {"pk": _cycle(world).pk}


def _evaluation_kwargs(world):
    cycle = _cycle(world)
    return {"pk": cycle.pk, "evaluation_pk": world.objects["evaluation"].pk}


def _file_kwargs(world):
    kwargs = _evaluation_kwargs(world)
    return {**kwargs, "file_pk": world.objects["evaluation"].files.first().pk}


def _round_made(world):
    cycle = _cycle(world)
    cycle.refresh_from_db()
    return reverse("experts:assignments", args=[cycle.review_round_id])


def _expert_file(world):
    from evaluations import scoring
    from experts.enums import AssignmentStatus
    from experts.models import Assignment, ReviewRound
    from tests.experts.conftest import make_expert

    cycle = _cycle(world)
    round_ = scoring.round_for_cycle(cycle=cycle, actor=world.user("commission_staff"))
    ReviewRound.objects.filter(pk=round_.pk).update(status="open", opened_at=timezone.now())
    evaluation = world.objects["evaluation"]
    assignment = Assignment.objects.create(
        round=round_, application_id=evaluation.center.application_id,
        expert=make_expert("赵敏", user=world.user("expert")),
        assigned_by=world.user("commission_staff"), status=AssignmentStatus.COMMITTED,
        committed_at=timezone.now())
    return {"pk": assignment.pk, "file_pk": evaluation.files.first().pk}


ROWS = [
    Row("evaluations:scoring_agency", only(*ORGANISERS)),
    Row("evaluations:scoring_round",
        only(*ORGANISERS, ok=redirect(_round_made)),
        method="post", kwargs=_cycle_kwargs),
    Row("evaluations:scoring_expert_file", only("expert"), kwargs=_expert_file),
    Row("evaluations:opinion_cycles", only("industry_staff")),
    Row("evaluations:opinion_cycle", only("industry_staff"), kwargs=_cycle_kwargs),
    Row("evaluations:opinion_evaluation", only("industry_staff"), kwargs=_evaluation_kwargs),
    Row("evaluations:opinion_evaluation", only("industry_staff", ok=redirect(
        lambda world: reverse("evaluations:opinion_evaluation",
                              kwargs=_evaluation_kwargs(world)))),
        method="post", kwargs=_evaluation_kwargs, data={"text": "建议评为良好。"},
        state="the invited authority saves its opinion"),
    Row("evaluations:opinion_file", only("industry_staff"), kwargs=_file_kwargs),
]
