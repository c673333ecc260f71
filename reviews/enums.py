from django.db import models


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    DECIDED = "decided", "已作出审查结论"


class ReviewOutcome(models.TextChoices):
    """第九条（二）: what the 主管部门 decides after checking the materials."""

    RETURNED = "returned", "退回修改"
    NOT_RECOMMENDED = "not_recommended", "不予推荐"
    RECOMMENDED = "recommended", "推荐"
    # 第八条: the commission's 形式审查 of a direct submission passes it (no rank).
    PASSED = "passed", "形式审查通过"


class OverdueResolution(models.TextChoices):
    """What the commission decided about a 主管部门's review not decided by its deadline."""

    PENDING = "pending", "待市发展改革委处理"
    EXTENDED = "extended", "已允许主管部门补审"
    TAKEN_OVER = "taken_over", "已转入市发展改革委形式审查"


class CheckResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"


# 第九条（二）: the three things the 主管部门 checks, in the order of the article.
CHECKS = (
    ("authenticity", "真实性"),
    ("accuracy", "准确性"),
    ("conformity", "规范性"),
)


class BatchStatus(models.TextChoices):
    """第八条: a 主管部门's recommendations for a call, sent to the commission as one batch."""

    DRAFT = "draft", "未报送"
    SUBMITTED = "submitted", "已报送"
    REOPENED = "reopened", "已退回重新报送"


class LetterStatus(models.TextChoices):
    """The 推荐函 PDF of a batch."""

    PENDING = "pending", "正在生成"
    READY = "ready", "已生成"
    FAILED = "failed", "生成失败"
