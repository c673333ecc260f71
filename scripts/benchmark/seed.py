"""The benchmark's data: N applications of every status over the 主管部门, calls and fields,
lead and joint units, attachment rows, and a user of every role, written with `bulk_create`.

Idempotent: running it again with the same N changes nothing; a larger N adds the missing
applications, a smaller one removes the surplus. Everything it writes is marked (user names
start with `USER_PREFIX`, organisation names with `ORG_PREFIX`, department names with
`DEPARTMENT_PREFIX`), and it refuses a database holding any user, organisation or
application it did not write (`BenchmarkRefused`): only what `migrate` creates may be there.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.enums import COMPETENT_DEPARTMENT_KINDS, DepartmentKind, OrganisationKind, Role
from accounts.models import Department, Organisation, RoleAssignment, User
from accounts.validators import uscc_check_character
from applications.enums import (
    ApplicationStatus,
    AttachmentKind,
    CallStatus,
    DocumentStatus,
    RoutingBasis,
    UnitRole,
)
from applications.models import (
    Application,
    ApplicationExport,
    ApplicationUnit,
    Attachment,
    Call,
    IndustryField,
    PolicyDocument,
    ReceiptCounter,
)
from applications.services import receipt_place
from core.models import AuditEvent, Notification, StatusChange

from experts.models import Assignment, RoundEntry

from .seed_centers import seed_center_records
from .seed_experts import seed_avoidance_requests, seed_expert_review

USER_PREFIX = "bench-"
ORG_PREFIX = "基准"
DEPARTMENT_PREFIX = "基准"
PASSWORD = "Qingdao#Bench2026"

# USCC serial numbers (9 digits after the area code): one range per kind of unit.
LEAD_SERIAL, JOINT_SERIAL = 800_000_000, 810_000_000
AREA = "370200"

# Per 20 applications: 6 drafts, 6 submitted, 2 returned, 1 withdrawn, 2 recommended and 1 not
# recommended by their 主管部门, 1 passed by the commission's 形式审查, 1 in expert review.
STATUS_CYCLE = ([ApplicationStatus.DRAFT] * 6 + [ApplicationStatus.SUBMITTED] * 6
                + [ApplicationStatus.RETURNED] * 2 + [ApplicationStatus.WITHDRAWN]
                + [ApplicationStatus.RECOMMENDED] * 2 + [ApplicationStatus.NOT_RECOMMENDED]
                + [ApplicationStatus.FORMAL_PASSED] + [ApplicationStatus.EXPERT_REVIEW]
                + [ApplicationStatus.PROPOSED] + [ApplicationStatus.NOT_PROPOSED])
DIRECT_EVERY = 12  # every 12th unit is 市直 and submits to the commission (第八条)
# Applications with i % 5 in these carry one attachment (40 %): a draft the signed and sealed
# 申报表 (it may then be submitted: the deadline rush submits such drafts), the others one of
# the other kinds.
ATTACHMENT_SHARE = (0, 1)
OTHER_KINDS = [kind for kind in AttachmentKind.values if kind != AttachmentKind.SEALED_FORM]
BATCH = 1000

CALLS = (
    # (key, year, title, status, opens in days, closes in days)
    ("2025", 2025, "关于组织申报2025年度青岛市重点产业数字化转型赋能中心的通知（基准）",
     CallStatus.CLOSED, -400, -330),
    ("2026a", 2026, "关于组织申报2026年度青岛市重点产业数字化转型赋能中心的通知（基准）",
     CallStatus.PUBLISHED, -20, 30),
    # Another year: two calls of one year would give the same 申报编号 (year-place-sequence).
    ("2027", 2027, "关于组织申报2027年度青岛市重点产业数字化转型赋能中心的通知（基准）",
     CallStatus.PUBLISHED, -5, 45),
)

SUMMARY = ("围绕智能家电产业链上下游企业开展数字化诊断服务，累计完成诊断报告126份，"
           "形成行业解决方案8套，建成柔性制造、质量追溯等应用场景15个。") * 8
# Every field of the 申报表 and the 建设方案 filled, 三 and 四 at their 500-character limit
# (the complete application of the PDF benchmark, `pdf.py`).
APPLICATION_TEXTS = dict(
    director_title="总经理/正高级工程师", director_phone="13800000001",
    director_email="zhangming@haizhi.example.cn",
    tech_lead_name="李工", tech_lead_title="高级工程师", tech_lead_phone="0532-88886666",
    tech_lead_email="ligong@haizhi.example.cn",
    service_lead_name="王服", service_lead_title="服务总监",
    service_lead_phone="13800000003", service_lead_email="wangfu@haizhi.example.cn",
    service_summary=SUMMARY[:500], construction_content=SUMMARY[:500],
    goal_key_technologies=6, goal_key_technologies_note="工业视觉质检、设备预测性维护等。",
    goal_scenarios=20, goal_scenarios_note="在20家以上家电企业落地数字化应用场景。",
    goal_solutions=10, goal_solutions_note="形成覆盖研发、生产、供应链的行业解决方案。",
    goal_patents=12, goal_patents_note="申请发明专利8项、软件著作权4项。",
    goal_other="培训数字化人才1000人次。",
    plan_unit_overview="公司成立于2015年。" * 40,
    plan_tech_achievements="工业视觉质检技术已在30家家电企业应用。" * 10,
    plan_tech_support="质检与预测性维护成果支撑中心诊断服务。" * 10,
    plan_competitiveness="技术与市场占有率居省内同行前列。" * 10,
    plan_development_goals="建设三大平台。" * 40,
    plan_main_content="建设诊断咨询、解决方案、人才培训三大平台。" * 10,
    plan_three_year_schedule="第一年搭平台，第二年推广，第三年全覆盖。" * 10,
    plan_organisation="理事会领导下的主任负责制。" * 30,
    plan_team="技术带头人12名，技术队伍150人。" * 10,
    plan_sustainability="以服务收入和会员制保障持续运营。" * 10,
    plan_outcome_targets="形成9套解决方案、14项专利。" * 10,
    plan_site="总投资5000万元。" * 30,
    plan_funding="总投资5000万元，企业自筹为主。" * 10,
    plan_benefits="带动200家企业完成数字化改造。" * 10,
    plan_other="无",
)
UNIT_TEXTS = dict(
    kind=OrganisationKind.ENTERPRISE, registered_on=datetime.date(2015, 6, 18),
    registered_capital=Decimal("5000"), revenue_last_year=Decimal("3.2"),
    rd_investment_last_year=Decimal("2400"),
    enterprise_qualification="高新技术企业、专精特新“小巨人”企业",
    industry_qualification="信息系统建设和服务能力评估CS3级",
    legal_representative="赵研", phone="0532-85551234",
)

# The staff users the registered pages are requested as: role key → (user name, role, kind
# of the department holding the role or None).
STAFF_USERS = {
    "commission_staff": ("commission", Role.COMMISSION_STAFF, DepartmentKind.COMMISSION),
    "industry_staff": ("industry", Role.INDUSTRY_STAFF, DepartmentKind.INDUSTRY_AUTHORITY),
    "third_party_staff": ("third-party", Role.THIRD_PARTY_STAFF, DepartmentKind.THIRD_PARTY),
    "expert": ("expert", Role.EXPERT, None),
    "auditor": ("auditor", Role.AUDITOR, None),
}
NOTIFICATIONS_PER_USER = 60
LOCKED_ACCOUNTS = 75


class BenchmarkRefused(Exception):
    """The database holds data the benchmark did not write: it is not touched."""


@dataclass
class World:
    """What the seeded database offers the registered pages (see `core.benchmark`):
    `users` by role key, and the objects and search words a page's URL needs."""

    users: dict = field(default_factory=dict)
    call: int = 0
    export: int = 0
    department: int = 0
    industry_field: int = 0
    organisation_name: str = ""
    organisation_uscc: str = ""
    applications: int = 0
    attachments: int = 0
    review_round: int = 0
    center: int = 0


