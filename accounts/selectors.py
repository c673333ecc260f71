from .enums import Role
from .models import Organisation, RoleAssignment


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
