"""Reads of the expert review that carry a rule.

The committee (第四条): who is an active member on a day (`active_experts`,
`expert_is_active`) — the one answer every part uses to decide who may be assigned — and the
secretariat's roster list. Industry authorities (第三条、第九条（三）): the rounds they were
invited to and the applications in them.
"""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids

from .enums import MembershipStatus, ProposedListStatus, RoundPurpose
from .models import (
    AuthorityOpinion,
    CommitteeMembership,
    Expert,
    ProposedList,
    ReviewRound,
    RoundEntry,
)

ROSTER_PAGE_SIZE = 50
AUTHORITY_PAGE_SIZE = 50
# Columns the roster list shows: no note, no contact beyond what staff need to call.
ROSTER_COLUMNS = ("pk", "name", "employer_name", "employer_uscc", "title", "mobile", "user_id")


def _membership_in_force(on: datetime.date):
    """The membership row in force on `on` for the expert of the outer query: the latest
    (by term start, then by id) among those that started on or before that day. A later row
    supersedes an earlier one (动态调整), so overlapping terms never count twice."""
    return (CommitteeMembership.objects
            .filter(expert=OuterRef("pk"), term_start__lte=on)
            .order_by("-term_start", "-id"))


def _current_membership():
    """The latest membership row of the outer query's expert, whatever its dates."""
    return CommitteeMembership.objects.filter(expert=OuterRef("pk")).order_by("-term_start", "-id")


def active_experts(on: datetime.date | None = None) -> QuerySet[Expert]:
    """The experts who are active committee members on the day `on` (today in Beijing when
    None): the membership row in force that day has status 在库 (ACTIVE) and its term has not
    ended before that day (an empty term end: open-ended). Suspended (暂停) and departed (退出)
    members, experts whose term ended, and experts never appointed are left out.

    This is the rule of 第四条 for "who may be assigned": assignment (manual and automatic)
    draws only from this queryset. Returns a queryset of `Expert`, ordered by name; chain
    `.filter()` / `.only()` as needed.
    """
    on = on or timezone.localdate()
    in_force = _membership_in_force(on)
    return (Expert.objects
            .annotate(_status_on=Subquery(in_force.values("status")[:1]),
                      _end_on=Subquery(in_force.values("term_end")[:1]))
            .filter(_status_on=MembershipStatus.ACTIVE)
            .filter(Q(_end_on__isnull=True) | Q(_end_on__gte=on)))


def expert_is_active(expert: Expert, on: datetime.date | None = None) -> bool:
    """True when `expert` is an active committee member on `on` (see `active_experts`)."""
    return active_experts(on).filter(pk=expert.pk).exists()


def roster_queryset(*, field_id: int | None = None, status: str = "",
                    text: str = "") -> QuerySet[Expert]:
    """The roster (专家库) for the secretariat: every expert with the status of their latest
    membership row (`membership_status`, "" when never appointed) and its term end; filtered
    by an industry field, that status ("none" for never appointed) and a text matched against
    the name, the employer and its 统一社会信用代码. Ordered by name (indexed)."""
    current = _current_membership()
    queryset = (Expert.objects.only(*ROSTER_COLUMNS)
                .annotate(membership_status=Subquery(current.values("status")[:1]),
                          membership_term_end=Subquery(current.values("term_end")[:1]))
                .order_by("name", "id"))
    if field_id:
        queryset = queryset.filter(
            Exists(Expert.fields.through.objects.filter(expert_id=OuterRef("pk"),
                                                        industryfield_id=field_id)))
    if status == "none":
        queryset = queryset.filter(membership_status__isnull=True)
    elif status in MembershipStatus.values:
        queryset = queryset.filter(membership_status=status)
    text = text.strip()
    if text:
        from accounts.validators import normalize_uscc

        queryset = queryset.filter(Q(name__icontains=text) | Q(employer_name__icontains=text)
                                   | Q(employer_uscc__startswith=normalize_uscc(text)))
    return queryset


