"""factory_boy factories for the portal's models: the one way tests build users, units, calls and
applications.

Applications in any state (written straight to the database, as the services leave them)::

    ApplicationFactory()                      # a fresh draft, as 立即申报 leaves it
    ApplicationFactory(complete=True)         # every step filled, mandatory files, commitment
    ApplicationFactory(submitted=True)        # complete, submitted and routed (第八条)
    ApplicationFactory(returned=True)         # submitted, then returned for revision
    ApplicationFactory(withdrawn=True)        # submitted, then withdrawn by the unit
    ApplicationFactory(submitted=True, direct=True)   # a 市直 unit's, sent to the commission
    ApplicationFactory(complete=True, joint=True)     # with a joint unit (联合承建主体)

Pass `call=`, `organisation=` and `created_by=` to place it (by default a fresh published call,
a fresh enterprise in 崂山区 and a fresh applicant (its administrator) of that enterprise); any field may be overridden
(`center_name=""`, `industry_field=…`). `joint_unit__name="…"` names the joint unit;
`attachments=False` leaves a complete application without its files, `attachments=[kind, …]`
uploads those kinds instead of the call's mandatory ones (each a real PDF under MEDIA_ROOT).
Values of a complete application are distinct per field, so a test can find each one in a
page, a PDF or an export. Submitting through `applications.services.application_submit` (its
notices, documents, status history) stays the job of the tests that test it.

`CallFactory()` is published and open from yesterday for ten days, offers 智能家电 and 人工智能
and asks for the business licence and the sealed form; `CallFactory(unpublished=True)`,
`CallFactory(closed=True)` (opened 20 days ago, closed yesterday), or set `opens_at`/`closes_at`.

Departments of the ten 区（市）, the 高新区 and the commission are seeded by the migration
`accounts/0002_seed_departments`: look them up with `department("崂山区")` rather than creating
copies. Industry authorities and third-party agencies are not seeded; `DepartmentFactory`
makes them.

Every factory validates the row with `full_clean()` before saving, so a fixture that breaks a
model rule (a USCC with a wrong check character, a district official scoped to an
organisation) fails loudly instead of producing data the portal itself would refuse.
"""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import DepartmentKind, OrganisationKind, Role
from accounts.models import Department, Organisation, RoleAssignment, User
from accounts.validators import uscc_check_character
from applications.demo import sample_pdf
from applications.enums import ApplicationStatus, AttachmentKind, CallStatus, UnitRole
from applications.models import (
    Application,
    ApplicationUnit,
    Attachment,
    Call,
    CallMaterial,
    IndustryField,
    PolicyDocument,
)
from core.models import AuditEvent, HolidayOverride, Notification

# One password for every factory user: 8+ characters, four character classes.
PASSWORD = "Qingdao#2026"
_PASSWORD_HASH = None


def _password_hash():
    # Hashing is deliberately slow; hash once per test run.
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


def make_uscc(n: int, area: str = "370200") -> str:
    """A valid 统一社会信用代码 (enterprise, Qingdao by default) numbered `n`."""
    first17 = f"91{area}{n:09d}"
    return first17 + uscc_check_character(first17)


def department(short_name: str) -> Department:
    """A department seeded by migration, by its short name (崂山区, 即墨区, 市发展改革委 …)."""
    return Department.objects.get(short_name=short_name)


class ValidatedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.full_clean()
        obj.save()
        return obj


class UserFactory(ValidatedFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:04d}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.qingdao.test")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    is_active = True
    password = factory.LazyFunction(_password_hash)


class DepartmentFactory(ValidatedFactory):
    """For industry authorities and third-party agencies; districts come from the migration."""

    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"青岛市测试行业主管部门{n}")
    short_name = factory.LazyAttribute(lambda d: d.name[:30])
    kind = DepartmentKind.INDUSTRY_AUTHORITY


def _area_of(organisation) -> str:
    department_ = organisation.competent_department
    return department_.region_code if department_ and department_.region_code else "370200"


