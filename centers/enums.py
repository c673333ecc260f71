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