def uscc(serial: int) -> str:
    """A valid 统一社会信用代码 of an enterprise in Qingdao with the 9-digit `serial`."""
    first17 = f"91{AREA}{serial:09d}"
    return first17 + uscc_check_character(first17)


def _lead_name(i: int) -> str:
    return f"{ORG_PREFIX}{i:05d}号数字科技有限公司"


def database_check() -> None:
    """Raises `BenchmarkRefused` when a user, organisation or application exists that the
    benchmark did not write (a real or demo database); an empty migrated database passes."""
    strangers = {
        "用户": User.objects.exclude(username__startswith=USER_PREFIX),
        "单位": Organisation.objects.exclude(name__startswith=ORG_PREFIX),
        "申报": Application.objects.exclude(organisation__name__startswith=ORG_PREFIX),
    }
    found = {label: qs.count() for label, qs in strangers.items()}
    found = {label: count for label, count in found.items() if count}
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in found.items())
        raise BenchmarkRefused(
            f"This database holds data the benchmark did not write ({listed}). The benchmark "
            "writes thousands of rows: run it only on an empty migrated database of its own, "
            "e.g. `createdb bench_db` and DATABASE_URL=postgres://…/bench_db. "
            "数据库中已有非基准测试数据，已拒绝运行。")


def _departments():
    competent = list(Department.objects.filter(kind__in=COMPETENT_DEPARTMENT_KINDS)
                     .order_by("sort_order", "id"))
    for kind, name in ((DepartmentKind.INDUSTRY_AUTHORITY, "行业主管部门"),
                       (DepartmentKind.THIRD_PARTY, "第三方评估机构")):
        Department.objects.get_or_create(name=f"{DEPARTMENT_PREFIX}{name}",
                                         defaults={"short_name": name, "kind": kind})
    return competent


