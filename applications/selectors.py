from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids, user_organisation_ids, user_roles

from .enums import ApplicationStatus, CallStatus
from .filters import ApplicationFilter
from .models import Application, ApplicationExport, ApplicationUnit, Attachment, Call


def calls_published():
    return (
        Call.objects.filter(status__in=[CallStatus.PUBLISHED, CallStatus.CLOSED])
        .select_related("policy")
        .prefetch_related("industry_fields")
        .order_by("-opens_at")
    )


def calls_listed(now=None):
    """Published calls not yet closed: open ones and those whose window is still to come,
    in the order they open, so that what accepts applications now comes first."""
    now = now or timezone.now()
    return calls_published().filter(status=CallStatus.PUBLISHED, closes_at__gt=now).order_by(
        "opens_at", "pk")


def applications_visible_to(user):
    """What this user may see; everything else is 404 to them."""
    applications = Application.objects.all()
    roles = user_roles(user)
    if Role.COMMISSION_STAFF in roles:
        return applications
    condition = Q(organisation_id__in=user_organisation_ids(user))
    district_ids = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    if district_ids:
        condition |= Q(routed_department_id__in=district_ids) & ~Q(status=ApplicationStatus.DRAFT)
    return applications.filter(condition)


def application_with_details(queryset):
    return queryset.select_related(
        "call", "call__policy", "organisation", "industry_field", "routed_department"
    ).prefetch_related(
        Prefetch("units", queryset=ApplicationUnit.objects.order_by("role")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "uploaded_at")),
        "call__materials",
        "call__industry_fields",
    )


def applications_for_list(queryset):
    """Rows for list pages: one query whatever the number of rows."""
    return queryset.select_related(
        "call", "organisation", "industry_field", "routed_department"
    ).annotate(attachment_count=Count("attachments"))


def application_of_organisation(*, call, organisation_ids):
    return Application.objects.filter(call=call, organisation_id__in=organisation_ids).first()


def application_timeline(application) -> list[dict]:
    from core.transitions import status_history

    from .services import APPLICATION_WORKFLOW

    labels = {move.name: move.label for move in APPLICATION_WORKFLOW.moves}
    return [
        {"at": change.occurred_at, "actor": change.actor, "label": labels.get(change.transition,
                                                                              change.transition),
         "reason": change.reason, "to_status": change.to_status}
        for change in status_history(application)
    ]


def applicant_dashboard_applications(user):
    return applications_for_list(
        Application.objects.filter(organisation_id__in=user_organisation_ids(user))
    ).order_by("-call__opens_at", "-updated_at")


def district_dashboard_applications(user):
    return applications_for_list(
        Application.objects.filter(
            routed_department_id__in=user_department_ids(user, Role.DISTRICT_OFFICIAL)
        ).exclude(status=ApplicationStatus.DRAFT)
    ).order_by("-submitted_at")


# --- the commission's list and its export ----------------------------------------------------

# Submitted applications first, newest first; drafts (never submitted) after them.
STAFF_LIST_ORDERING = (F("submitted_at").desc(nulls_last=True), "-updated_at", "-id")


def application_filterset_for(user, data=None):
    """The staff list's filters over what `user` may see: `.form` for the page, `.qs` the rows."""
    return ApplicationFilter(data or None,
                             queryset=applications_visible_to(user).order_by(*STAFF_LIST_ORDERING))


def application_export_selection(export):
    """The applications an export holds: its filters (and the admin's ticked rows) over what the
    requester may see when the file is built."""
    params = dict(export.params)
    ids = params.pop("ids", None)
    queryset = application_filterset_for(export.requested_by, params).qs
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset


def application_exports_visible_to(user):
    """An export holds every application it selected, so only the commission may open one,
    whoever of them asked for it."""
    if Role.COMMISSION_STAFF in user_roles(user):
        return ApplicationExport.objects.select_related("requested_by")
    return ApplicationExport.objects.none()


def call_status_overview():
    """Per listed or recent call: how many applications are in each status (one query)."""
    rows = (
        Application.objects.values("call_id", "call__title", "call__closes_at", "status")
        .annotate(n=Count("id"))
        .order_by("-call__closes_at", "call_id")
    )
    calls = {}
    for row in rows:
        entry = calls.setdefault(row["call_id"], {
            "title": row["call__title"], "closes_at": row["call__closes_at"], "counts": {},
            "total": 0,
        })
        entry["counts"][row["status"]] = row["n"]
        entry["total"] += row["n"]
    return [
        {**entry, "statuses": [(label, entry["counts"].get(value, 0))
                               for value, label in ApplicationStatus.choices]}
        for entry in calls.values()
    ]


def commission_direct_applications():
    """第八条: 市直 and 中央、省驻青 units' submissions, which no district reviews first."""
    return applications_for_list(
        Application.objects.filter(routed_to_commission=True,
                                   status=ApplicationStatus.SUBMITTED)
    ).order_by("-submitted_at")
