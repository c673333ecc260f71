import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.audit import audit_record
from core.models import OutgoingMail
from core.notifications import mail_queue, notify, render_text

from .enums import Role
from .models import Organisation, OrganisationClaim, RoleAssignment, User
from .validators import normalize_uscc

log = logging.getLogger(__name__)


class DuplicateOrganisation(Exception):
    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        super().__init__(organisation.uscc)


def confirmation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("register_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def organisation_register(
    *,
    organisation_data: dict,
    username: str,
    password: str,
    real_name: str,
    mobile: str,
    email: str,
    request=None,
) -> User:
    """Self-registration of an applicant unit and its first user, who becomes its administrator.

    The user stays inactive until the e-mailed link is opened, at the latest
    `settings.REGISTRATION_CONFIRM_HOURS` later; until then the unit's 统一社会信用代码 is taken.
    A lapsed registration of the same code is released first, so it never blocks a new one.
    Raises `DuplicateOrganisation` when the code is held by a unit that is not lapsed.
    """
    uscc = normalize_uscc(organisation_data["uscc"])
    now = timezone.now()
    existing = Organisation.objects.select_for_update().filter(uscc=uscc).first()
    if existing is not None and registration_is_lapsed(existing, now=now):
        registration_release(organisation=existing)
        existing = None
    if existing is not None:
        raise DuplicateOrganisation(existing)
    expires_at = now + datetime.timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                **{**organisation_data, "uscc": uscc}, registration_expires_at=expires_at)
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise DuplicateOrganisation(Organisation.objects.get(uscc=uscc)) from None
    user = User.objects.create_user(
        username=username, password=password, email=email,
        real_name=real_name, mobile=mobile, is_active=False, awaiting_email_confirmation=True,
    )
    RoleAssignment.objects.create(
        user=user, role=Role.APPLICANT, organisation=organisation, is_administrator=True
    )
    audit_record(action="organisation.register", actor_label=username, target=organisation,
                 after={"uscc": uscc, "name": organisation.name}, request=request)
    base = request.build_absolute_uri("/")[:-1] if request is not None else ""
    notify(
        recipient=user,
        purpose="account_confirm",
        context={"organisation": organisation, "confirm_url": base + confirmation_link(user),
                 "expires_at": expires_at},
        in_app=False,
    )
    return user


# Unconfirmed registrations lapse -------------------------------------------------------------

def registration_is_lapsed(organisation: Organisation, *, now=None) -> bool:
    """True when a self-registration was not confirmed before its deadline."""
    deadline = organisation.registration_expires_at
    return deadline is not None and deadline <= (now or timezone.now())


def registration_release(*, organisation: Organisation) -> None:
    """Removes a lapsed self-registration: its never-confirmed users, their memberships and the
    unit, so that its 统一社会信用代码 and user names can be registered again. Audited.

    A unit something else already points at (it should not happen: nobody could sign in) is
    kept and logged rather than failing the caller; the next sweep tries again.
    """
    members = list(RoleAssignment.objects.filter(organisation=organisation)
                   .select_related("user"))
    usernames = sorted(m.user.username for m in members)
    try:
        with transaction.atomic():
            stale_users = [m.user for m in members if not m.user.is_active
                           and m.user.awaiting_email_confirmation]
            RoleAssignment.objects.filter(organisation=organisation).delete()
            for user in stale_users:
                if not user.role_assignments.exists():
                    user.delete()
            audit_record(action="organisation.registration_lapsed", target=organisation,
                         before={"uscc": organisation.uscc, "name": organisation.name,
                                 "usernames": usernames,
                                 "expired_at": organisation.registration_expires_at.isoformat()},
                         note="注册后未在期限内确认邮箱，注册失效，统一社会信用代码已释放。")
            organisation.delete()
    except ProtectedError:
        log.warning("lapsed registration %s is referenced elsewhere; kept", organisation.pk)


