from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
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
