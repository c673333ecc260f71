from django.db.models import BooleanField, Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat

from .enums import COMPETENT_DEPARTMENT_KINDS, Role
from .models import Department, Organisation, OrganisationClaim, RoleAssignment


def user_role_assignments(user) -> list[RoleAssignment]:
    """The user's roles, loaded once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).select_related("organisation", "department")
        )
        user._role_assignments_cache = cached
    return cached


def role_users(*holders: tuple[str, int | None]) -> list:
    """The active users holding any of `holders`, each a (role, department id or None for any
    department) pair; each user once, in the order their roles were given. One query."""
    condition = Q(pk__in=[])
    for role, department_id in holders:
        condition |= Q(role=role) if department_id is None else Q(role=role,
                                                                  department_id=department_id)
    seen, users = set(), []
    for assignment in (RoleAssignment.objects.filter(condition, user__is_active=True)
                       .select_related("user").order_by("pk")):
        if assignment.user_id not in seen:
            seen.add(assignment.user_id)
            users.append(assignment.user)
    return users


def user_roles(user) -> set[str]:
    return {a.role for a in user_role_assignments(user)}


def user_organisation_ids(user) -> set[int]:
    return {a.organisation_id for a in user_role_assignments(user) if a.role == Role.APPLICANT}


def user_department_ids(user, role: str) -> set[int]:
    return {a.department_id for a in user_role_assignments(user) if a.role == role}


def user_primary_organisation(user) -> Organisation | None:
    for assignment in user_role_assignments(user):
        if assignment.role == Role.APPLICANT:
            return assignment.organisation
    return None


def _mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_email(email: str) -> str:
    """`wangxy@yunfan.example` -> `w***@yunfan.example`: recognisable to its owner only."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""



def organisation_administrator_hints(organisation) -> list[str]:
    """Enough for a colleague to recognise the administrator, not enough to harvest contacts:
    anyone may type a unit's (public) credit code into the registration form."""
    return [
        _mask_name(user.display_name) + (f"（{mask_email(user.email)}）" if user.email else "")
        for user in organisation_administrators(organisation)
    ]


def organisation_members(organisation):
    return (
        RoleAssignment.objects.filter(organisation=organisation, role=Role.APPLICANT)
        .select_related("user")
        .order_by("-is_administrator", "user__date_joined")
    )


def organisation_administrators(organisation):
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            organisation=organisation, role=Role.APPLICANT, is_administrator=True
        ).select_related("user")
    ]


def locked_accounts():
    """User name × address pairs locked out now (django-axes: `AXES_FAILURE_LIMIT` failures
    within `AXES_COOLOFF_TIME`), newest first, as dicts with `username`, `ip_address`,
    `failures` and `last_attempt`. One query; paginate the result."""
    import datetime

    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Max, Sum
    from django.utils import timezone

    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )
def organisation_location_department(organisation):
    """The 主管部门 of the district where the unit is registered, read from its 统一社会信用代码
    (characters 3–8 are the registering authority's area code, GB 32100-2015), or None when the
    code names no district (a city-level registration such as 370200, or outside Qingdao).

    Unlike the 主管部门 the unit ticks, this cannot be chosen freely: the code is checked
    against the business licence when the commission confirms the unit.
    """
    area = (organisation.uscc or "")[2:8]
    if len(area) != 6:
        return None
    return (Department.objects.filter(region_code=area, kind__in=COMPETENT_DEPARTMENT_KINDS,
                                      is_active=True).order_by("sort_order", "id").first())


def organisation_route_status(organisation) -> str:
    """第八条, in words for staff: what the unit declared and whether it counts yet."""
    declared = []
    if organisation.is_city_level:
        declared.append("市直单位")
    if organisation.is_central_or_provincial:
        declared.append("中央、省驻青单位")
    if organisation.competent_department_id:
        declared.append(f"主管部门：{organisation.competent_department.name}")
    what = "、".join(declared) or "未填报"
    if organisation.route_is_confirmed:
        return f"已确认（{what}）"
    if organisation.route_confirmed_claim:
        return f"待确认：确认后单位已修改（{what}）"
    return f"待确认：单位自报（{what}）"


def organisations_with_route_state(queryset):
    """`queryset` annotated with `route_confirmed_now`: the database's reading of
    `Organisation.route_is_confirmed`, for filters and counts over many units."""
    def flag(name):
        return Cast(Cast(name, IntegerField()), CharField())

    claim = Concat(
        Value("city="), flag("is_city_level"), Value(";central="), flag("is_central_or_provincial"),
        Value(";dept="), Coalesce(Cast("competent_department_id", CharField()), Value("")),
        output_field=CharField(),
    )
    return queryset.annotate(route_claim_now=claim).annotate(route_confirmed_now=Case(
        When(Q(route_confirmed_at__isnull=False) & ~Q(route_confirmed_claim="")
             & Q(route_confirmed_claim=F("route_claim_now")), then=Value(True)),
        default=Value(False), output_field=BooleanField()))



def organisation_claims_pending_count() -> int:
    """How many 单位认领 claims wait for the commission's check (one COUNT query)."""
    return OrganisationClaim.objects.filter(status=OrganisationClaim.Status.PENDING).count()
