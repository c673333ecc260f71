"""The secretariat's acts on the committee (第四条) and the industry authorities' part in a
round (第三条、第九条（三）): membership changes kept as history, expert accounts, invitations
of authorities, and the authorities' opinions. Every act checks the actor's permission and
leaves an audit row.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Department, RoleAssignment, User
from accounts.services import password_set_link
from accounts.validators import validate_username_available
from applications.models import Application
from core.audit import audit_record
from core.notifications import notify

from .enums import MembershipStatus
from .models import AuthorityOpinion, CommitteeMembership, Expert, ReviewRound
from .selectors import authority_department_id, round_opinions_locked


def _require(actor, perm: str, obj=None, message: str = "您没有办理此事项的权限。"):
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _membership_row(membership: CommitteeMembership | None) -> dict | None:
    if membership is None:
        return None
    return {"status": membership.status, "term_start": str(membership.term_start),
            "term_end": str(membership.term_end or ""), "reason": membership.reason}


def current_membership(expert: Expert) -> CommitteeMembership | None:
    """The expert's latest membership row (by term start, then id), or None."""
    return expert.memberships.order_by("-term_start", "-id").first()


@transaction.atomic
def membership_change(*, expert: Expert, status: str, reason: str, actor,
                      term_start: datetime.date | None = None,
                      term_end: datetime.date | None = None,
                      request=None) -> CommitteeMembership:
    """第四条 动态调整: the secretariat changes an expert's committee status (MembershipStatus:
    active 在库, suspended 暂停, left 退出) or renews a term. The current row is closed (its term
    ends the day before `term_start`, or on that day when it started then) and a new row starts
    on `term_start` (today, Beijing, when None) with `term_end` (the current row's end when
    None); nothing is overwritten, so the rows are the history. Returns the new row.

    Errors: PermissionDenied without `experts.manage_roster`; ValidationError (Chinese) for an
    unknown status, an empty reason, a start before the current row's start, an end before the
    start, or a "change" that changes nothing.
    """
    _require(actor, "experts.manage_roster", message="只有市发展改革委专家委员会秘书处可以调整专家状态。")
    if status not in MembershipStatus.values:
        raise ValidationError("专家状态不正确。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写调整原因。")
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    current = current_membership(expert)
    start = term_start or timezone.localdate()
    end = term_end if term_end is not None else (current.term_end if current else None)
    if current is not None:
        if start < current.term_start:
            raise ValidationError(
                f"调整生效日期不能早于当前聘任记录的开始日期（{current.term_start:%Y-%m-%d}）。")
        if status == current.status and term_start is None and term_end is None:
            raise ValidationError(f"该专家当前已是“{current.get_status_display()}”状态。")
    if end is not None and end < start:
        raise ValidationError("聘期结束日期不能早于开始日期。")
    before = _membership_row(current)
    if current is not None:
        closed_on = start - datetime.timedelta(days=1)
        if current.term_end is None or current.term_end > closed_on:
            current.term_end = max(closed_on, current.term_start)
            current.save(update_fields=["term_end"])
    membership = CommitteeMembership.objects.create(
        expert=expert, status=status, term_start=start, term_end=end, reason=reason,
        changed_by=actor)
    audit_record(action="expert.membership_change", actor=actor, target=expert, before=before,
                 after=_membership_row(membership), note=reason, request=request)
    return membership


def _expert_invitation(user: User, expert: Expert, actor, request=None) -> None:
    base = request.build_absolute_uri("/")[:-1] if request is not None else ""
    notify(recipient=user, purpose="expert_account_invited", in_app=False,
           context={"expert": expert, "inviter": actor,
                    "set_password_url": base + password_set_link(user)})


