"""第八条: who reviews a submission first, and the commission's re-routing of one.

What a unit ticks (市直, 中央、省驻青, its 主管部门) decides the route only once the commission
has confirmed it (`accounts.services.organisation_route_confirm`). Until then a submission goes
to the 主管部门 of the district its 统一社会信用代码 names, or, when the code names none, to the
commission's intake, where staff send it on (`application_reroute`).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Department, RoleAssignment
from accounts.selectors import organisation_location_department
from core.audit import audit_record
from core.notifications import notify

from .enums import ApplicationStatus, RoutingBasis
from .models import Application

COMMISSION_NAME = "市发展改革委（市新旧动能办）"


@dataclass(frozen=True)
class RouteDecision:
    """Where a submission goes: `department` (a 主管部门) or the commission
    (`to_commission`), on which `basis`, and why in one Chinese sentence for the applicant."""

    department: Department | None
    to_commission: bool
    basis: str
    reason: str

    @property
    def destination(self) -> str:
        if self.basis == RoutingBasis.INTAKE:
            return f"{COMMISSION_NAME}受理登记"
        return COMMISSION_NAME if self.to_commission else self.department.name

    def application_fields(self) -> dict:
        return {"routed_department": self.department, "routed_to_commission": self.to_commission,
                "routing_basis": self.basis}


def _claim_words(organisation) -> str:
    words = []
    if organisation.is_city_level:
        words.append("“市直单位”")
    if organisation.is_central_or_provincial:
        words.append("“中央、省驻青单位”")
    if not words and organisation.competent_department_id:
        words.append(f"所在地主管部门“{organisation.competent_department.name}”")
    return "、".join(words) or "报送信息"


def route_decision(organisation) -> RouteDecision:
    """第八条 applied to `organisation` as it is now (no database write)."""
    if organisation.route_is_confirmed:
        if organisation.submits_directly_to_commission:
            return RouteDecision(None, True, RoutingBasis.CONFIRMED,
                                 "本单位为市直或中央、省驻青单位，已经市发展改革委确认，直接报送")
        return RouteDecision(organisation.competent_department, False, RoutingBasis.CONFIRMED,
                             "本单位所在地主管部门已经市发展改革委确认")
    location = organisation_location_department(organisation)
    if location is not None:
        if (not organisation.submits_directly_to_commission
                and location.pk == organisation.competent_department_id):
            reason = "本单位所填主管部门与统一社会信用代码所示注册地一致"
        else:
            reason = (f"本单位填报的{_claim_words(organisation)}尚待市发展改革委确认，"
                      f"确认前按统一社会信用代码所示注册地报送{location.name}初审")
        return RouteDecision(location, False, RoutingBasis.LOCATION, reason)
    return RouteDecision(
        None, True, RoutingBasis.INTAKE,
        f"本单位填报的{_claim_words(organisation)}尚待市发展改革委确认，且统一社会信用代码未显示"
        "所在区（市），申报先由市发展改革委受理登记，再直接受理或转至相应主管部门初审")


def destination_preview(organisation) -> str:
    """Where a submission of `organisation` would go and why, in words (第八条)."""
    decision = route_decision(organisation)
    return f"{decision.destination}（{decision.reason}）"


@transaction.atomic
def application_reroute(*, application: Application, department: Department | None, actor,
                        reason: str, request=None) -> Application:
    """第八条: the commission sends a submitted application on to the 主管部门 that must review
    it first (`department`), or takes it in itself (`department=None`: a 市直 or 中央、省驻青
    unit it has confirmed). Audited; the new recipients and the applicant are told.

    Raises PermissionDenied unless `actor` is commission staff, and
    `applications.services.ApplicationError` when the application is not awaiting its first
    review, the department is not a 主管部门, it is already where it would be sent, or the
    reason is empty.
    """
    from .services import ApplicationError, submission_recipients

    if not actor.has_perm("applications.reroute_application", application):
        raise PermissionDenied("只有市发展改革委工作人员可以改派申报。")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise ApplicationError(
            f"申报当前状态为“{locked.get_status_display()}”，只有已提交、尚未初审的申报可以改派。")
    if department is not None and not department.is_competent_department:
        raise ApplicationError("只能改派至区（市）或功能区主管部门。")
    if not reason.strip():
        raise ApplicationError("请填写改派理由。")
    if (locked.routed_department_id == (department.pk if department else None)
            and locked.routed_to_commission == (department is None)):
        raise ApplicationError(f"该申报已报送至{department or '市发展改革委'}，无需改派。")
    before = {"routed_department": str(locked.routed_department or ""),
              "routed_to_commission": locked.routed_to_commission,
              "routing_basis": locked.routing_basis}
    locked.routed_department = department
    locked.routed_to_commission = department is None
    locked.routing_basis = RoutingBasis.REROUTED
    locked.save(update_fields=["routed_department", "routed_to_commission", "routing_basis",
                               "updated_at"])
    audit_record(action="application.reroute", actor=actor, target=locked, request=request,
                 before=before,
                 after={"routed_department": str(department or ""),
                        "routed_to_commission": locked.routed_to_commission,
                        "routing_basis": locked.routing_basis},
                 note=reason)
    link = reverse("applications:detail", args=[locked.pk])
    fresh = Application.objects.select_related("routed_department", "call",
                                               "organisation").get(pk=locked.pk)
    for recipient in submission_recipients(fresh):
        notify(recipient=recipient, purpose="application_rerouted", link=link,
               context={"application": fresh, "reason": reason})
    for assignment in RoleAssignment.objects.filter(
            role=Role.APPLICANT, organisation_id=fresh.organisation_id).select_related("user"):
        if assignment.user.is_active:
            notify(recipient=assignment.user, purpose="application_rerouted_applicant",
                   link=link, context={"application": fresh, "reason": reason})
    return locked
