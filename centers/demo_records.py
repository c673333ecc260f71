"""Demo service records (`make run`): for each designated demo center, a year of what a center
records (第十二条) — trainings, 诊断书 and 解决方案 for enterprises, an industry report, a project,
and achievements against its targets (关键技术突破, 应用场景落地, 行业解决方案, 相关有效专利) —
entered through the same service as the center's users. Idempotent: a center with records is
left as it is."""

import datetime
from decimal import Decimal

from accounts.validators import uscc_check_character
from applications.models import IndustryField
from applications.services import organisation_members

from .enums import ProjectStatus, ServiceKind
from .models import Center
from .records import RecordError, patent_check_digit, record_create

K = ServiceKind
DEMO_ENTERPRISES = ["青岛海纳精密制造有限公司", "青岛蓝海食品科技有限公司", "青岛启航汽车零部件有限公司",
                    "青岛瑞丰纺织服装有限公司", "青岛港湾物流装备有限公司", "青岛北辰新材料有限公司"]


def _uscc(serial: int) -> str:
    first17 = f"91370200{serial:09d}"
    return first17 + uscc_check_character(first17)


def _enterprises(start: int, count: int) -> list[dict]:
    return [{"name": DEMO_ENTERPRISES[(start + k) % len(DEMO_ENTERPRISES)],
             "uscc": _uscc(700_000_000 + (start + k) % len(DEMO_ENTERPRISES))}
            for k in range(count)]


def _patent(serial: int, year: int) -> str:
    digits = f"{year}1{serial:07d}"
    return f"ZL{digits}.{patent_check_digit(digits)}"


def _plan(center: Center, today: datetime.date) -> list[tuple]:
    """(kind, day offset, title, extra data, enterprises) of the demo year."""
    return [
        (K.TRAINING, 20, "中小企业数字化转型政策解读与实践培训",
         {"hours": Decimal("4"), "participants": 86}, _enterprises(0, 4)),
        (K.TRAINING, 120, "工业互联网平台应用专题培训",
         {"hours": Decimal("6"), "participants": 54}, _enterprises(2, 3)),
        (K.TRAINING, 250, "数据要素与智能制造实务培训",
         {"hours": Decimal("3.5"), "participants": 40}, _enterprises(4, 2)),
        (K.DIAGNOSIS, 45, "生产管理数字化水平诊断书", {}, _enterprises(0, 1)),
        (K.DIAGNOSIS, 90, "供应链协同数字化诊断书", {}, _enterprises(1, 1)),
        (K.DIAGNOSIS, 200, "设备联网与数据采集诊断书", {}, _enterprises(3, 1)),
        (K.SOLUTION, 150, "车间数字化改造解决方案", {}, _enterprises(0, 1)),
        (K.INDUSTRY_REPORT, 180, f"{center.industry_field.name if center.industry_field else '重点产业'}"
                                 "行业数字化转型诊断咨询报告",
         {"provided_to": "市发展改革委、市工业和信息化局"}, []),
        (K.PROJECT, 100, "智能仓储管理系统建设项目",
         {"amount": Decimal("128.50"), "project_status": ProjectStatus.ACCEPTED,
          "accepted_on_offset": 300}, _enterprises(0, 1)),
        (K.KEY_TECHNOLOGY, 210, "多源工业数据实时融合技术", {}, []),
        (K.SCENARIO, 160, "注塑车间质量在线检测场景", {}, _enterprises(1, 1)),
        (K.INDUSTRY_SOLUTION, 240, "离散制造业设备管理行业解决方案", {}, []),
        (K.PATENT, 270, "一种基于边缘计算的设备故障预警方法",
         {"patent_number": _patent(center.pk * 100 + 1, center.designated_on.year)}, []),
    ]


def seed_service_records(centers, users=None, today: datetime.date | None = None) -> int:
    """Records a demo year for each center in `centers` that has none, as the first member
    of its unit (or `users["applicant"]`), dated from its designation and never after
    `today`. Returns how many records were made; a record refused (a closed year) is
    skipped."""
    today = today or datetime.date.today()
    field = IndustryField.objects.filter(is_active=True).order_by("sort_order", "id").first()
    made = 0
    for center in centers:
        if center.service_records.exists():
            continue
        members = organisation_members(center.application.organisation_id)
        actor = members[0] if members else (users or {}).get("applicant")
        if actor is None:
            continue
        for kind, offset, title, extra, enterprises in _plan(center, today):
            occurred_on = min(center.designated_on + datetime.timedelta(days=offset), today)
            data = {"occurred_on": occurred_on, "title": title,
                    "industry_field": center.industry_field or field,
                    "description": f"{title}（演示数据）"}
            data.update({k: v for k, v in extra.items() if k != "accepted_on_offset"})
            if "accepted_on_offset" in extra:
                data["accepted_on"] = min(
                    center.designated_on + datetime.timedelta(days=extra["accepted_on_offset"]),
                    today)
            try:
                record_create(center=center, actor=actor, kind=kind, data=data,
                              enterprises=enterprises)
            except RecordError:
                continue
            made += 1
    return made
