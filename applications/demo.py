"""Demo data for the call and application features (run by `manage.py seed_demo`)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, User

from . import services
from .enums import ApplicationStatus, AttachmentKind, UnitRole
from .models import Application, Call, CallMaterial, IndustryField, PolicyDocument
from .samples import sample_docx, sample_ofd

DEMO_CALL_TITLE = "关于组织申报2026年度青岛市重点产业数字化转型赋能中心的通知"
UPCOMING_CALL_TITLE = "关于组织申报2026年度青岛市重点产业数字化转型赋能中心的通知（第二批）"

CALL_BODY = """各区（市）发展改革部门、各功能区经济发展部门，各有关单位：

为加快推进重点产业数字化转型，根据《青岛市重点产业数字化转型赋能中心管理办法（试行）》，现组织开展2026年度赋能中心申报认定工作。

一、申报主体：行业龙头骨干企业、数字经济相关企业、智库机构、高等院校、科研院所、行业协会等，须符合管理办法第七条规定的条件。
二、申报方式：申报单位在本平台在线填写申报表和建设方案，上传证明材料及签字盖章的申报表扫描件，提交至所在区（市）或功能区主管部门；市直及中央、省驻青单位直接报送市发展改革委。
三、主管部门对申报材料进行初审，择优推荐，并在规定时间内报送市发展改革委。"""


DEMO_PLAN = {
    "plan_unit_overview": "研究院成立于2015年，拥有研发人员300余人，联合申报单位为青岛某大学。",
    "plan_tech_achievements": "在工业视觉、预测性维护等方向形成成果20余项，已在80家企业应用。",
    "plan_tech_support": "上述成果直接构成中心的诊断工具箱和解决方案库。",
    "plan_competitiveness": "技术上拥有自主算法平台；市场上服务企业数量居全市同类机构前列。",
    "plan_development_goals": "三年建成面向全市的人工智能赋能服务体系。",
    "plan_main_content": "建设诊断咨询、解决方案、人才培训三大服务平台。",
    "plan_three_year_schedule": "第一年建平台，第二年推广应用，第三年形成标杆。",
    "plan_organisation": "理事会领导下的主任负责制，设诊断、方案、培训三个部门。",
    "plan_team": "技术带头人5名，管理人员12名，技术队伍80人。",
    "plan_sustainability": "服务收入、会员费与合作项目共同保障持续运营。",
    "plan_outcome_targets": "突破关键技术5项，新增专利5项，开放应用场景20个。",
    "plan_site": "建设地点位于市南区，场地1500平方米。",
    "plan_funding": "总投资5000万元，其中自筹4000万元。",
    "plan_benefits": "带动300家企业完成数字化诊断，新增产值约10亿元。",
}


def sample_pdf(text: str = "Demo") -> bytes:
    """A tiny valid one-page PDF, so demo attachments open in a viewer."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def seed_calls_and_applications():
    now = timezone.now()
    policy = PolicyDocument.objects.order_by("effective_from").first()
    call, created = Call.objects.get_or_create(
        title=DEMO_CALL_TITLE,
        defaults={
            "year": 2026,
            "body": CALL_BODY,
            "policy": policy,
            "opens_at": now - datetime.timedelta(days=10),
            "closes_at": now + datetime.timedelta(days=20),
            "district_review_deadline": timezone.localdate(now) + datetime.timedelta(days=35),
        },
    )
    if created:
        call.industry_fields.set(IndustryField.objects.all())
        for kind, mandatory, note in (
            (AttachmentKind.PLAN_FULL_TEXT, False, "用 Word/WPS 编写的建设方案全文（可选）"),
            (AttachmentKind.QUALIFICATION, True, "营业执照、企业资质证书"),
            (AttachmentKind.CASE, True, "已实施的数字化诊断、解决方案案例"),
            (AttachmentKind.PATENT, False, "相关有效专利证书"),
            (AttachmentKind.SEALED_FORM, True, "签字盖章的申报表扫描件"),
        ):
            CallMaterial.objects.create(call=call, kind=kind, is_mandatory=mandatory,
                                        description=note)
        commission = User.objects.get(username="commission")
        # The measures on record ran until 2023-11-18 (第二十条); the demo confirms, as the
        # commission would in admin, so the warning is on record.
        call = services.call_publish(call=call, actor=commission, policy_confirmed=True)

    _seed_draft(call)
    _seed_submitted(call)
    _seed_withdrawn_and_reopened(call)
    _seed_upcoming_call(policy)
    _seed_unconfirmed_claim(call)


def _application(call, uscc, username):
    organisation = Organisation.objects.get(uscc=uscc)
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing:
        return existing, False
    actor = User.objects.get(username=username)
    return services.application_start(call=call, organisation=organisation, actor=actor), True


