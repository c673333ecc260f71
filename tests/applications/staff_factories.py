"""Applications in any state, written straight to the database, for the commission's list.

The staff list and its export only read applications; building dozens of them through the
drafting services (uploads, eligibility, the window) would test those services again and cost
seconds. These helpers write rows as the services leave them.
"""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from accounts.enums import OrganisationKind
from applications.plan import PLAN_HEADINGS
from applications.enums import ApplicationStatus, AttachmentKind, UnitRole
from applications.models import (
    Application,
    ApplicationUnit,
    Attachment,
    Call,
    IndustryField,
    PolicyDocument,
)
from tests.factories import OrganisationFactory, make_uscc

_numbers = itertools.count(5000)


def staff_call(title: str, *, year: int = 2026, fields=("智能家电", "人工智能")) -> Call:
    now = timezone.now()
    call = Call.objects.create(
        year=year, title=title, body="请各单位按要求申报。",
        policy=PolicyDocument.objects.first(),
        opens_at=now - datetime.timedelta(days=20), closes_at=now - datetime.timedelta(days=1),
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=30),
    )
    call.industry_fields.set(IndustryField.objects.filter(name__in=fields))
    return call


def direct_organisation(name: str):
    """A 市直 unit: 第八条 sends its application straight to the commission."""
    return OrganisationFactory(name=name, uscc=make_uscc(next(_numbers)), is_city_level=True,
                               competent_department=None,
                               kind=OrganisationKind.RESEARCH_INSTITUTE)


def _unit(application, role, organisation=None, **fields):
    number = next(_numbers)
    values = {
        "name": organisation.name if organisation else f"青岛联合数字科技有限公司{number}",
        "uscc": organisation.uscc if organisation else make_uscc(number),
        "kind": organisation.kind if organisation else OrganisationKind.ENTERPRISE,
        "registered_on": datetime.date(2015, 6, 18),
        "registered_capital": Decimal("5000.00"),
        "revenue_last_year": Decimal("3.2000"),
        "rd_investment_last_year": Decimal("2400.00"),
        "enterprise_qualification": "高新技术企业",
        "industry_qualification": "信息系统建设和服务能力评估CS3级",
        "legal_representative": "王海",
        "phone": "0532-88886666",
    }
    values.update(fields)
    return ApplicationUnit.objects.create(application=application, role=role, **values)


def staff_application(call, organisation, *, created_by, status=ApplicationStatus.SUBMITTED,
                      field="智能家电", center_name=None, joint_unit: dict | None = None,
                      attachments: int = 0, **fields) -> Application:
    """An application as the services leave it in `status`: routed (第八条) once submitted."""
    submitted = status != ApplicationStatus.DRAFT
    routed = {}
    if submitted:
        if organisation.submits_directly_to_commission:
            routed = {"routed_to_commission": True}
        else:
            routed = {"routed_department": organisation.competent_department}
    now = timezone.now()
    values = {
        "submitted_at": now if submitted else None,
        "has_joint_unit": joint_unit is not None,
        "center_name": center_name if center_name is not None
        else f"青岛市{field}产业数字化转型赋能中心（{organisation.name}）",
        "industry_field": IndustryField.objects.get(name=field),
        "director_name": "张明", "director_title": "总经理", "director_phone": "13800000000",
        "director_email": "director@example.cn",
        "tech_lead_name": "李工", "tech_lead_title": "高级工程师",
        "tech_lead_phone": "13800000001", "tech_lead_email": "tech@example.cn",
        "service_lead_name": "王服", "service_lead_title": "服务总监",
        "service_lead_phone": "0532-88886667", "service_lead_email": "service@example.cn",
        "service_summary": "已为120家企业提供数字化诊断服务。",
        "construction_content": "建设诊断咨询与解决方案平台。",
        "goal_key_technologies": 3, "goal_key_technologies_note": "突破工业视觉检测技术。",
        "goal_scenarios": 12, "goal_scenarios_note": "落地12个应用场景。",
        "goal_solutions": 5, "goal_solutions_note": "形成5套行业解决方案。",
        "goal_patents": 8, "goal_patents_note": "新增发明专利8项。",
        "goal_other": "培养数字化人才200名。",
        **{item.field: item.short.split("）")[-1] + "。" for item in PLAN_HEADINGS},
        "plan_other": "无",
        "lead_commitment_at": now if submitted else None,
        "joint_commitment_at": now if submitted and joint_unit is not None else None,
        "current_step": "commitment",
        **routed,
    }
    values.update(fields)
    application = Application.objects.create(call=call, organisation=organisation, status=status,
                                             created_by=created_by, **values)
    _unit(application, UnitRole.LEAD, organisation)
    if joint_unit is not None:
        _unit(application, UnitRole.JOINT, **joint_unit)
    for n in range(attachments):
        Attachment.objects.create(
            application=application, kind=AttachmentKind.CASE,
            file=f"applications/{application.pk}/case{n}.pdf", original_name=f"案例{n}.pdf",
            content_type="application/pdf", size=1024, sha256="0" * 64,
            uploaded_by=created_by,
        )
    return application