def _call(key, year, title, status, opens, closes, fields, policy):
    now = timezone.now()
    call, _ = Call.objects.get_or_create(title=title, defaults=dict(
        year=year, body="请各单位按要求申报。", policy=policy, status=status,
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
        district_review_deadline=(now + datetime.timedelta(days=closes + 15)).date(),
        published_at=now + datetime.timedelta(days=opens)))
    if status == CallStatus.PUBLISHED and call.closes_at < now + datetime.timedelta(hours=1):
        # An open call stays open however long ago it was seeded.
        Call.objects.filter(pk=call.pk).update(
            opens_at=now + datetime.timedelta(days=opens),
            closes_at=now + datetime.timedelta(days=closes))
    call.industry_fields.set(fields)
    return call


def _user(username, real_name, password_hash, **flags):
    user, _ = User.objects.get_or_create(
        username=f"{USER_PREFIX}{username}",
        defaults=dict(real_name=real_name, password=password_hash,
                      email=f"{username}@bench.example.cn", **flags))
    return user


def _organisations(indices, competent, password_hash):
    """Creates the lead organisations `indices` with one applicant (administrator) each;
    returns {index: (organisation, user)}."""
    organisations = [
        Organisation(
            name=_lead_name(i), uscc=uscc(LEAD_SERIAL + i), kind=OrganisationKind.ENTERPRISE,
            competent_department=None if i % DIRECT_EVERY == DIRECT_EVERY - 1
            else competent[i % len(competent)],
            is_city_level=i % DIRECT_EVERY == DIRECT_EVERY - 1,
            registered_on=UNIT_TEXTS["registered_on"],
            registered_capital=UNIT_TEXTS["registered_capital"],
            legal_representative="赵研", phone="0532-85551234", address="青岛市崂山区",
            contact_name="张明", contact_email=f"org{i}@bench.example.cn",
        ) for i in indices]
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    users = [User(username=f"{USER_PREFIX}a{i:05d}", real_name=f"申报人{i}",
                  email=f"a{i}@bench.example.cn", password=password_hash)
             for i in indices]
    User.objects.bulk_create(users, batch_size=BATCH)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.APPLICANT, organisation=o, is_administrator=True)
         for o, u in zip(organisations, users)], batch_size=BATCH)
    return dict(zip(indices, zip(organisations, users)))


def _applications(pairs, calls, fields):
    """Creates one complete application per (index, (organisation, user)) in `pairs`."""
    now = timezone.now()
    applications, units, attachments = [], [], []
    for i, (organisation, user) in pairs.items():
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        call = calls[i % len(calls)]
        direct = organisation.competent_department_id is None
        route = {}
        if status != ApplicationStatus.DRAFT:
            route_info = {"routed_department": organisation.competent_department,
                          "routed_to_commission": direct}
            route = dict(
                route_info, routing_basis=RoutingBasis.LOCATION,
                submitted_at=now - datetime.timedelta(minutes=i),
                receipt_sequence=i + 1,
                receipt_number=f"{call.year}-{receipt_place(route_info)}-{i + 1:05d}")
        applications.append(Application(
            call=call, organisation=organisation, created_by=user, status=status,
            current_step="commitment", has_joint_unit=i % 2 == 0,
            center_name=f"青岛市{fields[i % len(fields)].name}产业数字化转型赋能中心{i}",
            industry_field=fields[i % len(fields)], director_name=f"张明{i}",
            lead_commitment_at=now, joint_commitment_at=now if i % 2 == 0 else None,
            **APPLICATION_TEXTS, **route))
    Application.objects.bulk_create(applications, batch_size=BATCH)
    for (i, (organisation, user)), application in zip(pairs.items(), applications):
        units.append(ApplicationUnit(application=application, role=UnitRole.LEAD,
                                     name=organisation.name, uscc=organisation.uscc,
                                     **UNIT_TEXTS))
        if application.has_joint_unit:
            units.append(ApplicationUnit(application=application, role=UnitRole.JOINT,
                                         name=f"{ORG_PREFIX}联合研究院{i:05d}",
                                         uscc=uscc(JOINT_SERIAL + i), **UNIT_TEXTS))
        if i % 5 in ATTACHMENT_SHARE:
            kind = (AttachmentKind.SEALED_FORM if application.status == ApplicationStatus.DRAFT
                    else OTHER_KINDS[i % len(OTHER_KINDS)])
            # Only rows: no page of the benchmark reads an attachment's file.
            attachments.append(Attachment(
                application=application, kind=kind,
                file=f"applications/{application.pk}/bench-{i}.pdf",
                original_name=f"证明材料{i}.pdf", content_type="application/pdf",
                size=120_000 + i, sha256=f"{i:064x}", uploaded_by=user))
    ApplicationUnit.objects.bulk_create(units, batch_size=BATCH)
    Attachment.objects.bulk_create(attachments, batch_size=BATCH)
    return applications


