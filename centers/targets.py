"""建设目标 in force (五、建设目标; 第十三条): the designation copies the application's targets
into the first `TargetSet`; an accepted 服务内容和目标任务重大变化 adds the next from its date."""

import datetime

from .models import Center, TargetSet

TARGET_FIELDS = ("key_technologies", "scenarios", "solutions", "patents")


def targets_initial(center: Center) -> TargetSet:
    """The set promised in the application, in force from the designation date. Idempotent:
    returns the existing first set when there is one."""
    first = center.target_sets.order_by("effective_from", "pk").first()
    if first is not None:
        return first
    return TargetSet.objects.create(
        center=center, effective_from=center.designated_on,
        key_technologies=center.goal_key_technologies, scenarios=center.goal_scenarios,
        solutions=center.goal_solutions, patents=center.goal_patents, other=center.goal_other)


def targets_in_force(center: Center, on: datetime.date | None = None) -> TargetSet | None:
    """The set in force on `on` (default: the latest), or None before any exists."""
    sets = center.target_sets.all()
    if on is not None:
        sets = sets.filter(effective_from__lte=on)
    return sets.order_by("-effective_from", "-pk").first()


def target_history(center: Center) -> list[TargetSet]:
    """Every set of `center`, newest first (the old remain as history, 第十三条)."""
    return list(center.target_sets.order_by("-effective_from", "-pk"))
