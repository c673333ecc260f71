"""What each step of the 申报表 still lacks; the checklist and the submit check read this."""

from core.text import char_count

from .enums import AttachmentKind
from .models import SUMMARY_MAX_CHARS
from .plan import PLAN_HEADINGS
from .steps import STEPS

# char_count (core.text) is re-exported here: the one counting rule of every limit.
__all__ = ["char_count", "checklist", "required_fields", "step_problems"]

UNIT_REQUIRED = (
    ("name", "单位名称"),
    ("uscc", "统一社会信用代码"),
    ("kind", "单位类型"),
    ("registered_on", "注册时间"),
    ("registered_capital", "注册资金（万元）"),
    ("revenue_last_year", "上一年度主营业务收入（亿元）"),
    ("rd_investment_last_year", "上一年度研发投入（万元）"),
    ("legal_representative", "法人代表"),
    ("phone", "联系电话"),
)

CENTER_REQUIRED = (
    ("center_name", "赋能中心名称"),
    ("industry_field_id", "产业方向/领域"),
    ("director_name", "赋能中心负责人姓名"),
    ("director_title", "负责人职务/职称"),
    ("director_phone", "负责人联系方式"),
    ("director_email", "负责人邮箱"),
    ("tech_lead_name", "中心技术团队牵头人姓名"),
    ("tech_lead_title", "技术团队牵头人职称"),
    ("tech_lead_phone", "技术团队牵头人联系方式"),
    ("tech_lead_email", "技术团队牵头人邮箱"),
    ("service_lead_name", "中心服务团队牵头人姓名"),
    ("service_lead_title", "服务团队牵头人职称"),
    ("service_lead_phone", "服务团队牵头人联系方式"),
    ("service_lead_email", "服务团队牵头人邮箱"),
)

GOALS = (
    ("goal_key_technologies", "关键技术突破"),
    ("goal_scenarios", "应用场景落地"),
    ("goal_solutions", "行业解决方案"),
    ("goal_patents", "相关有效专利"),
)

PLAN_REQUIRED = tuple((item.field, item.short) for item in PLAN_HEADINGS if item.required)


def required_fields(step_key: str, application) -> dict[str, set[str]]:
    """The form fields a step must have filled before submission, by form key of
    `steps.step_forms` ({"form": {"center_name", …}}). The same lists `step_problems` checks,
    so the asterisks on the page and the checklist never disagree."""
    names = lambda fields: {name.removesuffix("_id") for name, _ in fields}  # noqa: E731
    return {
        "lead": {"unit": names(UNIT_REQUIRED)},
        "joint": {"choice": {"has_joint_unit"}, "unit": names(UNIT_REQUIRED)},
        "center": {"form": names(CENTER_REQUIRED)},
        "service": {"form": {"service_summary", "construction_content"}},
        "goals": {"form": names(GOALS)},
        "plan": {"form": names(PLAN_REQUIRED)},
        "attachments": {},
        "avoidance": {},
        "commitment": {"form": {"lead_commitment"}
                       | ({"joint_commitment"} if application.has_joint_unit else set())},
    }[step_key]


def _missing(obj, fields):
    return [label for name, label in fields if getattr(obj, name) in (None, "")]


def _unit_problems(unit, label):
    if unit is None:
        return [f"尚未填写{label}基本情况。"]
    missing = _missing(unit, UNIT_REQUIRED)
    return [f"{label}：请填写{'、'.join(missing)}。"] if missing else []


def step_problems(application) -> dict[str, list[str]]:
    problems = {step.key: [] for step in STEPS}
    problems["lead"] = _unit_problems(application.lead_unit, "承建主体")
    if application.has_joint_unit is None:
        problems["joint"].append("请选择有无联合承建主体。")
    elif application.has_joint_unit:
        problems["joint"] = _unit_problems(application.joint_unit, "联合承建主体")

    missing = _missing(application, CENTER_REQUIRED)
    if missing:
        problems["center"].append(f"请填写{'、'.join(missing)}。")
    if application.industry_field_id and not any(
        f.pk == application.industry_field_id for f in application.call.industry_fields.all()
    ):
        problems["center"].append("所选产业方向/领域不在本次申报通知的重点产业领域内。")

    for name, label in (("service_summary", "三、赋能中心行业服务情况"),
                        ("construction_content", "四、赋能中心建设内容")):
        text = getattr(application, name)
        if not text.strip():
            problems["service"].append(f"请填写{label}。")
        elif char_count(text) > SUMMARY_MAX_CHARS:
            problems["service"].append(f"{label}须在{SUMMARY_MAX_CHARS}字以内。")

    for name, label in GOALS:
        count = getattr(application, name)
        if count is None:
            problems["goals"].append(f"请填写{label}数量。")
        elif count > 0 and not getattr(application, f"{name}_note").strip():
            problems["goals"].append(f"请填写{label}简述。")

    missing = _missing(application, PLAN_REQUIRED)
    if missing:
        problems["plan"].append(f"请填写建设方案{'、'.join(missing)}。")

    present = {a.kind for a in application.attachments.all()}
    required = {m.kind: m.get_kind_display() for m in application.call.materials.all()
                if m.is_mandatory}
    required.pop(AttachmentKind.SEALED_FORM, None)  # checked at the commitment step
    for kind, label in required.items():
        if kind not in present:
            problems["attachments"].append(f"请上传{label}。")

    if application.lead_commitment_at is None:
        problems["commitment"].append("请阅读并同意承建单位意见（承诺）。")
    if application.has_joint_unit and application.joint_commitment_at is None:
        problems["commitment"].append("请阅读并同意联合申报单位意见（承诺）。")
    if AttachmentKind.SEALED_FORM not in present:
        problems["commitment"].append("请上传签字盖章的申报表扫描件。")
    return problems


def checklist(application) -> list[dict]:
    problems = step_problems(application)
    return [
        {"key": step.key, "title": step.title, "problems": problems[step.key],
         "done": not problems[step.key]}
        for step in STEPS
    ]