class OrganisationFactory(ValidatedFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"青岛测试数字科技有限公司{n}")
    # Registered where its 主管部门 is, as real codes are: characters 3–8 name the district.
    uscc = factory.LazyAttributeSequence(lambda o, n: make_uscc(n + 1, area=_area_of(o)))
    kind = OrganisationKind.ENTERPRISE
    competent_department = factory.LazyFunction(lambda: department("崂山区"))

    @factory.post_generation
    def route_confirmed(self, create, extracted, **kwargs):
        """`route_confirmed=True`: the commission has confirmed what the unit declared
        (第八条), so a 市直 unit's submission goes straight to the commission."""
        if create and extracted:
            self.route_confirmed_claim = self.route_claim
            self.route_confirmed_at = timezone.now()
            self.save(update_fields=["route_confirmed_claim", "route_confirmed_at"])


class RoleAssignmentFactory(ValidatedFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.EXPERT


def applicant(organisation: Organisation, *, is_administrator: bool = True,
              **user_fields) -> User:
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=Role.APPLICANT, organisation=organisation,
                          is_administrator=is_administrator)
    return user


def staff(role: Role, department_: Department | None = None, **user_fields) -> User:
    """A user holding a department-scoped role (official, staff) or a scope-less one."""
    user = UserFactory(**user_fields)
    RoleAssignmentFactory(user=user, role=role, department=department_)
    return user


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    purpose = "test_notice"
    title = factory.Sequence(lambda n: f"测试通知{n}")
    body = "请及时处理。"


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor_label = factory.Sequence(lambda n: f"操作人{n}")
    action = "test.action"
    object_repr = factory.Sequence(lambda n: f"对象{n}")


class HolidayOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HolidayOverride
        django_get_or_create = ("date",)

    kind = HolidayOverride.Kind.HOLIDAY
    name = "节假日"


# Calls and applications --------------------------------------------------------------------

def _now_plus(**delta):
    return factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(**delta))


def policy_in_force() -> PolicyDocument:
    """A policy document in force today and for years to come. The measures seeded by the
    migration expired in 2023 (第二十条), and publishing under them asks for a confirmation."""
    policy, _ = PolicyDocument.objects.get_or_create(
        title="青岛市重点产业数字化转型赋能中心管理办法（修订）",
        defaults={"effective_from": datetime.date(2024, 1, 1)})
    return policy


