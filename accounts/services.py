from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.audit import audit_record
from core.notifications import notify

from .enums import Role
from .models import Organisation, RoleAssignment, User
from .validators import normalize_uscc


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

    The user stays inactive until the e-mailed link is opened.
    """
    uscc = normalize_uscc(organisation_data["uscc"])
    existing = Organisation.objects.filter(uscc=uscc).first()
    if existing is not None:
        raise DuplicateOrganisation(existing)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(**{**organisation_data, "uscc": uscc})
    except IntegrityError:  # a concurrent registration of the same code won the race
        raise DuplicateOrganisation(Organisation.objects.get(uscc=uscc)) from None
    user = User.objects.create_user(
        username=username, password=password, email=email,
        real_name=real_name, mobile=mobile, is_active=False,
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
        context={"organisation": organisation, "confirm_url": base + confirmation_link(user)},
        in_app=False,
    )
    return user


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
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(action="user.confirm_email", actor=user, target=user)
    return True


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
