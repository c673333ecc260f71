"""Demo data for `make run`: one account per role, two districts, a 市直 unit.

Idempotent: running it again updates the same rows. Refuses to run with DEBUG off, because it
sets well-known passwords.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.admin_access import COMMISSION_ADMIN_GROUP
from accounts.demo import seed_pending_claim
from accounts.enums import DepartmentKind, OrganisationKind, Role
from accounts.models import Department, Organisation, RoleAssignment, User
from accounts.services import commission_admin_group_sync, organisation_route_confirm
from applications.demo import seed_calls_and_applications
from centers.demo import seed_designation, seed_notice, seed_objections, seed_past_notice
from centers.demo_changes import seed_changes
from centers.demo_map import seed_center_locations
from centers.demo_publicity import seed_publicity
from centers.demo_records import seed_service_records
from centers.demo_supervision import seed_supervision
from centers.models import Center
from evaluations.demo import seed_evaluations
from experts.demo import demo_experts, seed_expert_review_demo, seed_past_proposed_list
from experts.demo_roster import seed_roster
from experts.demo_avoidance import seed_avoidance
from reviews.demo import seed_district_reviews, seed_intake, seed_past_call
from portal.demo_statistics import seed_statistics

DEMO_PASSWORD = "Demo@2026"

ORGANISATIONS = [
    {
        "uscc": "91370212MA3C1A2B30",
        "name": "青岛海智工业互联网有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "district": "崂山区",
        "legal_representative": "王海",
        "phone": "0532-88886666",
        # 本单位信息, copied into the lead unit of each new application.
        "registered_capital": 5000,
        "enterprise_qualification": "高新技术企业、专精特新“小巨人”企业",
        "industry_qualification": "信息系统建设和服务能力评估CS3级",
        "address": "青岛市崂山区株洲路187号",
        "contact_name": "张明",
    },
    {
        "uscc": "91370215MA3D4E5F6G",
        "name": "青岛即墨纺织数字科技有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "district": "即墨区",
        "legal_representative": "李纺",
        "phone": "0532-87776655",
    },
    {
        "uscc": "91370211MA3H7K8L9U",
        "name": "青岛西海岸智造数字科技有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "district": "黄岛区（西海岸新区）",
        "legal_representative": "韩海",
        "phone": "0532-86981234",
    },
    {
        # 第八条: ticks 市直单位 although its code says 崂山区; awaits the commission's check.
        "uscc": "91370212MA3E7H8K2D",
        "name": "青岛崂山云帆数字科技有限公司",
        "kind": OrganisationKind.ENTERPRISE,
        "district": None,
        "is_city_level": True,
        "legal_representative": "高帆",
        "phone": "0532-88997766",
    },
    {
        "uscc": "12370200MB12345671",
        "name": "青岛市工业技术研究院",
        "kind": OrganisationKind.RESEARCH_INSTITUTE,
        "district": None,
        "is_city_level": True,
        "legal_representative": "赵研",
        "phone": "0532-85551234",
    },
]

# username, real name, role, scope (organisation USCC or department short name), extra flags
ACCOUNTS = [
    ("applicant_laoshan", "张明", Role.APPLICANT, "91370212MA3C1A2B30", {}),
    ("applicant_jimo", "刘芳", Role.APPLICANT, "91370215MA3D4E5F6G", {}),
    ("applicant_city", "陈立", Role.APPLICANT, "12370200MB12345671", {}),
    ("applicant_huangdao", "韩梅", Role.APPLICANT, "91370211MA3H7K8L9U", {}),
    ("applicant_claim", "高帆", Role.APPLICANT, "91370212MA3E7H8K2D", {}),
    ("official_laoshan", "孙伟", Role.DISTRICT_OFFICIAL, "崂山区", {}),
    ("official_jimo", "周静", Role.DISTRICT_OFFICIAL, "即墨区", {}),
    # Not a superuser: admin pages through the group, portal acts through the role.
    ("commission", "吴强", Role.COMMISSION_STAFF, "市发展改革委", {"is_staff": True,
                                                               "is_superuser": False}),
    ("industry", "郑华", Role.INDUSTRY_STAFF, "市工业和信息化局", {}),
    ("thirdparty", "冯涛", Role.THIRD_PARTY_STAFF, "青岛数字经济评估中心", {}),
    ("expert_zhao", "赵敏", Role.EXPERT, None, {}),
    ("expert_qian", "钱磊", Role.EXPERT, None, {}),
    ("expert_sun", "孙悦", Role.EXPERT, None, {}),
    ("expert_zhou", "周涛", Role.EXPERT, None, {}),
    ("expert_wu", "吴桐", Role.EXPERT, None, {}),
    ("expert_chen", "陈立群", Role.EXPERT, None, {}),
    ("auditor", "何审", Role.AUDITOR, None, {}),
]

# Platform maintenance: every admin page, no role, so no portal act (not even an applicant's).
PLATFORM_ADMIN = ("platform_admin", "平台运维")

# 第八条: units whose declared route the commission has already checked.
CONFIRMED_ROUTES = ["12370200MB12345671"]

EXTRA_DEPARTMENTS = [
    ("青岛市工业和信息化局", "市工业和信息化局", DepartmentKind.INDUSTRY_AUTHORITY),
    ("青岛数字经济评估中心（第三方机构）", "青岛数字经济评估中心", DepartmentKind.THIRD_PARTY),
]


class Command(BaseCommand):
    help = "Loads demo accounts and organisations (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo 仅用于开发演示环境（DEBUG=true），生产环境禁止运行。")
        with transaction.atomic():
            self.seed()
            seed_pending_claim(DEMO_PASSWORD)
            seed_calls_and_applications()
            seed_district_reviews(DEMO_PASSWORD)
            seed_intake(DEMO_PASSWORD)
            seed_roster()
            seed_expert_review_demo()
            # After the rounds: its 回避申请 go to an application no round holds yet.
            seed_avoidance()
            # An earlier call's whole course, ending in a past notice (closed, an objection
            # upheld) that seed_designation finalises; before the current notice, which takes
            # the first frozen list without one.
            seed_past_call(DEMO_PASSWORD)
            seed_past_proposed_list(User.objects.get(username="commission"), demo_experts())
            seed_past_notice(self.stdout)
            notice = seed_notice(self.stdout)
            if notice is not None:
                seed_objections(notice)
            seed_designation(self.stdout)
            # 第十至十四条: the designated centers at work (records, changes, supervision).
            centers = list(Center.objects.order_by("pk"))
            seed_service_records(centers)
            # The first two (崂山区's): an equity change overdue, a content change forwarded.
            seed_changes(centers[:2])
            seed_supervision(centers, commission_user=User.objects.get(username="commission"),
                             district_user=User.objects.get(username="official_laoshan"))
            # 第十五条、第十九条、第二十条: news, 典型案例 and the policy versions; before the
            # evaluation demo revokes 即墨纺织服装, so that its case was published while it was a
            # designated center and is shown marked as a revoked center's afterwards.
            seed_publicity(User.objects.get(username="commission"), self.stdout)
            # 第十六至十八条: a finished evaluation cycle of the centers designated from the
            # earlier call, its 通报, a revocation proposal and a revoked center.
            seed_evaluations(self.stdout)
            # 第十五条 一张图: the centers' addresses and coordinates, as points on the map.
            seed_center_locations(self.stdout)
            # 第十五条: the statistics' change-report chart gets an on-time and a late forward.
            seed_statistics(list(Center.objects.select_related("department").order_by("pk")))
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪；所有演示账号密码：{DEMO_PASSWORD}"))

    def seed(self):
        for name, short, kind in EXTRA_DEPARTMENTS:
            Department.objects.update_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "sort_order": 500}
            )
        departments = {d.short_name: d for d in Department.objects.all()}
        organisations = {}
        for data in ORGANISATIONS:
            data = dict(data)
            district = data.pop("district")
            organisation, _ = Organisation.objects.update_or_create(
                uscc=data.pop("uscc"),
                defaults={**data, "competent_department": departments.get(district)},
            )
            organisations[organisation.uscc] = organisation
        for username, real_name, role, scope, flags in ACCOUNTS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "real_name": real_name,
                    "email": f"{username}@demo.qingdao.example",
                    "is_active": True,
                    **flags,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            RoleAssignment.objects.get_or_create(
                user=user,
                role=role,
                organisation=organisations.get(scope),
                department=departments.get(scope) if scope not in organisations else None,
                defaults={"is_administrator": role == Role.APPLICANT},
            )
        # The group is made by migrate; syncing here too keeps an older database in step.
        commission_admin_group_sync()
        commission = User.objects.get(username="commission")
        commission.groups.add(Group.objects.get(name=COMMISSION_ADMIN_GROUP))
        username, real_name = PLATFORM_ADMIN
        platform_admin, _ = User.objects.update_or_create(
            username=username,
            defaults={"real_name": real_name, "email": f"{username}@demo.qingdao.example",
                      "is_active": True, "is_staff": True, "is_superuser": True},
        )
        platform_admin.set_password(DEMO_PASSWORD)
        platform_admin.save(update_fields=["password"])
        for uscc in CONFIRMED_ROUTES:
            if not organisations[uscc].route_is_confirmed:
                organisation_route_confirm(organisation=organisations[uscc], actor=commission)
