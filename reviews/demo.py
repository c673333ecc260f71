"""Demo data of the district review (`make run`): 崂山区's official finds applications in every
review state — awaiting review with a saved draft, returned, resubmitted after a return (the
changes are shown), two recommended in rank order and one not recommended; and, for last
year's call, the batch 崂山区 sent the commission with its 推荐函 (第八条).

Called by the `seed_demo` command after the calls and applications; idempotent.
"""

import datetime

from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from accounts.models import Department, Organisation, RoleAssignment, User
from accounts.validators import uscc_check_character
from applications import services as application_services
from applications.demo import CALL_BODY, DEMO_CALL_TITLE, complete_and_submit
from applications.enums import AttachmentKind
from applications.forms import ServiceForm
from applications.models import Application, Call, CallMaterial, IndustryField

from . import batches, services
from .enums import CheckResult, ReviewOutcome

PASSED = {"authenticity": CheckResult.PASSED, "authenticity_note": "营业执照、资质证书与申报信息一致。",
          "accuracy": CheckResult.PASSED, "accuracy_note": "营业收入、研发投入与财务报表一致。",
          "conformity": CheckResult.PASSED, "conformity_note": "材料齐全，申报表已签字盖章。"}

# (sequence of the USCC, unit name, applicant username and name, industry field, state)
UNITS = [
    (501, "青岛崂山智联家电科技有限公司", "applicant_ls_draft", "高明", "智能家电", "draft"),
    (502, "青岛浮山工业软件有限公司", "applicant_ls_returned", "许静", "人工智能", "returned"),
    (503, "青岛石老人数字孪生科技有限公司", "applicant_ls_resubmitted", "邵峰", "智能家电",
     "resubmitted"),
    (504, "青岛海尔路智能制造服务有限公司", "applicant_ls_first", "钟华", "人工智能",
     "recommended"),
    (505, "青岛株洲路工业互联网研究院有限公司", "applicant_ls_second", "罗敏", "智能家电",
     "recommended"),
    (506, "青岛沙子口数据服务有限公司", "applicant_ls_declined", "唐亮", "人工智能", "declined"),
]


def _uscc(sequence: int, region: str = "370212") -> str:
    """A valid demo 统一社会信用代码 registered in `region` (default 370212: 崂山区)."""
    first17 = f"91{region}{sequence:09d}"
    return first17 + uscc_check_character(first17)


def _unit(sequence, name, username, real_name, password, district="崂山区"):
    department = Department.objects.get(short_name=district)
    organisation, _ = Organisation.objects.update_or_create(
        uscc=_uscc(sequence, department.region_code or "370212"),
        defaults={"name": name, "kind": OrganisationKind.ENTERPRISE,
                  "competent_department": department, "legal_representative": real_name,
                  "phone": "0532-88001234"})
    user, _ = User.objects.update_or_create(
        username=username, defaults={"real_name": real_name, "is_active": True,
                                     "email": f"{username}@demo.qingdao.example"})
    user.set_password(password)
    user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.APPLICANT,
                                         organisation=organisation,
                                         defaults={"is_administrator": True})
    return organisation, user


def seed_district_reviews(password: str) -> None:
    call = Call.objects.get(title=DEMO_CALL_TITLE)
    official = User.objects.get(username="official_laoshan")
    for sequence, name, username, real_name, field, state in UNITS:
        organisation, user = _unit(sequence, name, username, real_name, password)
        if Application.objects.filter(call=call, organisation=organisation).exists():
            continue
        application = application_services.application_start(call=call,
                                                              organisation=organisation,
                                                              actor=user)
        complete_and_submit(application, user, field,
                            center_name=f"{name.removesuffix('有限公司')}{field}赋能中心")
        application.refresh_from_db()
        _review(application, official, user, state)
    seed_sent_batch()


# Last year's call: 崂山区 recommended two and declined one, and sent its batch in time.
SENT_CALL_TITLE = "关于组织申报2025年度青岛市重点产业数字化转型赋能中心的通知"
SENT_UNITS = [
    (504, "applicant_ls_first", "人工智能", "recommended"),
    (505, "applicant_ls_second", "智能家电", "recommended"),
    (506, "applicant_ls_declined", "人工智能", "declined"),
]