def _lead_applications():
    return Application.objects.filter(organisation__name__startswith=ORG_PREFIX,
                                      organisation__uscc__lt=uscc(JOINT_SERIAL))


def _index(uscc_code: str, serial: int) -> int:
    return int(uscc_code[8:17]) - serial


def _remove_surplus(n: int):
    """Removes the lead organisations numbered n and above, their applications and users."""
    surplus = Organisation.objects.filter(name__startswith=ORG_PREFIX,
                                          uscc__gte=uscc(LEAD_SERIAL + n),
                                          uscc__lt=uscc(JOINT_SERIAL))
    user_ids = list(User.objects.filter(role_assignments__organisation__in=surplus)
                    .values_list("pk", flat=True))
    # The expert review keeps its records of an application (PROTECT): remove them first.
    Assignment.objects.filter(application__organisation__in=surplus).delete()
    RoundEntry.objects.filter(application__organisation__in=surplus).delete()
    Application.objects.filter(organisation__in=surplus).delete()
    surplus.delete()
    # A user who acted (submitted in a rush) stays in the append-only records: keep the account.
    acted = {*AuditEvent.objects.filter(actor__in=user_ids).values_list("actor", flat=True),
             *StatusChange.objects.filter(actor__in=user_ids).values_list("actor", flat=True)}
    User.objects.filter(pk__in=set(user_ids) - acted).delete()


def seed(n: int = 10_000, *, verbose=False) -> World:
    """`_seed` in one transaction, then on PostgreSQL (outside any transaction) a VACUUM:
    a database in service has been vacuumed, by autovacuum at least (this server runs
    without it). A never-vacuumed table has no visibility map, so every index-only scan (the
    list's count, the dashboard's counts per call and status) reads the table as well:
    4–16 ms instead of 1–2 ms at 10,000 applications, measured against pages that do not
    exist in service."""
    world = _seed(n, verbose=verbose)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return world


