"""Calls and applications built through the services, as users build them.

`open_call` is published and accepting; `draft_a` is org A's fresh draft; `complete_a` has every
step filled, the attachments and the sealed scan uploaded and the commitment accepted, so it
can be submitted; `submitted_a` is that application submitted (routed to 崂山区).
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.demo import sample_pdf
from applications.enums import AttachmentKind
from applications.models import Call, CallMaterial, IndustryField, PolicyDocument
from applications.plan import PLAN_HEADINGS


def pdf_bytes(text: str = "test") -> bytes:
    """A minimal valid PDF."""
    return sample_pdf(text)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def make_call(*, commission_user, opens_delta=datetime.timedelta(days=-1),
              closes_delta=datetime.timedelta(days=10), title="2026年度赋能中心申报通知",
              publish=True) -> Call:
    now = timezone.now()
    call = Call.objects.create(
        year=2026, title=title, body="请各单位按要求申报。",
        policy=PolicyDocument.objects.first(),
        opens_at=now + opens_delta, closes_at=now + closes_delta,
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=30),
    )
    call.industry_fields.set(IndustryField.objects.filter(name__in=["智能家电", "人工智能"]))
    CallMaterial.objects.create(call=call, kind=AttachmentKind.QUALIFICATION, is_mandatory=True)
    CallMaterial.objects.create(call=call, kind=AttachmentKind.SEALED_FORM, is_mandatory=True)
    if publish:
        call = services.call_publish(call=call, actor=commission_user)
    return call


@pytest.fixture
def open_call(commission_staff):
    return make_call(commission_user=commission_staff)


@pytest.fixture
def draft_a(open_call, applicant_a, org_a):
    return services.application_start(call=open_call, organisation=org_a, actor=applicant_a)


@pytest.fixture
def draft_b(open_call, applicant_b, org_b):
    return services.application_start(call=open_call, organisation=org_b, actor=applicant_b)


COMPLETE_UNIT = {
    "registered_on": datetime.date(2015, 6, 18),
    "registered_capital": 5000,
    "revenue_last_year": 3.2,
    "rd_investment_last_year": 2400,
    "enterprise_qualification": "高新技术企业",
    "industry_qualification": "CS3级",
    "legal_representative": "王海",
    "phone": "0532-88886666",
}


def fill_complete(application, actor):
    """Fills every step directly, as if the user had saved each page."""
    lead = application.units.get(role="lead")
    for name, value in COMPLETE_UNIT.items():
        setattr(lead, name, value)
    lead.save()
    application.has_joint_unit = False  # the applicant chose 无联合承建主体
    application.center_name = "青岛市智能家电产业数字化转型赋能中心"
    application.industry_field = IndustryField.objects.get(name="智能家电")
    for prefix in ("director", "tech_lead", "service_lead"):
        setattr(application, f"{prefix}_name", "张明")
        setattr(application, f"{prefix}_title", "高级工程师")
        setattr(application, f"{prefix}_phone", "13800000000")
        setattr(application, f"{prefix}_email", "zm@example.cn")
    application.service_summary = "已为120家企业提供数字化诊断服务。"
    application.construction_content = "建设诊断咨询与解决方案平台。"
    for name in ("goal_key_technologies", "goal_scenarios", "goal_solutions", "goal_patents"):
        setattr(application, name, 3)
        setattr(application, f"{name}_note", "三年内完成。")
    for item in PLAN_HEADINGS:
        if item.required:
            setattr(application, item.field, f"{item.short}的内容。")
    application.save()
    services.attachment_add(application=application, actor=actor,
                            kind=AttachmentKind.QUALIFICATION,
                            uploaded_file=upload("营业执照.pdf", pdf_bytes()))
    services.attachment_add(application=application, actor=actor,
                            kind=AttachmentKind.SEALED_FORM,
                            uploaded_file=upload("盖章申报表.pdf", pdf_bytes()))
    services.application_record_commitments(application=application, actor=actor, lead=True,
                                            joint=False)
    application.refresh_from_db()
    return application


@pytest.fixture
def complete_a(draft_a, applicant_a):
    return fill_complete(draft_a, applicant_a)


@pytest.fixture
def submitted_a(complete_a, applicant_a):
    return services.application_submit(application=complete_a, actor=applicant_a)