def registrations_release_lapsed(*, now=None, limit: int = 500) -> int:
    """Releases every lapsed self-registration (the deadline sweep and the registration page
    call this); returns how many were released. At most `limit` per call."""
    now = now or timezone.now()
    released = 0
    ids = list(Organisation.objects.filter(registration_expires_at__lte=now)
               .values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().filter(pk=pk).first()
            if organisation is not None and registration_is_lapsed(organisation, now=now):
                registration_release(organisation=organisation)
                released += 1
    return released


# Confirmation mail again, rate-limited -------------------------------------------------------

CONFIRMATION_RESEND_INTERVAL = datetime.timedelta(minutes=1)
CONFIRMATION_MAILS_PER_DAY = 5


class ResendRefused(Exception):
    """The confirmation mail cannot be sent again now; the message says when it can."""


def user_awaits_confirmation(user: User) -> bool:
    return not user.is_active and user.awaiting_email_confirmation


def user_awaiting_confirmation(*, username: str, password: str) -> User | None:
    """The account `username` if it still awaits its e-mail confirmation and `password` is
    its password, else None (unknown names cost no password hash here: the login that follows
    pays it as for everyone)."""
    user = User.objects.filter(username=username, is_active=False,
                               awaiting_email_confirmation=True).first()
    if user is not None and user.check_password(password):
        return user
    return None


def user_registration_lapsed(user: User, *, now=None) -> bool:
    """True when the user's self-registration lapsed (no resend then: register again)."""
    return any(registration_is_lapsed(a.organisation, now=now)
               for a in user.role_assignments.select_related("organisation")
               if a.organisation_id)


def confirmation_resend(*, user: User, request=None, now=None) -> None:
    """Sends the e-mail confirmation link again: at most once a minute and
    `CONFIRMATION_MAILS_PER_DAY` times in 24 hours per account (the first mail counts), read from
    the recorded mails. Raises `ResendRefused` with a Chinese message otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user_awaits_confirmation(user) or not user.email:
            raise ResendRefused("该账号无需确认邮箱。")
        if user_registration_lapsed(user, now=now):
            raise ResendRefused("注册已超过确认期限而失效，请重新注册。")
        sent = OutgoingMail.objects.filter(recipient=user, purpose="account_confirm",
                                           created_at__gt=now - datetime.timedelta(days=1))
        if sent.filter(created_at__gt=now - CONFIRMATION_RESEND_INTERVAL).exists():
            raise ResendRefused("确认邮件刚刚发出，请1分钟后再试。")
        if sent.count() >= CONFIRMATION_MAILS_PER_DAY:
            raise ResendRefused(f"确认邮件24小时内最多发送{CONFIRMATION_MAILS_PER_DAY}次，"
                                "请检查垃圾邮件箱，或明天再试。")
        membership = user.role_assignments.select_related("organisation").filter(
            organisation__isnull=False).first()
        organisation = membership.organisation if membership else None
        base = request.build_absolute_uri("/")[:-1] if request is not None else ""
        notify(recipient=user, purpose="account_confirm", in_app=False,
               context={"organisation": organisation,
                        "confirm_url": base + confirmation_link(user),
                        "expires_at": organisation.registration_expires_at
                        if organisation else None})
        audit_record(action="user.confirmation_resend", actor_label=user.username, target=user,
                     request=request)


def password_set_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def organisation_member_add(*, organisation, actor, username: str, real_name: str, email: str,
                            mobile: str, request=None) -> User:
    """The organisation's administrator opens an account for a colleague, who sets a password
    from the e-mailed link."""
    if not actor.has_perm("accounts.add_organisation_member", organisation):
        raise PermissionDenied("只有本单位的账号管理员可以开通账号。")
    user = User.objects.create_user(username=username, email=email, real_name=real_name,
                                    mobile=mobile, password=None)
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT, organisation=organisation)
    audit_record(action="organisation.member_add", actor=actor, target=organisation,
                 after={"username": username, "real_name": real_name}, request=request)
    base = request.build_absolute_uri("/")[:-1] if request is not None else ""
    notify(recipient=user, purpose="account_invited", in_app=False,
           context={"organisation": organisation, "inviter": actor,
                    "set_password_url": base + password_set_link(user)})
    return user


def user_confirm_email(*, user: User, token: str) -> bool:
    # An invalid token is refused even for an active account, so a forged link reveals nothing.
    if not default_token_generator.check_token(user, token):
        return False
    if user.is_active:
        return True
    if user_registration_lapsed(user):
        return False  # the sweep (or the next registration of the code) removes it
    user.is_active = True
    user.awaiting_email_confirmation = False
    user.save(update_fields=["is_active", "awaiting_email_confirmation"])
    Organisation.objects.filter(memberships__user=user, registration_expires_at__isnull=False) \
        .update(registration_expires_at=None)
    audit_record(action="user.confirm_email", actor=user, target=user)
    return True


# Lock-out (MLPS 2.0: five failures per user name and address) ---------------------------------

def account_unlock(*, username: str, actor=None, request=None, reason: str = "") -> int:
    """Lifts every lock-out of `username` (all addresses) and returns how many failure records
    were cleared. The commission (permission `accounts.unlock_account`) or a completed password
    reset (actor None: the account holder proved themselves by e-mail) may do this. Audited."""
    from axes.utils import reset

    if actor is not None and not actor.has_perm("accounts.unlock_account"):
        raise PermissionDenied("只有市发展改革委工作人员可以解除账号锁定。")
    cleared = reset(username=username)
    target = User.objects.filter(username=username).first()
    audit_record(action="auth.unlock", actor=actor, actor_label="" if actor else username,
                 target=target, after={"username": username, "cleared": cleared},
                 note=reason, request=request)
    return cleared


# Claiming a unit registered by someone else --------------------------------------------------

class ClaimError(Exception):
    """A claim cannot be decided as asked; the message says why (Chinese)."""


@transaction.atomic
def organisation_claim_submit(*, uscc: str, organisation_name: str, licence, licence_extension:
                              str, real_name: str, mobile: str, email: str, username: str,
                              password: str, note: str = "", request=None) -> OrganisationClaim:
    """Records a company's request for the unit registered under its 统一社会信用代码, with its
    business licence (type detected by content by the caller). The password is kept hashed
    until the commission decides. Audited."""
    from django.contrib.auth.hashers import make_password

    uscc = normalize_uscc(uscc)
    claim = OrganisationClaim(
        organisation=Organisation.objects.filter(uscc=uscc).first(), uscc=uscc,
        organisation_name=organisation_name, licence_extension=licence_extension,
        licence_original_name=getattr(licence, "name", "")[:200], real_name=real_name,
        mobile=mobile, email=email, username=username, password_hash=make_password(password),
        note=note,
    )
    claim.licence.save("licence", licence, save=False)
    claim.save()
    audit_record(action="organisation.claim_submit", actor_label=username, target=claim,
                 after={"uscc": uscc, "organisation_name": organisation_name,
                        "username": username}, request=request)
    return claim


def organisation_claim_licence_open(*, claim: OrganisationClaim, actor, request=None):
    """The claimant's business licence, opened for reading (binary file) by the commission;
    every read of it is audited. Raises PermissionDenied for anyone else."""
    if not actor.has_perm("accounts.view_organisation_claim"):
        raise PermissionDenied("只有市发展改革委工作人员可以查看营业执照。")
    audit_record(action="organisation.claim_licence_read", actor=actor, target=claim,
                 request=request)
    return claim.licence.open("rb")


def _decidable(claim: OrganisationClaim, actor) -> OrganisationClaim:
    if not actor.has_perm("accounts.decide_organisation_claim"):
        raise PermissionDenied("只有市发展改革委工作人员可以处理单位认领申请。")
    claim = OrganisationClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != OrganisationClaim.Status.PENDING:
        raise ClaimError(f"“{claim}”的认领申请已处理（{claim.get_status_display()}）。")
    return claim


@transaction.atomic
def organisation_claim_approve(*, claim: OrganisationClaim, actor, request=None) -> User:
    """The commission has checked the business licence: the unit passes to the claimant, whose
    account (inactive until the e-mail is confirmed) becomes its administrator; everyone who
    belonged to the unit loses the membership and is told. Audited; the claimant is notified.
    Raises `ClaimError` when the claim was decided already, the unit no longer exists or the
    user name was taken meanwhile."""
    claim = _decidable(claim, actor)
    organisation = (Organisation.objects.select_for_update().filter(pk=claim.organisation_id)
                    .first() if claim.organisation_id else None)
    if organisation is None:
        raise ClaimError(f"统一社会信用代码 {claim.uscc} 下已无注册单位（原注册已失效），"
                         "申请人可直接注册，请拒绝此申请并说明。")
    if User.objects.filter(username__iexact=claim.username).exists():
        raise ClaimError(f"用户名“{claim.username}”已被占用，请拒绝此申请并请申请人换一个用户名重新提交。")
    previous = list(RoleAssignment.objects.filter(organisation=organisation)
                    .select_related("user"))
    before = {"name": organisation.name,
              "members": sorted(m.user.username for m in previous),
              "registration_expires_at": organisation.registration_expires_at.isoformat()
              if organisation.registration_expires_at else None}
    RoleAssignment.objects.filter(organisation=organisation).delete()
    claimant = User.objects.create(
        username=claim.username, password=claim.password_hash, email=claim.email,
        real_name=claim.real_name, mobile=claim.mobile, is_active=False,
        awaiting_email_confirmation=True,
    )
    RoleAssignment.objects.create(user=claimant, role=Role.APPLICANT, organisation=organisation,
                                  is_administrator=True)
    organisation.name = claim.organisation_name
    organisation.registration_expires_at = None  # the commission has checked the licence
    organisation.save(update_fields=["name", "registration_expires_at"])
    claim.status = OrganisationClaim.Status.APPROVED
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.claimant = claimant
    claim.save(update_fields=["status", "decided_at", "decided_by", "claimant"])
    audit_record(action="organisation.claim_approve", actor=actor, target=organisation,
                 before=before, after={"name": organisation.name, "members": [claimant.username],
                                       "claim": claim.pk}, request=request,
                 note="核实营业执照后将单位转移给认领人。")
    base = request.build_absolute_uri("/")[:-1] if request is not None else settings.SITE_URL
    notify(recipient=claimant, purpose="organisation_claim_approved", in_app=False,
           context={"organisation": organisation,
                    "confirm_url": base + confirmation_link(claimant)})
    for member in previous:
        if member.user.is_active:
            notify(recipient=member.user, purpose="organisation_membership_ended",
                   context={"organisation": organisation})
    return claimant


@transaction.atomic
def organisation_claim_refuse(*, claim: OrganisationClaim, actor, reason: str,
                              request=None) -> OrganisationClaim:
    """The commission refuses a claim with a reason, which is e-mailed to the claimant.
    Audited. Raises `ClaimError` without a reason or when already decided."""
    reason = (reason or "").strip()
    if not reason:
        raise ClaimError("请填写未通过的理由，申请人将收到此理由。")
    claim = _decidable(claim, actor)
    claim.status = OrganisationClaim.Status.REFUSED
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.refusal_reason = reason
    claim.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    audit_record(action="organisation.claim_refuse", actor=actor, target=claim,
                 after={"status": claim.status}, note=reason, request=request)
    # No account to notify: the mail goes to the address the claimant gave. Plain text, so
    # rendered without HTML escaping like every notice (`core.notifications.render_text`).
    context = {"claim": claim}
    mail_queue(to_address=claim.email, purpose="organisation_claim_refused",
               subject=" ".join(render_text(
                   "notifications/organisation_claim_refused/subject.txt", context).split()),
               body=render_text("notifications/organisation_claim_refused/body.txt",
                                context).strip())
    return claim
# --- 本单位信息 --------------------------------------------------------------------------------

# What the unit keeps itself (and what pre-fills the lead unit of its next application).
ORGANISATION_PROFILE_FIELDS = (
    "legal_representative", "registered_capital", "registered_on",
    "enterprise_qualification", "industry_qualification",
    "phone", "address", "contact_name", "contact_email",
)
# Who the unit is: changed only by the commission, in Django admin.
ORGANISATION_IDENTITY_FIELDS = ("name", "uscc")


def _audit_value(value):
    return None if value is None else str(value)


def _changed(organisation, values: dict) -> tuple[dict, dict]:
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(organisation, name)
        if old != value:
            before[name], after[name] = _audit_value(old), _audit_value(value)
    return before, after


@transaction.atomic
def organisation_update_profile(*, organisation: Organisation, actor, values: dict,
                                request=None) -> Organisation:
    """The unit's administrator keeps the non-identity fields of its 本单位信息 (legal
    representative, capital, qualifications, contacts). `values` maps field names of
    ORGANISATION_PROFILE_FIELDS to new values; anything else is refused. Each change is audited
    with the fields before and after. Raises PermissionDenied for anyone but the unit's
    administrator."""
    if not actor.has_perm("accounts.change_organisation_profile", organisation):
        raise PermissionDenied("只有本单位的账号管理员可以修改本单位信息。")
    unknown = set(values) - set(ORGANISATION_PROFILE_FIELDS)
    if unknown:
        raise PermissionDenied("单位名称、统一社会信用代码等须由市发展改革委变更。")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before, after = _changed(locked, values)
    if not after:
        return locked
    for name in after:
        setattr(locked, name, values[name])
    locked.save(update_fields=list(after))
    audit_record(action="organisation.profile_update", actor=actor, target=locked,
                 before=before, after=after, request=request)
    return locked


@transaction.atomic
def organisation_admin_save(*, organisation: Organisation, actor, changed_fields,
                            request=None) -> Organisation:
    """Django admin's save of an organisation (the commission). `organisation` carries the
    edited values, `changed_fields` the form's changed field names. A change of the identity
    (name, 统一社会信用代码) is recorded as its own audit action; every other change too."""
    if organisation.pk is None:
        organisation.save()
        audit_record(action="organisation.create", actor=actor, target=organisation,
                     after={"name": organisation.name, "uscc": organisation.uscc},
                     request=request)
        return organisation
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    names = [f for f in changed_fields if hasattr(stored, f)]
    before, after = _changed(stored, {f: getattr(organisation, f) for f in names})
    organisation.save()
    identity = [f for f in after if f in ORGANISATION_IDENTITY_FIELDS]
    if identity:
        audit_record(action="organisation.identity_change", actor=actor, target=organisation,
                     before={f: before[f] for f in identity},
                     after={f: after[f] for f in identity}, request=request)
    rest = [f for f in after if f not in ORGANISATION_IDENTITY_FIELDS]
    if rest:
        audit_record(action="organisation.admin_change", actor=actor, target=organisation,
                     before={f: before[f] for f in rest}, after={f: after[f] for f in rest},
                     request=request)
    return organisation
@transaction.atomic
def organisation_route_confirm(*, organisation: Organisation, actor, request=None) -> Organisation:
    """第八条: the commission confirms what the unit declared about its route (市直, 中央、省驻青,
    the 主管部门), after checking it against the business licence and the unit's papers. Only
    then does a submission follow the declaration; see `Organisation.route_is_confirmed`.

    Raises PermissionDenied unless `actor` is commission staff.
    """
    if not actor.has_perm("accounts.confirm_organisation_route", organisation):
        raise PermissionDenied("只有市发展改革委工作人员可以确认单位的报送路径。")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {"confirmed_claim": locked.route_confirmed_claim or None}
    locked.route_confirmed_claim = locked.route_claim
    locked.route_confirmed_at = timezone.now()
    locked.route_confirmed_by = actor
    locked.save(update_fields=["route_confirmed_claim", "route_confirmed_at",
                               "route_confirmed_by"])
    audit_record(action="organisation.route_confirm", actor=actor, target=locked, request=request,
                 before=before,
                 after={"confirmed_claim": locked.route_confirmed_claim,
                        "is_city_level": locked.is_city_level,
                        "is_central_or_provincial": locked.is_central_or_provincial,
                        "competent_department": str(locked.competent_department or "")})
    return locked


def commission_admin_group_sync() -> Group:
    """The group that gives commission staff the Django admin model permissions their work
    needs (`accounts.admin_access.COMMISSION_ADMIN_PERMISSIONS`), created or brought up to date.

    Run after every `migrate`, so a model added later gets its permissions in every
    installation. Portal acts stay with the role rules: the group opens admin pages only.
    """
    from .admin_access import COMMISSION_ADMIN_GROUP, COMMISSION_ADMIN_PERMISSIONS

    group, _ = Group.objects.get_or_create(name=COMMISSION_ADMIN_GROUP)
    wanted = Q()
    for label in COMMISSION_ADMIN_PERMISSIONS:
        app_label, codename = label.split(".", 1)
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def _assignment_row(assignment: RoleAssignment) -> dict:
    return {"user": assignment.user.get_username(), "role": assignment.role,
            "organisation": str(assignment.organisation or ""),
            "department": str(assignment.department or ""),
            "is_administrator": assignment.is_administrator}


@transaction.atomic
def role_assignment_save(*, assignment: RoleAssignment, actor, request=None) -> RoleAssignment:
    """Saves a role given or changed in admin, with an audit row: a role is what lets someone
    act in the portal, so granting one (to oneself included) must leave a trace."""
    before = None
    if assignment.pk:
        previous = RoleAssignment.objects.filter(pk=assignment.pk).select_related(
            "user", "organisation", "department").first()
        before = _assignment_row(previous) if previous else None
    assignment.save()
    audit_record(action="role.assign" if before is None else "role.change", actor=actor,
                 target=assignment.user, before=before, after=_assignment_row(assignment),
                 request=request)
    return assignment


@transaction.atomic
def role_assignment_delete(*, assignment: RoleAssignment, actor, request=None) -> None:
    """Removes a role, with an audit row."""
    audit_record(action="role.revoke", actor=actor, target=assignment.user,
                 before=_assignment_row(assignment), request=request)
    assignment.delete()


def user_admin_flags_record(*, user: User, before: dict, actor, request=None) -> None:
    """An audit row when admin changed who may open Django admin (`is_staff`, `is_superuser`,
    groups); `before` holds the values before the change."""
    after = {"is_staff": user.is_staff, "is_superuser": user.is_superuser,
             "groups": sorted(user.groups.values_list("name", flat=True))}
    if before != after:
        audit_record(action="user.admin_access", actor=actor, target=user, before=before,
                     after=after, request=request)
