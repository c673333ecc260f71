"""The outline of the 建设方案 (the measures' annex): five sections, fourteen sub-headings under
一 to 四, and 五 written as one text. One text area per heading; the form, the completeness
check, the PDF and the export all read this outline."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanHeading:
    field: str
    heading: str  # as printed under its section, e.g. "（一）单位概况（含联合申报单位情况）"
    short: str  # as named in a message, e.g. "一（一）单位概况"
    required: bool = True


@dataclass(frozen=True)
class PlanSection:
    heading: str
    items: tuple[PlanHeading, ...]


PLAN_SECTIONS = (
    PlanSection("一、基础条件", (
        PlanHeading("plan_unit_overview", "（一）单位概况（含联合申报单位情况）", "一（一）单位概况"),
        PlanHeading("plan_tech_achievements", "（二）技术成果创新与行业应用情况",
                    "一（二）技术成果创新与行业应用情况"),
        PlanHeading("plan_tech_support", "（三）技术成果支撑赋能中心建设情况",
                    "一（三）技术成果支撑赋能中心建设情况"),
        PlanHeading("plan_competitiveness", "（四）综合竞争力分析（含技术竞争力、市场竞争力等）",
                    "一（四）综合竞争力分析"),
    )),
    PlanSection("二、建设内容", (
        PlanHeading("plan_development_goals", "（一）建设与发展目标", "二（一）建设与发展目标"),
        PlanHeading("plan_main_content", "（二）主要建设内容", "二（二）主要建设内容"),
        PlanHeading("plan_three_year_schedule", "（三）三年推进计划", "二（三）三年推进计划"),
    )),
    PlanSection("三、运行架构", (
        PlanHeading("plan_organisation", "（一）组织架构与运行机制", "三（一）组织架构与运行机制"),
        PlanHeading("plan_team", "（二）主要技术带头人、管理人员及技术队伍概况",
                    "三（二）技术带头人、管理人员及技术队伍概况"),
        PlanHeading("plan_sustainability", "（三）可持续发展的保障措施",
                    "三（三）可持续发展的保障措施"),
        PlanHeading("plan_outcome_targets",
                    "（四）成果目标（主要围绕关键技术成果、自主知识产权成果、应用场景开放数量、"
                    "服务标杆案例、产业促进情况等方面描述未来成果目标）", "三（四）成果目标"),
    )),
    PlanSection("四、实施方案", (
        PlanHeading("plan_site", "（一）建设地点与设置描述", "四（一）建设地点与设置描述"),
        PlanHeading("plan_funding", "（二）资金来源与预算方案", "四（二）资金来源与预算方案"),
        PlanHeading("plan_benefits", "（三）经济社会效益说明", "四（三）经济社会效益说明"),
    )),
    PlanSection("五、其它需说明的问题", (
        PlanHeading("plan_other", "", "五、其它需说明的问题", required=False),
    )),
)
PLAN_HEADINGS = tuple(item for section in PLAN_SECTIONS for item in section.items)
PLAN_FIELDS = tuple(item.field for item in PLAN_HEADINGS)
ATTACHMENTS_HEADING = "六、附件（相关资质、标准、专利、案例、证书等证明材料）"
