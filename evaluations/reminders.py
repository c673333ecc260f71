"""Reminders of the yearly evaluation (第十七条、第十八条), one sweep: the centers that have not
submitted their materials 7, 3 and 1 days before `materials_due` (never a revoked center; a
center under a 通报 of an earlier year still is), and the 主管部门's officials 3 and 1 days
before `district_due` while their 审查意见 is not forwarded. Each reminder once: the days sent
are kept on the row (`Evaluation.reminders_sent`, `EvaluationCycle.reminders_sent` with keys
"district-<department_id>-<days>"), claimed under a row lock, so a sweep run twice or two sweeps
at once send nothing more."""

import datetime

from django.db import transaction
from django.urls import reverse

from centers.enums import CenterStatus
from core.notifications import notify
from core.sweep import deadline_check

from .enums import DISTRICT_REMINDER_DAYS, MATERIALS_REMINDER_DAYS, CycleStatus, EvaluationStatus
from .materials import center_users, department_officials, materials_link
from .models import DistrictForwarding, Evaluation, EvaluationCycle


def _reached(now, due, days: tuple[int, ...]) -> list[int]:
    """The thresholds (days before `due`) reached at `now`, while `due` has not passed."""
    if now > due:
        return []
    return [d for d in days if now >= due - datetime.timedelta(days=d)]


def _claim(model, pk: int, keys: list) -> bool:
    """Adds `keys` to the row's `reminders_sent` under a lock; True when the first of them (the
    one to send) was not there yet."""
    with transaction.atomic():
        row = model.objects.select_for_update().only("pk", "reminders_sent").get(pk=pk)
        sent = list(row.reminders_sent or [])
        if keys[0] in sent:
            return False
        row.reminders_sent = sent + [k for k in keys if k not in sent]
        row.save(update_fields=["reminders_sent"])
    return True


def _materials_reminders(cycle, now) -> int:
    reached = sorted(_reached(now, cycle.materials_due, MATERIALS_REMINDER_DAYS))
    if not reached:
        return 0
    sent = 0
    waiting = (Evaluation.objects.filter(cycle=cycle, status=EvaluationStatus.PENDING,
                                         center__status=CenterStatus.ACTIVE)
               .select_related("center__application").order_by("pk"))
    for evaluation in waiting:
        # The nearest threshold is sent; the farther ones reached with it count as sent.
        if reached[0] in (evaluation.reminders_sent or []):
            continue
        if not _claim(Evaluation, evaluation.pk, reached):
            continue
        for user in center_users(evaluation):
            notify(recipient=user, purpose="evaluation_materials_reminder",
                   link=materials_link(evaluation),
                   context={"evaluation": evaluation, "center": evaluation.center,
                            "cycle": cycle, "days": reached[0]})
            sent += 1
    return sent


def _district_reminders(cycle, now) -> int:
    reached = sorted(_reached(now, cycle.district_due, DISTRICT_REMINDER_DAYS))
    if not reached:
        return 0
    departments = set(Evaluation.objects.filter(cycle=cycle, department_id__isnull=False)
                      .values_list("department_id", flat=True))
    departments -= set(DistrictForwarding.objects.filter(cycle=cycle)
                       .values_list("department_id", flat=True))
    sent = 0
    link = f'{reverse("evaluations:district_evaluations")}?cycle={cycle.pk}'
    for department_id in sorted(departments):
        keys = [f"district-{department_id}-{d}" for d in reached]
        if keys[0] in (cycle.reminders_sent or []) or not _claim(EvaluationCycle, cycle.pk,
                                                                 keys):
            continue
        cycle.refresh_from_db(fields=["reminders_sent"])
        for user in department_officials(department_id):
            notify(recipient=user, purpose="evaluation_district_reminder", link=link,
                   context={"cycle": cycle, "days": reached[0]})
            sent += 1
    return sent


@deadline_check
def evaluation_reminders(now) -> int:
    """The materials and 初审 reminders of every open cycle (see the module docstring). Returns
    how many notices were sent."""
    sent = 0
    for cycle in EvaluationCycle.objects.filter(status=CycleStatus.OPEN).order_by("pk"):
        sent += _materials_reminders(cycle, now)
        sent += _district_reminders(cycle, now)
    return sent