@transaction.atomic
def expert_account_create(*, expert: Expert, username: str, actor, request=None) -> User:
    """Opens a login account (role 评审专家, no department) for a roster expert and links it
    (`Expert.user`); the expert sets a password from the e-mailed link (the same
    password-set link as the accounts app's invitations, `accounts.services.password_set_link`).

    Errors: PermissionDenied without `experts.manage_roster`; ValidationError (Chinese) when
    the expert already has an account, has no e-mail address, or the user name is taken or
    reserved.
    """
    _require(actor, "experts.manage_roster", message="只有市发展改革委专家委员会秘书处可以开通专家账号。")
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.user_id is not None:
        raise ValidationError("该专家已有登录账号。")
    if not expert.email:
        raise ValidationError("该专家未登记电子邮箱，无法发送设置密码的邮件；请先补充电子邮箱。")
    username = (username or "").strip()
    if not username:
        raise ValidationError("请填写用户名。")
    validate_username_available(username)
    user = User.objects.create_user(username=username, email=expert.email, real_name=expert.name,
                                    mobile=expert.mobile, password=None)
    RoleAssignment.objects.create(user=user, role=Role.EXPERT)
    expert.user = user
    expert.save(update_fields=["user"])
    audit_record(action="expert.account_create", actor=actor, target=expert,
                 after={"username": username}, request=request)
    _expert_invitation(user, expert, actor, request)
    return user


@transaction.atomic
def round_authorities_set(*, round_: ReviewRound, departments, actor,
                          request=None) -> list[int]:
    """第三条、第九条（三）: the commission invites industry authorities to a round (and withdraws
    invitations): the round's invited authorities become exactly `departments` (industry
    authorities only). An audit row records the list before and after when it changed.
    Returns the ids of the invited authorities.

    Errors: PermissionDenied without `experts.manage_round`; ValidationError when a department
    is not an industry authority.
    """
    _require(actor, "experts.manage_round", round_,
             message="只有市发展改革委可以邀请行业主管部门会同评审。")
    wanted = {d.pk if isinstance(d, Department) else int(d) for d in departments}
    kinds = dict(Department.objects.filter(pk__in=wanted).values_list("pk", "kind"))
    if set(kinds) != wanted or any(k != "industry_authority" for k in kinds.values()):
        raise ValidationError("只能邀请行业主管部门。")
    before = sorted(round_.invited_authorities.values_list("pk", flat=True))
    if before != sorted(wanted):
        round_.invited_authorities.set(wanted)
        names = dict(Department.objects.filter(pk__in=set(before) | wanted)
                     .values_list("pk", "name"))
        audit_record(action="review_round.invite_authorities", actor=actor, target=round_,
                     before={"authorities": [names[pk] for pk in before]},
                     after={"authorities": [names[pk] for pk in sorted(wanted)]},
                     request=request)
    return sorted(wanted)


@transaction.atomic
def authority_opinion_save(*, round_: ReviewRound, application: Application, actor,
                           opinion: str, request=None) -> AuthorityOpinion:
    """第三条: an invited industry authority records (or revises) its opinion on one application
    of the round; one opinion per round, application and authority, kept until the round's
    proposed list is frozen. The commission reads it beside the scores.

    Errors: PermissionDenied without `experts.give_authority_opinion` on the round;
    ValidationError (Chinese) for an application not in the round, an empty opinion, or a
    frozen proposed list.
    """
    _require(actor, "experts.give_authority_opinion", round_,
             message="只有受邀会同评审的行业主管部门可以填写意见。")
    if not round_.entries.filter(application_id=application.pk).exists():
        raise ValidationError("该申报不在本轮评审中。")
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError("请填写意见。")
    if round_opinions_locked(round_):
        raise ValidationError("拟评定名单已确定，意见不能再修改。")
    department_id = authority_department_id(actor, round_)
    existing = (AuthorityOpinion.objects.select_for_update()
                .filter(round=round_, application=application, department_id=department_id)
                .first())
    before = {"opinion": existing.opinion} if existing else None
    if existing is None:
        existing = AuthorityOpinion(round=round_, application=application,
                                    department_id=department_id)
    existing.opinion, existing.author = opinion, actor
    existing.save()
    audit_record(action="authority_opinion.save", actor=actor, target=application,
                 before=before, after={"round": round_.pk, "opinion": opinion}, request=request)
    return existing
