"""Suggested (soft) conflicts: pairs of expert and application that are not hard conflicts
but worth the commission's look before it assigns (第九条（三）). The commission pins one (a
hard conflict from then on) or dismisses it, with a reason (experts.avoidance); a pair it
ruled on is not suggested again.

Kinds:
- `employer_similar`: the expert's employer name contains the lead or joint unit's name, or
  the other way round, after normalisation (a branch, a parent); an equal name or USCC is a
  hard conflict and is not suggested.
- `old_tie`: a declared employment or consulting tie with either unit that ended more than 36
  months (TIE_LOOKBACK_MONTHS, a hard conflict within) but at most 60 months before `on`.
- `avoidance_name`: the applicant named someone of the expert's name (normalised) in a 回避申请
  the commission has not ruled on yet.

Fixed queries whatever the number of rows: the units, the experts, the old ties, the pending
回避申请 and the rulings, one query each.

Computing them compares every application of a call with the whole roster (some 60 ms at
city scale), so `suggested_conflicts_kept` keeps them in the cache on a generation that every
save or delete of what they are read from moves on (`suggestion_sources_connect`, called when
the app is ready).
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models.signals import post_delete, post_save

from applications.models import Application, ApplicationUnit, AvoidanceRequest
from core.caching import cached, generation, generation_bump

from .enums import DATED_TIE_KINDS, TIE_LOOKBACK_MONTHS
from .models import AvoidanceRuling, ConflictRuling, Expert, ExpertTie, normalize_unit_name

OLD_TIE_LIMIT_MONTHS = 60

KIND_LABELS = {
    "employer_similar": "工作单位名称与承建或联合承建单位名称相近（相互包含）",
    "old_tie": f"申报的任职或咨询关系结束已超过{TIE_LOOKBACK_MONTHS}个月、未满{OLD_TIE_LIMIT_MONTHS}个月",
    "avoidance_name": "申报单位回避申请中的专家姓名相同（待审核）",
}


@dataclass(frozen=True)
class Suggestion:
    """One suggested conflict: the pair, its kind (a key of KIND_LABELS) and what was found."""

    expert_id: int
    expert_name: str
    expert_employer: str
    application_id: int
    application_label: str
    kind: str
    detail: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day when shorter)."""
    return day - relativedelta(months=months)


def suggested_conflicts(*, applications, experts, on: datetime.date) -> list["Suggestion"]:
    """The suggested conflicts between `applications` (a queryset of Application) and
    `experts` (a queryset of Expert) as of the day `on`, pairs already ruled on
    (ConflictRuling) left out, one per pair and kind, ordered by application then expert.
    Five queries whatever the sizes."""
    units = {}
    labels = {}
    for row in (ApplicationUnit.objects.filter(application__in=applications.values("pk"))
                .values("application_id", "application__center_name", "name", "uscc")):
        units.setdefault(row["application_id"], []).append(
            (normalize_unit_name(row["name"]), row["uscc"], row["name"]))
        labels[row["application_id"]] = row["application__center_name"] or \
            f"申报{row['application_id']}"
    roster = list(experts.values("pk", "name", "employer_name", "employer_key",
                                 "employer_uscc"))
    by_id = {e["pk"]: e for e in roster}
    found: dict[tuple, Suggestion] = {}

    def add(expert, application_id, kind, detail):
        key = (application_id, expert["name"], expert["pk"], kind)
        found.setdefault(key, Suggestion(expert["pk"], expert["name"], expert["employer_name"],
                                         application_id, labels.get(application_id, ""), kind,
                                         detail))

    for application_id, its_units in units.items():
        for expert in roster:
            employer = expert["employer_key"]
            if not employer:
                continue
            for key, uscc, name in its_units:
                if not key or key == employer or (uscc and uscc == expert["employer_uscc"]):
                    continue
                if key in employer or employer in key:
                    add(expert, application_id, "employer_similar",
                        f"专家工作单位“{expert['employer_name']}”，申报单位“{name}”")

    lookback_end = months_before(on, TIE_LOOKBACK_MONTHS)
    limit = months_before(on, OLD_TIE_LIMIT_MONTHS)
    ties = (ExpertTie.objects.filter(expert__in=experts.values("pk"), kind__in=DATED_TIE_KINDS,
                                     ended_on__lt=lookback_end, ended_on__gte=limit)
            .values("expert_id", "unit_key", "unit_uscc", "unit_name", "ended_on"))
    for tie in ties:
        expert = by_id.get(tie["expert_id"])
        if expert is None:
            continue
        for application_id, its_units in units.items():
            if any((tie["unit_uscc"] and tie["unit_uscc"] == uscc)
                   or (tie["unit_key"] and tie["unit_key"] == key)
                   for key, uscc, _ in its_units):
                add(expert, application_id, "old_tie",
                    f"与“{tie['unit_name']}”的关系于{tie['ended_on']:%Y年%m月%d日}结束")

    by_name = {}
    for expert in roster:
        by_name.setdefault(normalize_unit_name(expert["name"]), []).append(expert)
    pending = (AvoidanceRequest.objects.filter(application__in=applications.values("pk"),
                                               ruling__isnull=True)
               .values("application_id", "expert_name", "expert_employer"))
    for request in pending:
        for expert in by_name.get(normalize_unit_name(request["expert_name"]), ()):
            if request["application_id"] in labels:
                add(expert, request["application_id"], "avoidance_name",
                    f"回避申请：{request['expert_name']}（{request['expert_employer']}）")

    ruled = set(ConflictRuling.objects.filter(application__in=applications.values("pk"),
                                              expert__in=experts.values("pk"))
                .values_list("expert_id", "application_id"))
    return [s for key, s in sorted(found.items(), key=lambda item: item[0][:3] + (item[0][3],))
            if (s.expert_id, s.application_id) not in ruled]


# --- kept across requests ------------------------------------------------------------------

GENERATION = "experts:suggestions"
# An application's save matters here only when one of these may have changed (an autosave of
# a draft's text does not).
_APPLICATION_FIELDS = {"status", "call", "center_name"}


def suggested_conflicts_kept(*, key: str, compute) -> list["Suggestion"]:
    """`compute()` (a list of Suggestion) kept in the cache under `key` (which names the call
    and the day) on the current generation of the suggestions' sources."""
    return cached(f"{GENERATION}:{generation(GENERATION)}:{key}", compute)


def _sources_changed(sender, instance=None, update_fields=None, **kwargs):
    if (sender is Application and update_fields is not None
            and not _APPLICATION_FIELDS & set(update_fields)):
        return
    generation_bump(GENERATION)


def suggestion_sources_connect() -> None:
    """Moves the suggestions' generation on at every save or delete of what they are read
    from: applications (status, call, name), their units, the roster, the ties, the 回避申请,
    their rulings and the conflict rulings. Nothing in the portal changes these rows with
    `QuerySet.update()` (which sends no signal); a bulk load must call
    `generation_bump(GENERATION)` itself."""
    for model in (Application, ApplicationUnit, AvoidanceRequest, AvoidanceRuling, Expert,
                  ExpertTie, ConflictRuling):
        post_save.connect(_sources_changed, sender=model, dispatch_uid=f"{GENERATION}:{model}")
        post_delete.connect(_sources_changed, sender=model,
                            dispatch_uid=f"{GENERATION}:{model}:delete")