def _fill(application, field_name, center_name=""):
    lead = application.units.get(role=UnitRole.LEAD)
    lead.registered_on = datetime.date(2015, 6, 18)
    lead.registered_capital = 5000
    lead.revenue_last_year = 3.2
    lead.rd_investment_last_year = 2400
    lead.enterprise_qualification = "高新技术企业、专精特新“小巨人”企业"
    lead.industry_qualification = "信息系统建设和服务能力评估CS3级"
    lead.save()
    application.has_joint_unit = False
    application.center_name = center_name or f"青岛市{field_name}产业数字化转型赋能中心"
    application.industry_field = IndustryField.objects.get(name=field_name)
    for prefix, name, title in (("director", "张明", "总经理"), ("tech_lead", "李工", "高级工程师"),
                                ("service_lead", "王服", "服务总监")):
        setattr(application, f"{prefix}_name", name)
        setattr(application, f"{prefix}_title", title)
        setattr(application, f"{prefix}_phone", "13800000000")
        setattr(application, f"{prefix}_email", f"{prefix}@demo.qingdao.example")
    application.save()


def _seed_draft(call):
    application, created = _application(call, "91370212MA3C1A2B30", "applicant_laoshan")
    if created:
        _fill(application, "智能家电")
        application.current_step = "service"
        application.save(update_fields=["current_step"])


def _seed_submitted(call):
    """A 市直 unit's submission: its receipt reads 2026-市直-0001."""
    application, created = _application(call, "12370200MB12345671", "applicant_city")
    if not created or application.status != ApplicationStatus.DRAFT:
        return
    complete_and_submit(application, User.objects.get(username="applicant_city"), "人工智能")


def _seed_withdrawn_and_reopened(call):
    """黄岛's unit submitted, withdrew to correct a figure and reopened it: a draft again, with
    its content and its 申报编号 (2026-黄岛-0002), to be submitted once more."""
    application, created = _application(call, "91370211MA3H7K8L9U", "applicant_huangdao")
    if not created:
        return
    actor = User.objects.get(username="applicant_huangdao")
    complete_and_submit(application, actor, "纺织服装")
    services.application_withdraw(application=application, actor=actor,
                                  reason="研发投入数据填写有误，撤回更正")
    services.application_reopen(application=application, actor=actor)


def _seed_upcoming_call(policy):
    """A second call whose window opens in a week: listed as 即将开始."""
    if Call.objects.filter(title=UPCOMING_CALL_TITLE).exists():
        return
    now = timezone.now()
    call = Call.objects.create(
        year=2026, title=UPCOMING_CALL_TITLE, body=CALL_BODY, policy=policy,
        opens_at=now + datetime.timedelta(days=7), closes_at=now + datetime.timedelta(days=37),
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=52),
    )
    call.industry_fields.set(IndustryField.objects.all())
    CallMaterial.objects.create(call=call, kind=AttachmentKind.SEALED_FORM, is_mandatory=True,
                                description="签字盖章的申报表扫描件")
    services.call_publish(call=call, actor=User.objects.get(username="commission"),
                          policy_confirmed=True)
def _seed_unconfirmed_claim(call):
    """第八条: a 崂山区 company that ticked 市直单位; the commission has not confirmed it, so its
    submission went to 崂山区 and the unit waits in admin's 待确认 filter."""
    application, created = _application(call, "91370212MA3E7H8K2D", "applicant_claim")
    if not created or application.status != ApplicationStatus.DRAFT:
        return
    complete_and_submit(application, User.objects.get(username="applicant_claim"), "智能家电")


def complete_and_submit(application, actor, field_name, center_name="", submit=True):
    """Fills every step of `application` with demo content, uploads its files, accepts the
    commitment and submits it as `actor` through the services (`submit=False`: all but the
    submission, which the unit then makes on the 核对提交 page)."""
    _fill(application, field_name, center_name)
    application.service_summary = "为全市智能制造企业提供数字化诊断服务120余次，形成行业解决方案8套。"
    application.construction_content = "面向人工智能与制造业融合，建设诊断咨询、解决方案、人才培训三大服务平台。"
    for name in ("goal_key_technologies", "goal_scenarios", "goal_solutions", "goal_patents"):
        setattr(application, name, 5)
        setattr(application, f"{name}_note", "三年内完成，详见建设方案。")
    for field, text in DEMO_PLAN.items():
        setattr(application, field, text)
    application.plan_other = "无"
    application.current_step = "commitment"
    application.save()
    for kind, name, content in (
        (AttachmentKind.PLAN_FULL_TEXT, "建设方案.docx",
         sample_docx("青岛市人工智能产业数字化转型赋能中心建设方案")),
        (AttachmentKind.QUALIFICATION, "事业单位法人证书.pdf", sample_pdf("Demo")),
        (AttachmentKind.CASE, "诊断服务案例.ofd", sample_ofd("诊断服务案例")),
        (AttachmentKind.SEALED_FORM, "盖章申报表.pdf", sample_pdf("Demo")),
    ):
        services.attachment_add(application=application, actor=actor, kind=kind,
                                uploaded_file=SimpleUploadedFile(name, content))
    services.application_record_commitments(application=application, actor=actor, lead=True,
                                            joint=False)
    if submit:
        services.application_submit(application=application, actor=actor)
