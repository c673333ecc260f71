"""factory_boy factories for calls and applications, built directly (not through the services).

`ApplicationFactory()` is a complete application of a fresh organisation: every field of the
申报表 and the 建设方案 filled, its lead unit created from the organisation. Pass
`has_joint_unit=True` for a joint unit as well, `status=ApplicationStatus.SUBMITTED` for a
submitted one. Values are distinct per field, so a test can find each one in a page or a PDF.

For applications built the way a user builds them (window, eligibility, submission), use the
fixtures of `tests/applications/conftest.py` instead.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.demo import sample_pdf
from applications.enums import ApplicationStatus, AttachmentKind, CallStatus, UnitRole
from applications.models import (
    Application,
    ApplicationUnit,
    Attachment,
    Call,
    IndustryField,
    PolicyDocument,
)

from ..factories import OrganisationFactory, UserFactory, ValidatedFactory, make_uscc


class CallFactory(ValidatedFactory):
    """A published call, open from yesterday for ten days, offering 智能家电 and 人工智能."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    year = 2026
    title = factory.Sequence(lambda n: f"关于组织申报2026年度赋能中心的通知（第{n}批）")
    body = "请各单位按要求申报。"
    policy = factory.LazyFunction(lambda: PolicyDocument.objects.order_by("pk").first())
    status = CallStatus.PUBLISHED
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    district_review_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def industry_fields(self, create, extracted, **kwargs):
        if create:
            names = extracted or ["智能家电", "人工智能"]
            self.industry_fields.set(IndustryField.objects.filter(name__in=names))


class ApplicationUnitFactory(ValidatedFactory):
    class Meta:
        model = ApplicationUnit

    application = None  # required: pass the application
    role = UnitRole.JOINT
    name = factory.Sequence(lambda n: f"青岛联合数字技术研究院{n}")
    uscc = factory.Sequence(lambda n: make_uscc(500_000 + n, area="370212"))
    kind = "enterprise"
    registered_on = datetime.date(2012, 3, 9)
    registered_capital = Decimal("1200")
    revenue_last_year = Decimal("0.85")
    rd_investment_last_year = Decimal("680")
    enterprise_qualification = "科技型中小企业"
    industry_qualification = "ITSS运维三级"
    legal_representative = "陈联"
    phone = "0532-86667777"


class ApplicationFactory(ValidatedFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    status = ApplicationStatus.DRAFT
    current_step = "commitment"
    has_joint_unit = False

    center_name = "青岛市智能家电产业数字化转型赋能中心"
    industry_field = factory.LazyFunction(lambda: IndustryField.objects.get(name="智能家电"))
    director_name = "张明远"
    director_title = "总经理/正高级工程师"
    director_phone = "13800000001"
    director_email = "director@haizhi.example.cn"
    tech_lead_name = "李技成"
    tech_lead_title = "高级工程师"
    tech_lead_phone = "13800000002"
    tech_lead_email = "tech@haizhi.example.cn"
    service_lead_name = "王服务"
    service_lead_title = "服务总监"
    service_lead_phone = "0532-88886666"
    service_lead_email = "service@haizhi.example.cn"
    service_summary = "已为家电产业链126家企业开展数字化诊断，形成柔性制造解决方案8套。"
    construction_content = "建设诊断咨询、解决方案、人才培训三大平台，服务全市家电企业。"
    goal_key_technologies = 6
    goal_key_technologies_note = "工业视觉质检与设备预测性维护。"
    goal_scenarios = 21
    goal_scenarios_note = "在家电企业落地数字孪生产线。"
    goal_solutions = 9
    goal_solutions_note = "覆盖研发、生产、供应链的行业方案。"
    goal_patents = 14
    goal_patents_note = "申请发明专利与软件著作权。"
    goal_other = "培训数字化人才1000人次。"
    plan_unit_overview = "公司成立于2015年，研发人员300余人。"
    plan_tech_achievements = "工业视觉质检技术已在30家家电企业应用。"
    plan_tech_support = "质检与预测性维护成果支撑中心诊断服务。"
    plan_competitiveness = "技术与市场占有率居省内同行前列。"
    plan_development_goals = "三年建成覆盖全市的家电数字化赋能服务体系。"
    plan_main_content = "建设诊断咨询、解决方案、人才培训三大平台。"
    plan_three_year_schedule = "第一年搭平台，第二年推广，第三年全覆盖。"
    plan_organisation = "理事会领导下的中心主任负责制。"
    plan_team = "技术带头人12名，技术队伍150人。"
    plan_sustainability = "以服务收入和会员制保障持续运营。"
    plan_outcome_targets = "形成9套解决方案、14项专利。"
    plan_site = "建设地点位于崂山区，场地2000平方米。"
    plan_funding = "总投资5000万元，企业自筹为主。"
    plan_benefits = "带动200家企业完成数字化改造。"
    plan_other = "无其他需说明的问题。"

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        """The lead unit from the organisation, and a joint unit when `has_joint_unit`."""
        if not create or extracted is False:
            return
        organisation = self.organisation
        ApplicationUnitFactory(
            application=self, role=UnitRole.LEAD, name=organisation.name,
            uscc=organisation.uscc, kind=organisation.kind,
            registered_on=datetime.date(2015, 6, 18), registered_capital=Decimal("5000"),
            revenue_last_year=Decimal("3.2"), rd_investment_last_year=Decimal("2400"),
            enterprise_qualification="高新技术企业、专精特新“小巨人”企业",
            industry_qualification="信息系统建设和服务能力评估CS3级",
            legal_representative="赵法人", phone="0532-85551234",
        )
        if self.has_joint_unit:
            ApplicationUnitFactory(application=self, role=UnitRole.JOINT)


class AttachmentFactory(ValidatedFactory):
    class Meta:
        model = Attachment
        exclude = ("content",)

    application = factory.SubFactory(ApplicationFactory)
    kind = AttachmentKind.QUALIFICATION
    content = factory.LazyFunction(sample_pdf)
    # Saved under the model's random name, as an upload is: never the original name.
    file = factory.LazyAttribute(lambda a: ContentFile(a.content, name="upload.pdf"))
    original_name = factory.Sequence(lambda n: f"证明材料{n}.pdf")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda a: len(a.content))
    sha256 = factory.LazyAttribute(lambda a: hashlib.sha256(a.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda a: a.application.created_by)