class CallFactory(ValidatedFactory):
    """See the module docstring."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    year = 2026
    title = factory.Sequence(lambda n: f"关于组织申报2026年度赋能中心的通知（第{n}批）")
    body = "请各单位按要求申报。"
    policy = factory.LazyFunction(lambda: policy_in_force())
    status = CallStatus.PUBLISHED
    opens_at = _now_plus(days=-1)
    closes_at = _now_plus(days=10)
    district_review_deadline = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30))
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        unpublished = factory.Trait(status=CallStatus.DRAFT, published_at=None)
        closed = factory.Trait(status=CallStatus.CLOSED, opens_at=_now_plus(days=-20),
                               closes_at=_now_plus(days=-1))

    @factory.post_generation
    def industry_fields(self, create, extracted, **kwargs):
        """`industry_fields=["人工智能"]` to offer other fields."""
        if create:
            names = extracted or ["智能家电", "人工智能"]
            self.industry_fields.set(IndustryField.objects.filter(name__in=names))

    @factory.post_generation
    def materials(self, create, extracted, **kwargs):
        """The mandatory materials; `materials=False` for none, or a list of kinds."""
        if not create or extracted is False:
            return
        for kind in extracted or (AttachmentKind.QUALIFICATION, AttachmentKind.SEALED_FORM):
            CallMaterial.objects.create(call=self, kind=kind, is_mandatory=True)


class ApplicationUnitFactory(ValidatedFactory):
    """A joint unit (联合承建主体) with every field filled; pass `application=`."""

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


# What a complete lead unit adds to the organisation's own data (研发投入 7.5% of revenue).
COMPLETE_LEAD_UNIT = {
    "registered_on": datetime.date(2015, 6, 18),
    "registered_capital": Decimal("5000"),
    "revenue_last_year": Decimal("3.2"),
    "rd_investment_last_year": Decimal("2400"),
    "enterprise_qualification": "高新技术企业、专精特新“小巨人”企业",
    "industry_qualification": "信息系统建设和服务能力评估CS3级",
    "legal_representative": "赵法人",
    "phone": "0532-85551234",
}


def _route(field):
    """第八条 as the submission service decides it (`applications.routing.route_decision`)."""
    def value(application):
        from applications.routing import route_decision

        return route_decision(application.organisation).application_fields()[field]
    return factory.LazyAttribute(value)


class ApplicationFactory(ValidatedFactory):
    """An application in any state; see the module docstring."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(lambda a: applicant(a.organisation))
    status = ApplicationStatus.DRAFT
    current_step = "lead"
    # None: the 有/无联合承建主体 question is not answered yet, as 立即申报 leaves it.
    has_joint_unit = factory.LazyAttribute(
        lambda a: True if a.joint else (False if a.complete else None))

    class Params:
        joint = False
        direct = factory.Trait(organisation=factory.SubFactory(
            OrganisationFactory, is_city_level=True, competent_department=None,
            kind=OrganisationKind.RESEARCH_INSTITUTE, route_confirmed=True,
            name=factory.Sequence(lambda n: f"青岛市数字经济研究院{n}")))
        complete = factory.Trait(
            current_step="commitment",
            center_name="青岛市智能家电产业数字化转型赋能中心",
            industry_field=factory.LazyFunction(
                lambda: IndustryField.objects.get(name="智能家电")),
            director_name="张明远",
            director_title="总经理/正高级工程师",
            director_phone="13800000001",
            director_email="director@haizhi.example.cn",
            tech_lead_name="李技成",
            tech_lead_title="高级工程师",
            tech_lead_phone="13800000002",
            tech_lead_email="tech@haizhi.example.cn",
            service_lead_name="王服务",
            service_lead_title="服务总监",
            service_lead_phone="0532-88886666",
            service_lead_email="service@haizhi.example.cn",
            service_summary="已为家电产业链126家企业开展数字化诊断，形成柔性制造解决方案8套。",
            construction_content="建设诊断咨询、解决方案、人才培训三大平台，服务全市家电企业。",
            goal_key_technologies=6,
            goal_key_technologies_note="工业视觉质检与设备预测性维护。",
            goal_scenarios=21,
            goal_scenarios_note="在家电企业落地数字孪生产线。",
            goal_solutions=9,
            goal_solutions_note="覆盖研发、生产、供应链的行业方案。",
            goal_patents=14,
            goal_patents_note="申请发明专利与软件著作权。",
            goal_other="培训数字化人才1000人次。",
            plan_unit_overview="公司成立于2015年，研发人员300余人。",
            plan_tech_achievements="工业视觉质检技术已在30家家电企业应用。",
            plan_tech_support="质检与预测性维护成果支撑中心诊断服务。",
            plan_competitiveness="技术与市场占有率居省内同行前列。",
            plan_development_goals="三年建成覆盖全市的家电数字化赋能服务体系。",
            plan_main_content="建设诊断咨询、解决方案、人才培训三大平台。",
            plan_three_year_schedule="第一年搭平台，第二年推广，第三年全覆盖。",
            plan_organisation="理事会领导下的中心主任负责制。",
            plan_team="技术带头人12名，技术队伍150人。",
            plan_sustainability="以服务收入和会员制保障持续运营。",
            plan_outcome_targets="形成9套解决方案、14项专利。",
            plan_site="建设地点位于崂山区，场地2000平方米。",
            plan_funding="总投资5000万元，企业自筹为主。",
            plan_benefits="带动200家企业完成数字化改造。",
            plan_other="无其他需说明的问题。",
            lead_commitment_at=factory.LazyFunction(timezone.now),
            joint_commitment_at=factory.LazyAttribute(
                lambda a: timezone.now() if a.has_joint_unit else None),
            units__complete=True,
            attachments__mandatory=True,
        )
        submitted = factory.Trait(
            complete=True,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            routed_department=_route("routed_department"),
            routed_to_commission=_route("routed_to_commission"),
            routing_basis=_route("routing_basis"),
        )
        returned = factory.Trait(submitted=True, status=ApplicationStatus.RETURNED)
        withdrawn = factory.Trait(submitted=True, status=ApplicationStatus.WITHDRAWN)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        """The lead unit from the organisation (as 立即申报 copies it), completed when the
        application is; the joint unit when `has_joint_unit`."""
        if not create:
            return
        organisation = self.organisation
        lead = {
            "name": organisation.name, "uscc": organisation.uscc, "kind": organisation.kind,
            "registered_in_qingdao": organisation.registered_in_qingdao,
            "located_in_qingdao": organisation.located_in_qingdao,
            "registered_on": organisation.registered_on,
            "registered_capital": organisation.registered_capital,
            "legal_representative": organisation.legal_representative,
            "phone": organisation.phone,
        }
        if kwargs.get("complete"):
            lead |= COMPLETE_LEAD_UNIT
        unit = ApplicationUnit(application=self, role=UnitRole.LEAD, **lead)
        unit.full_clean()
        unit.save()

    @factory.post_generation
    def joint_unit(self, create, extracted, **kwargs):
        if create and self.has_joint_unit:
            ApplicationUnitFactory(application=self, role=UnitRole.JOINT, **kwargs)

    @factory.post_generation
    def attachments(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        if extracted is None:
            if not kwargs.get("mandatory"):  # a draft has no files yet
                return
            extracted = list(self.call.materials.filter(is_mandatory=True)
                             .values_list("kind", flat=True))
        for kind in extracted:
            AttachmentFactory(application=self, kind=kind)


class AttachmentFactory(ValidatedFactory):
    """A real PDF stored under the model's random name, as an upload is."""

    class Meta:
        model = Attachment
        exclude = ("content",)

    application = factory.SubFactory(ApplicationFactory)
    kind = AttachmentKind.QUALIFICATION
    content = factory.LazyFunction(sample_pdf)
    file = factory.LazyAttribute(lambda a: ContentFile(a.content, name="upload.pdf"))
    original_name = factory.Sequence(lambda n: f"证明材料{n}.pdf")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda a: len(a.content))
    sha256 = factory.LazyAttribute(lambda a: hashlib.sha256(a.content).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda a: a.application.created_by)


