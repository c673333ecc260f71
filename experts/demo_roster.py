"""Demo data of the committee for `make run`: twelve experts across the industry fields with
declared ties and membership history (one suspended, one who left), the demo expert accounts
linked to their records (the rounds, and the industry authority invited to them, are
experts.demo's). Idempotent: experts are found by name and employer."""

import datetime

from django.utils import timezone

from accounts.models import User
from accounts.validators import uscc_check_character
from applications.models import IndustryField

from .enums import MembershipStatus, TieKind
from .models import CommitteeMembership, Expert, ExpertTie


def _uscc(n: int) -> str:
    first17 = f"12370200MB{n:07d}"
    return first17 + uscc_check_character(first17)


# name, employer, title, fields, demo username to link (or "")
EXPERTS = [
    ("赵敏", "青岛海川咨询有限公司", "高级工程师", ["智能家电", "人工智能"], "expert_zhao"),
    ("钱磊", "青岛大学", "教授", ["人工智能", "集成电路"], "expert_qian"),
    ("孙悦", "中国海洋大学", "教授", ["海洋装备", "新材料"], "expert_sun"),
    ("李航", "青岛科技大学", "教授", ["高端化工", "新材料"], ""),
    ("周涛", "山东大学（青岛）", "副教授", ["集成电路", "新型显示"], "expert_zhou"),
    ("吴桐", "青岛市工业技术研究院", "研究员", ["轨道交通装备"], "expert_wu"),
    ("郑洁", "青岛理工大学", "教授", ["食品饮料", "生物医药"], ""),
    ("王进", "青岛市经济研究所", "研究员", ["纺织服装", "食品饮料"], ""),
    ("冯雪", "中车青岛四方机车车辆股份有限公司", "正高级工程师", ["轨道交通装备", "新能源汽车"], ""),
    ("陈立群", "青岛数字经济研究院", "高级经济师", ["人工智能", "智能家电"], "expert_chen"),
    ("褚卫", "青岛农业大学", "教授", ["食品饮料"], ""),
    ("卫强", "青岛市软件行业协会", "秘书长", ["人工智能", "新能源汽车"], ""),
]
SUSPENDED = "李航"
LEFT = "卫强"


def seed_roster() -> list[Expert]:
    """Creates or updates the demo roster (see the module docstring); returns the experts."""
    fields = {f.name: f for f in IndustryField.objects.all()}
    commission = User.objects.filter(username="commission").first()
    start = datetime.date(timezone.localdate().year, 1, 1)
    experts = []
    for n, (name, employer, title, field_names, username) in enumerate(EXPERTS, start=1):
        expert, _ = Expert.objects.update_or_create(
            name=name, employer_name=employer,
            defaults={"title": title, "employer_uscc": _uscc(n), "mobile": f"1390532{n:04d}",
                      "email": f"expert{n}@demo.qingdao.example"})
        expert.fields.set([fields[f] for f in field_names if f in fields])
        if username:
            user = User.objects.filter(username=username).first()
            if user is not None:
                Expert.objects.filter(user=user).exclude(pk=expert.pk).update(user=None)
                expert.user = user
                expert.save(update_fields=["user"])
        if not expert.memberships.exists():
            CommitteeMembership.objects.create(
                expert=expert, term_start=start, term_end=start.replace(year=start.year + 2),
                status=MembershipStatus.ACTIVE, reason="首批聘任", changed_by=commission)
            if name in (SUSPENDED, LEFT):
                changed_on = start + datetime.timedelta(days=60)
                first = expert.memberships.get()
                first.term_end = changed_on - datetime.timedelta(days=1)
                first.save(update_fields=["term_end"])
                CommitteeMembership.objects.create(
                    expert=expert, term_start=changed_on, term_end=first.term_end,
                    status=MembershipStatus.SUSPENDED if name == SUSPENDED
                    else MembershipStatus.LEFT,
                    reason="本人申请暂停参加评审" if name == SUSPENDED else "工作调动，本人申请退出",
                    changed_by=commission)
        if not expert.ties.exists():
            ExpertTie.objects.create(
                expert=expert, kind=TieKind.CONSULTING if n % 2 else TieKind.EMPLOYMENT,
                unit_name=f"青岛示范{field_names[0]}科技有限公司",
                started_on=start.replace(year=start.year - 3),
                ended_on=start.replace(year=start.year - 1), note="技术顾问")
        experts.append(expert)
    return experts
