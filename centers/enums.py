from django.db import models


class NoticeStatus(models.TextChoices):
    """第九条（四）: a 公示 is drafted, published for its period, then closed by the sweep."""

    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "公示中"
    CLOSED = "closed", "公示期满"


# 第九条（四）: the default length of the notice period, in working days.
DEFAULT_NOTICE_WORKING_DAYS = 5
