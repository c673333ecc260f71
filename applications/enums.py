from django.db import models


class CallStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已截止"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回修改"
    WITHDRAWN = "withdrawn", "已撤回"
    # 第八条、第九条（二）: the 主管部门's decision after its preliminary review.
    RECOMMENDED = "recommended", "已推荐"
    NOT_RECOMMENDED = "not_recommended", "不予推荐"
    # 第八条: a 市直 or 中央、省驻青 unit's submission the commission itself checked (形式审查).
    FORMAL_PASSED = "formal_passed", "形式审查通过"
    # 第九条（三）: taken in by the commission for its expert review.
    EXPERT_REVIEW = "expert_review", "专家评审"
    # 第九条（三）: on the commission's frozen 拟评定名单, or left off it, after the expert review.
    PROPOSED = "proposed", "拟评定"
    NOT_PROPOSED = "not_proposed", "未列入拟评定名单"


class RoutingBasis(models.TextChoices):
    """第八条: why a submission went where it went."""

    CONFIRMED = "confirmed", "按市发展改革委确认的单位信息报送"
    LOCATION = "location", "按注册地报送（单位自报信息待确认）"
    INTAKE = "intake", "市发展改革委受理登记，待确定主管部门"
    REROUTED = "rerouted", "市发展改革委改派"


# 第九条（三）、（四）: the 拟评定名单 is the commission's until its public notice; the unit and
# its 主管部门 read these as 专家评审 until then.
HELD_UNTIL_NOTICE = (ApplicationStatus.PROPOSED, ApplicationStatus.NOT_PROPOSED)

# Statuses in which the applicant may edit the form (while the call's window is open).
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class UnitRole(models.TextChoices):
    LEAD = "lead", "赋能中心承建主体"
    JOINT = "joint", "赋能中心联合承建主体"


class AttachmentKind(models.TextChoices):
    PLAN_FULL_TEXT = "plan_full_text", "建设方案（全文）"
    QUALIFICATION = "qualification", "资质证明"
    STANDARD = "standard", "标准"
    PATENT = "patent", "专利"
    CASE = "case", "案例"
    CERTIFICATE = "certificate", "证书"
    OTHER = "other", "其他"
    SEALED_FORM = "sealed_form", "签字盖章的申报表扫描件"


class DocumentVariant(models.TextChoices):
    FORM = "form", "申报表"
    PACKAGE = "package", "完整申报材料"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "正在生成"
    READY = "ready", "已生成"
    FAILED = "failed", "生成失败"
    # An export whose file the sweep removed after EXPORT_RETENTION_DAYS (applications.retention).
    EXPIRED = "expired", "已过期"