def roster_page(queryset, page_number) -> Page:
    """One page (50 rows) of the roster, each expert's field names prefetched in one query."""
    page = Paginator(queryset, ROSTER_PAGE_SIZE).get_page(page_number)
    experts = list(page.object_list)
    names = {}
    for expert_id, field_name in (Expert.fields.through.objects
                                  .filter(expert_id__in=[e.pk for e in experts])
                                  .order_by("industryfield__sort_order", "industryfield_id")
                                  .values_list("expert_id", "industryfield__name")):
        names.setdefault(expert_id, []).append(field_name)
    for expert in experts:
        expert.field_names = names.get(expert.pk, [])
    page.object_list = experts
    return page


def expert_with_history(pk: int) -> Expert:
    """The expert with fields, ties and membership history prefetched (raises DoesNotExist)."""
    return (Expert.objects.select_related("user")
            .prefetch_related("fields", "ties",
                              "memberships__changed_by")
            .get(pk=pk))


# Industry authorities (第三条、第九条（三）) ---------------------------------------------------

def authority_rounds(user) -> QuerySet[ReviewRound]:
    """The review rounds the user's industry authority was invited to; nothing for anyone
    else. Latest first."""
    departments = user_department_ids(user, Role.INDUSTRY_STAFF)
    if not departments:
        return ReviewRound.objects.none()
    invited = ReviewRound.invited_authorities.through.objects.filter(
        department_id__in=departments).values("reviewround_id")
    # An evaluation round's authorities read and give opinions on the evaluation's own pages.
    return (ReviewRound.objects.filter(pk__in=invited, purpose=RoundPurpose.APPLICATION)
            .order_by("-created_at", "-id"))


def authority_rounds_page(user, page_number):
    """One page (50) of `authority_rounds` with the columns the list shows."""
    queryset = (authority_rounds(user).select_related("call")
                .only("pk", "title", "kind", "status", "deadline", "closed_at", "created_at",
                      "call__title"))
    return Paginator(queryset, AUTHORITY_PAGE_SIZE).get_page(page_number)


def authority_department_id(user, round_: ReviewRound) -> int | None:
    """The user's industry authority that was invited to `round_` (the lowest id if several)."""
    mine = user_department_ids(user, Role.INDUSTRY_STAFF)
    invited = set(round_.invited_authorities.filter(pk__in=mine).values_list("pk", flat=True))
    return min(invited) if invited else None


def round_entries_for_authority(round_: ReviewRound, department_id: int | None):
    """The round's applications for an invited authority: summary columns and whether that
    authority has given its opinion (`has_opinion`). Results (aggregate, ranks) are in the
    rows but the caller shows them only when `experts.read_round_results` allows."""
    opinion = AuthorityOpinion.objects.filter(round_id=round_.pk,
                                              application_id=OuterRef("application_id"),
                                              department_id=department_id)
    return (RoundEntry.objects.filter(round=round_)
            .select_related("application", "application__organisation",
                            "application__industry_field")
            .only("pk", "aggregate", "rank_in_call", "rank_in_field", "application__id",
                  "application__center_name", "application__receipt_number",
                  "application__organisation__name", "application__industry_field__name")
            .annotate(has_opinion=Exists(opinion))
            .order_by(F("rank_in_call").asc(nulls_last=True), "id"))


def round_opinions_locked(round_: ReviewRound) -> bool:
    """True once the proposed list (拟评定名单) of the round, or of its call, is frozen: the
    authorities' opinions are then part of the record and no longer editable."""
    return ProposedList.objects.filter(Q(round_id=round_.pk) | Q(call_id=round_.call_id),
                                       status=ProposedListStatus.FROZEN).exists()


def authority_dashboard_rounds(user) -> dict:
    """For the industry dashboard: the latest invited rounds (at most 10) and how many."""
    from applications.selectors import dashboard_rows

    return dashboard_rows(authority_rounds(user).select_related("call").only(
        "pk", "title", "kind", "status", "deadline", "created_at", "call__title"))


def round_authority_opinions(round_: ReviewRound) -> dict[int, list[AuthorityOpinion]]:
    """The invited authorities' opinions of a round by application id (第三条), for the
    commission's results page beside the scores; each with its department and author loaded,
    in department order. One query."""
    opinions = {}
    for opinion in (AuthorityOpinion.objects.filter(round=round_)
                    .select_related("department", "author")
                    .order_by("application_id", "department__sort_order", "department_id")):
        opinions.setdefault(opinion.application_id, []).append(opinion)
    return opinions