def seed_sent_batch() -> None:
    """The units apply while the call is open, 崂山区 decides; then the call is moved a year
    back (it is history) and the batch is sent two days before its district deadline."""
    if Call.objects.filter(title=SENT_CALL_TITLE).exists():
        return
    commission = User.objects.get(username="commission")
    official = User.objects.get(username="official_laoshan")
    now = timezone.now()
    call = Call.objects.create(
        year=2025, title=SENT_CALL_TITLE, body=CALL_BODY,
        policy=Call.objects.get(title=DEMO_CALL_TITLE).policy,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1),
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=10))
    call.industry_fields.set(IndustryField.objects.all())
    for kind in (AttachmentKind.QUALIFICATION, AttachmentKind.CASE, AttachmentKind.SEALED_FORM):
        CallMaterial.objects.create(call=call, kind=kind, is_mandatory=True)
    call = application_services.call_publish(call=call, actor=commission, policy_confirmed=True)
    for sequence, username, field, state in SENT_UNITS:
        user = User.objects.get(username=username)
        organisation = Organisation.objects.get(uscc=_uscc(sequence))
        application = application_services.application_start(call=call,
                                                              organisation=organisation,
                                                              actor=user)
        complete_and_submit(application, user, field,
                            center_name=f"{organisation.name.removesuffix('有限公司')}"
                                        f"{field}赋能中心（2025年度）")
        application.refresh_from_db()
        _review(application, official, user, state)
    year = datetime.timedelta(days=365)
    Call.objects.filter(pk=call.pk).update(
        opens_at=call.opens_at - year, closes_at=call.closes_at - year,
        district_review_deadline=call.district_review_deadline - year)
    call.refresh_from_db()
    application_services.call_close(call=call, actor=commission)
    batches.batch_submit(
        department_id=Department.objects.get(short_name="崂山区").pk, call=call,
        actor=official,
        now=batches.district_deadline_end(call) - datetime.timedelta(days=2, hours=7))


def _draft(application, official, **fields):
    services.review_save_draft(application=application, actor=official,
                               data={**PASSED, **fields})


def _review(application, official, applicant, state):
    resubmit_by = min(timezone.localdate() + datetime.timedelta(days=7),
                      application.call.district_review_deadline)
    if state == "draft":
        _draft(application, official, opinion="技术基础较好，待电话核实服务案例后再定。",
               internal_note="拟与第二批推荐一并排序。")
    elif state in ("returned", "resubmitted"):
        _draft(application, official, conformity=CheckResult.FAILED,
               conformity_note="申报表扫描件缺少联合申报单位盖章页。",
               applicant_reasons="请补充近三年数字化诊断服务案例，并更正建设内容中的服务企业数量。",
               resubmit_by=resubmit_by, internal_note="去年曾申报未获推荐。")
        services.review_decide(application=application, actor=official,
                               outcome=ReviewOutcome.RETURNED)
        if state == "resubmitted":
            returned = Application.objects.get(pk=application.pk)
            form = ServiceForm({"service_summary": returned.service_summary,
                                "construction_content": returned.construction_content
                                + "三年内服务崂山区家电企业不少于150家。"}, instance=returned)
            application_services.application_save_step(application=returned, actor=applicant,
                                                       step="service", forms=[form],
                                                       next_step="goals")
            application_services.application_submit(application=returned, actor=applicant)
    elif state == "recommended":
        _draft(application, official,
               opinion="材料真实、准确、规范，技术实力和服务能力突出，同意推荐。")
        services.review_decide(application=application, actor=official,
                               outcome=ReviewOutcome.RECOMMENDED)
    elif state == "declined":
        _draft(application, official, accuracy=CheckResult.FAILED,
               accuracy_note="研发投入占比与审计报告不一致。",
               applicant_reasons="申报的研发投入与审计报告不一致，且无法提供说明材料，不予推荐。")
        services.review_decide(application=application, actor=official,
                               outcome=ReviewOutcome.NOT_RECOMMENDED)


OVERDUE_CALL_TITLE = "2025年度青岛市赋能中心申报通知（补充批次）"


def seed_intake(password: str) -> None:
    """The commission's intake (第八条): the 市直 unit's direct submission passed 形式审查 (with
    崂山区's two recommendations, three applications wait to be moved to 专家评审), and in an
    earlier call a 崂山区 submission the district left undecided past its deadline, marked
    未按期审查 by the sweep."""
    from applications.enums import ApplicationStatus
    from applications.models import PolicyDocument

    from . import intake

    commission = User.objects.get(username="commission")
    call = Call.objects.get(title=DEMO_CALL_TITLE)
    direct = Application.objects.filter(call=call, routed_to_commission=True,
                                        status=ApplicationStatus.SUBMITTED).first()
    if direct is not None and intake.is_direct_route(direct):
        intake.commission_review_save_draft(
            application=direct, actor=commission,
            data={**PASSED, "opinion": "单位性质经确认为市直单位，申报材料真实、准确、规范，形式审查通过。"})
        intake.commission_review_decide(application=direct, actor=commission,
                                        outcome=ReviewOutcome.PASSED)

    if Call.objects.filter(title=OVERDUE_CALL_TITLE).exists():
        return
    now = timezone.now()
    earlier = Call.objects.create(
        year=2025, title=OVERDUE_CALL_TITLE, body=call.body,
        policy=PolicyDocument.objects.order_by("effective_from").first(),
        opens_at=now - datetime.timedelta(days=40), closes_at=now + datetime.timedelta(days=1),
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=2))
    earlier.industry_fields.set(call.industry_fields.all())
    for material in call.materials.all():
        earlier.materials.create(kind=material.kind, is_mandatory=material.is_mandatory,
                                 description=material.description)
    earlier = application_services.call_publish(call=earlier, actor=commission,
                                                policy_confirmed=True)
    organisation, user = _unit(507, "青岛王哥庄智慧物流有限公司", "applicant_ls_overdue", "韩雪",
                               password)
    application = application_services.application_start(call=earlier,
                                                          organisation=organisation, actor=user)
    complete_and_submit(application, user, "人工智能",
                        center_name="青岛王哥庄智慧物流人工智能赋能中心")
    # The demo's history: the window and the district's deadline have passed since.
    Call.objects.filter(pk=earlier.pk).update(
        closes_at=now - datetime.timedelta(days=20),
        district_review_deadline=timezone.localdate(now) - datetime.timedelta(days=3))
    application_services.call_close(call=Call.objects.get(pk=earlier.pk), actor=commission)
    intake.mark_overdue_reviews(now)