# A whole 2027 holiday arrangement as a clerk pastes it from a spreadsheet (tab separated) or
# types it: every statutory day off (元旦, 除夕 and 春节, 清明, 劳动节, 端午, 中秋, 国庆) plus the
# make-up working days (调休). Not the real notice: 2027's is not out yet.
WORKDAY_TABLE_2027 = """2027-01-01\t休\t元旦
2027/1/2 休 元旦
2027年1月3日，休，元旦

2027-02-05 休 春节
2027-02-06 休 春节
2027-02-07 休 春节
2027-02-08 休 春节
2027-02-09 休 春节
2027-02-10 休 春节
2027-02-11 休 春节
2027-02-12 休 春节
2027-02-13 休 春节
2027-02-14 班 春节调休上班
2027-04-03 休 清明节
2027-04-04 休 清明节
2027-04-05 休 清明节
2027-05-01 休 劳动节
2027-05-02 休 劳动节
2027-05-03 休 劳动节
2027-05-04 休 劳动节
2027-05-05 休 劳动节
2027-05-08 班 劳动节调休上班
2027-06-09 休 端午节
2027-09-15 休 中秋节
2027-10-01 休 国庆节
2027-10-02 休 国庆节
2027-10-03 休 国庆节
2027-10-04 休 国庆节
2027-10-05 休 国庆节
2027-10-06 休 国庆节
2027-10-07 休 国庆节
2027-10-09 班 国庆节调休上班
"""

