from django.db import models


class NoticeStatus(models.TextChoices):
    """第九条（四）: a 公示 is drafted, published for its period, closed by the sweep, then
    finalised by the commission (the designation announcement, 公告)."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "公示中"
    CLOSED = "closed", "公示期满"
    FINALISED = "finalised", "已确定"


# 第九条（四）: the default length of the notice period, in working days.
DEFAULT_NOTICE_WORKING_DAYS = 5


class ObjectionStatus(models.TextChoices):
    """异议 (第九条（四）): received, under investigation, then upheld or dismissed."""

    RECEIVED = "received", "已受理"
    INVESTIGATING = "investigating", "调查核实中"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


DECIDED_OBJECTION_STATUSES = (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)


class CenterStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已撤销"


class ServiceKind(models.TextChoices):
    """服务记录 (第十二条, 第七条（八）): what a center does for the city's enterprises, and the
    achievements counted against 五、建设目标."""

    TRAINING = "training", "数字化转型培训"
    DIAGNOSIS = "diagnosis", "数字化诊断书"
    SOLUTION = "solution", "解决方案"
    INDUSTRY_REPORT = "industry_report", "行业数字化诊断咨询报告"
    PROJECT = "project", "数字化转型项目"
    KEY_TECHNOLOGY = "key_technology", "关键技术突破"
    SCENARIO = "scenario", "应用场景落地"
    INDUSTRY_SOLUTION = "industry_solution", "行业解决方案"
    PATENT = "patent", "相关有效专利"


# 五、建设目标: the achievement kinds and the TargetSet field each counts against.
TARGET_FIELD_OF_KIND = {
    ServiceKind.KEY_TECHNOLOGY: "key_technologies",
    ServiceKind.SCENARIO: "scenarios",
    ServiceKind.INDUSTRY_SOLUTION: "solutions",
    ServiceKind.PATENT: "patents",
}


class ProjectStatus(models.TextChoices):
    UNDER_WAY = "under_way", "实施中"
    COMPLETED = "completed", "已完成"
    ACCEPTED = "accepted", "已验收"


class ChangeKind(models.TextChoices):
    """第十三条: the three kinds of change and their routes."""

    ENTITY = "entity", "依托法人实体重大调整"
    CONTENT = "content", "服务内容和目标任务重大变化"
    OTHER = "other", "其他调整"


class EntityChange(models.TextChoices):
    """第十三条: 依托法人实体发生更名、股权变更、破产重组、注销等重大调整."""

    RENAME = "rename", "更名"
    EQUITY = "equity", "股权变更"
    RESTRUCTURING = "restructuring", "破产重组"
    CANCELLATION = "cancellation", "注销"


class ChangeReportStatus(models.TextChoices):
    """A change report's life: drafted by the center, sent to its 主管部门; an entity or content
    change is forwarded to the commission, which accepts or refuses it; an 其他调整 ends when
    the 主管部门 has taken note of it."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报主管部门"
    FORWARDED = "forwarded", "已报送市发展改革委"
    ACCEPTED = "accepted", "已同意"
    REFUSED = "refused", "不予同意"
    NOTED = "noted", "主管部门已知悉"


# 第十三条: the 主管部门 forwards an entity change within 30 working days of the licence change.
CHANGE_REPORT_WORKING_DAYS = 30
# Reminders before a working-day deadline, in working days left (once each).
REMINDER_WORKING_DAYS = (10, 5, 1)


class OperationReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"


class OperationRating(models.TextChoices):
    """The 主管部门's assessment of a center's operation in a period (第十一条)."""

    GOOD = "good", "运行良好"
    FAIR = "fair", "运行一般"
    POOR = "poor", "运行较差"


class ArticleKind(models.TextChoices):
    """宣传推介 (第十五条、第十九条): what the commission publishes besides notices."""

    NEWS = "news", "新闻动态"
    ANNOUNCEMENT = "announcement", "通知公告"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class CaseStudyStatus(models.TextChoices):
    """典型案例 (第十九条): written by the center's unit, approved by the commission, then public."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"