# An earlier call whose whole course is history: seven units of 崂山区 and 即墨区 applied, were
# recommended and sent by their 主管部门; the experts' round, the proposed list and its notice
# follow (experts.demo, centers.demo), ending with six designated centers (the last unit, the
# lowest-ranked, is removed by the upheld objection). Six centers in two 主管部门 and several
# industry fields, so the evaluation demo can grade them 优秀 to 不合格 and revoke one.
PAST_CALL_TITLE = "关于组织申报2024年度青岛市重点产业数字化转型赋能中心的通知"
# (sequence of the USCC, 主管部门, unit name, applicant username and name, industry field,
# center name)
PAST_UNITS = [
    (508, "崂山区", "青岛崂山湾智能装备有限公司", "applicant_ls_designated", "秦岭", "人工智能",
     "青岛崂山湾人工智能产业数字化转型赋能中心"),
    (509, "崂山区", "青岛松岭路数字科技有限公司", "applicant_ls_designated2", "江帆", "智能家电",
     "青岛松岭路智能家电产业数字化转型赋能中心"),
    (601, "即墨区", "青岛即墨针织服装数字化服务有限公司", "applicant_jm_designated", "孟晴",
     "纺织服装", "青岛即墨纺织服装产业数字化转型赋能中心"),
    (511, "崂山区", "青岛金家岭海洋科技有限公司", "applicant_ls_designated3", "林涛", "海洋装备",
     "青岛金家岭海洋装备产业数字化转型赋能中心"),
    (602, "即墨区", "青岛鳌山食品数字科技有限公司", "applicant_jm_designated2", "贺岚", "食品饮料",
     "青岛鳌山湾食品饮料产业数字化转型赋能中心"),
    (603, "即墨区", "青岛通济新能源汽车智造有限公司", "applicant_jm_designated3", "欧阳军",
     "新能源汽车", "青岛即墨新能源汽车产业数字化转型赋能中心"),
    (510, "崂山区", "青岛仰口工业数据有限公司", "applicant_ls_removed", "顾言", "人工智能",
     "青岛仰口工业数据人工智能赋能中心"),
]
# The 主管部门 of the past call and the demo official who reviews and sends for each.
PAST_OFFICIALS = {"崂山区": "official_laoshan", "即墨区": "official_jimo"}


def seed_past_call(password: str) -> Call:
    """The earlier call (PAST_CALL_TITLE): its units (PAST_UNITS) apply while it is open and
    their 主管部门 (崂山区, 即墨区) recommend them all; then the call is moved two years back,
    closed, and each 主管部门 sends its batch before the district deadline. Idempotent: an
    existing call is returned as is."""
    existing = Call.objects.filter(title=PAST_CALL_TITLE).first()
    if existing is not None:
        return existing
    commission = User.objects.get(username="commission")
    officials = {district: User.objects.get(username=username)
                 for district, username in PAST_OFFICIALS.items()}
    now = timezone.now()
    call = Call.objects.create(
        year=2024, title=PAST_CALL_TITLE, body=CALL_BODY.replace("2026", "2024"),
        policy=Call.objects.get(title=DEMO_CALL_TITLE).policy,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1),
        district_review_deadline=timezone.localdate(now) + datetime.timedelta(days=10))
    call.industry_fields.set(IndustryField.objects.all())
    for kind in (AttachmentKind.QUALIFICATION, AttachmentKind.CASE, AttachmentKind.SEALED_FORM):
        CallMaterial.objects.create(call=call, kind=kind, is_mandatory=True)
    call = application_services.call_publish(call=call, actor=commission, policy_confirmed=True)
    for sequence, district, name, username, real_name, field, center_name in PAST_UNITS:
        organisation, user = _unit(sequence, name, username, real_name, password,
                                   district=district)
        application = application_services.application_start(call=call,
                                                              organisation=organisation,
                                                              actor=user)
        complete_and_submit(application, user, field, center_name=center_name)
        application.refresh_from_db()
        _review(application, officials[district], user, "recommended")
    back = datetime.timedelta(days=730)
    Call.objects.filter(pk=call.pk).update(
        opens_at=call.opens_at - back, closes_at=call.closes_at - back,
        district_review_deadline=call.district_review_deadline - back)
    call.refresh_from_db()
    application_services.call_close(call=call, actor=commission)
    for district, official in officials.items():
        batches.batch_submit(
            department_id=Department.objects.get(short_name=district).pk, call=call,
            actor=official,
            now=batches.district_deadline_end(call) - datetime.timedelta(days=2, hours=7))
    return call