@transaction.atomic
def _seed(n: int, *, verbose=False) -> World:
    """Brings the benchmark data to `n` applications (and the staff users, calls, one export,
    notifications, audit events and lock-outs the registered pages show); returns the `World`.
    Raises `BenchmarkRefused` on a database holding other data (`database_check`)."""
    database_check()
    rush_reset()
    password_hash = make_password(PASSWORD)
    competent = _departments()
    fields = list(IndustryField.objects.order_by("sort_order", "id"))
    policy = PolicyDocument.objects.order_by("-effective_from", "id").first()
    calls = [_call(*spec, fields, policy) for spec in CALLS]

    have = set(_index(code, LEAD_SERIAL) for code in Organisation.objects.filter(
        name__startswith=ORG_PREFIX, uscc__lt=uscc(JOINT_SERIAL)).values_list("uscc", flat=True))
    if any(i >= n for i in have):
        _remove_surplus(n)
    missing = [i for i in range(n) if i not in have]
    for start in range(0, len(missing), 5 * BATCH):
        chunk = missing[start:start + 5 * BATCH]
        _applications(_organisations(chunk, competent, password_hash), calls, fields)
        if verbose:
            print(f"  seeded {start + len(chunk)} of {len(missing)} applications", flush=True)
    for year in {call.year for call in calls}:
        last = Application.objects.filter(call__year=year).aggregate(
            last=Max("receipt_sequence"))["last"] or 0
        ReceiptCounter.objects.update_or_create(year=year, defaults={"last_sequence": last})

    world = World(call=calls[1].pk, department=competent[0].pk, industry_field=fields[0].pk)
    world.users["superuser"] = _user("admin", "系统管理员", password_hash,
                                     is_staff=True, is_superuser=True)
    for key, (name, role, kind) in STAFF_USERS.items():
        # The commission reads the applications in Django admin too (accounts/admin_access.py).
        user = _user(name, f"{role.label}（基准）", password_hash,
                     is_staff=role == Role.COMMISSION_STAFF)
        department = (Department.objects.filter(kind=kind).order_by("id").first()
                      if kind else None)
        RoleAssignment.objects.get_or_create(user=user, role=role, department=department)
        world.users[key] = user
    for department in competent:
        user = _user(f"district-{department.pk}", f"{department.short_name}经办人",
                     password_hash)
        RoleAssignment.objects.get_or_create(user=user, role=Role.DISTRICT_OFFICIAL,
                                             department=department)
        world.users.setdefault("district_official", user)
    first = Organisation.objects.filter(uscc=uscc(LEAD_SERIAL)).first()
    world.users["applicant"] = User.objects.get(role_assignments__organisation=first)
    middle = Organisation.objects.get(uscc=uscc(LEAD_SERIAL + n // 2))
    world.organisation_name, world.organisation_uscc = middle.name, middle.uscc

    commission = world.users["commission_staff"]
    export = ApplicationExport.objects.filter(requested_by=commission).order_by("pk").first()
    if export is None:
        export = ApplicationExport.objects.create(
            requested_by=commission, params={}, status=DocumentStatus.READY,
            file="exports/bench.xlsx", row_count=n, rows_total=n, rows_done=n,
            finished_at=timezone.now())
    world.export = export.pk
    for key in ("applicant", "commission_staff", "district_official"):
        user = world.users[key]
        have_notes = Notification.objects.filter(recipient=user).count()
        Notification.objects.bulk_create([
            Notification(recipient=user, purpose="application_received",
                         title=f"收到新的申报（第{k}件）", body="请及时审核。", link="/")
            for k in range(have_notes, NOTIFICATIONS_PER_USER)])
    _audit_events(n // 5, commission)
    _lockouts()
    seed_expert_review(world, call_id=world.call)
    seed_avoidance_requests(world, call_id=world.call)
    seed_center_records(world, call_id=calls[0].pk, uscc=uscc)
    if connection.vendor == "postgresql":
        # bulk_create leaves PostgreSQL without statistics until autovacuum comes by: without
        # them it joins the units row by row and the export's query alone takes 17 s, not 0.3 s.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    world.applications = _lead_applications().count()
    world.attachments = Attachment.objects.filter(
        application__organisation__name__startswith=ORG_PREFIX).count()
    return world


def _audit_events(count: int, actor):
    have = AuditEvent.objects.filter(actor=actor, note="基准").count()
    AuditEvent.objects.bulk_create([
        AuditEvent(actor=actor, actor_label=actor.display_name, action="application.export",
                   object_repr=f"申报导出{k}", note="基准", ip_address="10.0.0.1")
        for k in range(have, count)], batch_size=BATCH)


def _lockouts():
    """`LOCKED_ACCOUNTS` user names locked out now (axes counts a lock-out for 30 minutes)."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username__startswith=USER_PREFIX)
    attempts.update(attempt_time=timezone.now())
    AccessAttempt.objects.bulk_create([
        AccessAttempt(username=f"{USER_PREFIX}locked{k:03d}",
                      ip_address=f"10.1.{k // 250}.{k % 250}",
                      user_agent="benchmark", get_data="", post_data="", http_accept="*/*",
                      path_info="/accounts/login/", failures_since_start=5)
        for k in range(attempts.count(), LOCKED_ACCOUNTS)])


def _rush_candidates():
    """The seeded drafts that may be submitted: each has the sealed 申报表 (no seeded
    application of another status has one) and its call is open."""
    return Application.objects.filter(
        organisation__name__startswith=ORG_PREFIX, attachments__kind=AttachmentKind.SEALED_FORM,
        call__status=CallStatus.PUBLISHED, call__closes_at__gt=timezone.now())


def rush_reset() -> int:
    """Puts the drafts a deadline rush submitted back in 填报中, as seeded; returns how many."""
    return _rush_candidates().exclude(status=ApplicationStatus.DRAFT).update(
        status=ApplicationStatus.DRAFT, submitted_at=None, receipt_number=None,
        receipt_sequence=None, routed_department=None, routed_to_commission=False,
        routing_basis="")


@transaction.atomic
def rush_drafts(n: int) -> list[tuple[int, int]]:
    """Up to `n` complete seeded drafts of open calls, each of its own organisation and
    applicant, in 填报中; returns [(application id, user id)]."""
    database_check()
    rush_reset()
    return list(_rush_candidates().order_by("pk").values_list("pk", "created_by_id")[:n])
