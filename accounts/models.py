import rules
from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .enums import (
    COMPETENT_DEPARTMENT_KINDS,
    ROLE_DEPARTMENT_KINDS,
    ROLE_SCOPE,
    DepartmentKind,
    OrganisationKind,
    Role,
)
from .fields import PhoneNumberField
from .validators import normalize_uscc, validate_mobile, validate_uscc


class User(AbstractUser):
    real_name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True, validators=[validate_mobile])
    email = models.EmailField("电子邮箱", blank=True)
    awaiting_email_confirmation = models.BooleanField(
        "待确认邮箱", default=False,
        help_text="自行注册或认领单位后，须点击邮件中的链接确认邮箱，账号才会启用。",
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.real_name or self.username

    @property
    def display_name(self):
        return self.real_name or self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        """Portal rules hold for every user, superusers included.

        A permission declared with django-rules (``applications.edit_application``, …) is
        decided by its predicate alone: being a superuser or ``is_staff`` opens Django admin's
        model permissions, never an applicant's, official's or expert's act. Any other
        permission (the admin's ``app.change_model``) keeps Django's own rules.
        """
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class Department(models.Model):
    """A government body or agency: 主管部门, the commission, industry authorities, third parties."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类别", max_length=30, choices=DepartmentKind.choices)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_competent_department(self):
        return self.kind in COMPETENT_DEPARTMENT_KINDS


class Organisation(models.Model):
    """An applicant unit (申报单位). Several users may belong to one organisation."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc],
        error_messages={"unique": "该统一社会信用代码已注册。"},
    )
    kind = models.CharField("单位类型", max_length=30, choices=OrganisationKind.choices)
    registered_in_qingdao = models.BooleanField("在青岛市注册", default=True)
    located_in_qingdao = models.BooleanField(
        "位于青岛市（在青运营）", default=True,
        help_text="未在青岛注册但在青运营的单位，请勾选此项。",
    )
    is_city_level = models.BooleanField("市直单位", default=False)
    is_central_or_provincial = models.BooleanField("中央、省驻青单位", default=False)
    competent_department = models.ForeignKey(
        Department,
        verbose_name="所在地主管部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        limit_choices_to={"kind__in": COMPETENT_DEPARTMENT_KINDS},
        help_text="单位所在区（市）发展改革部门或功能区经济发展部门；市直、中央及省驻青单位可不选。",
    )
    registered_on = models.DateField("注册时间", null=True, blank=True)
    registered_capital = models.DecimalField(
        "注册资金（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    legal_representative = models.CharField("法人代表", max_length=50, blank=True)
    phone = PhoneNumberField("联系电话", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    # 本单位信息: kept by the unit itself and copied into each new application's lead unit.
    enterprise_qualification = models.CharField("企业资质", max_length=300, blank=True)
    industry_qualification = models.CharField("行业资质", max_length=300, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_email = models.EmailField("联系人邮箱", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    registration_expires_at = models.DateTimeField(
        "注册确认期限", null=True, blank=True, db_index=True,
        help_text="自行注册的单位须在此时间前确认邮箱，逾期注册失效、统一社会信用代码释放；"
                  "确认后或经市发展改革委核实后为空。",
    )
    # 第八条: 市直, 中央、省驻青 and the 主管部门 decide who reviews an application. The unit
    # declares them; they count once the commission confirms them. What was confirmed is kept,
    # so a later change of any of them (by anyone, anywhere) is unconfirmed again by itself.
    route_confirmed_claim = models.CharField("已确认的报送路径", max_length=40, blank=True,
                                             editable=False)
    route_confirmed_at = models.DateTimeField("报送路径确认时间", null=True, blank=True,
                                              editable=False)
    route_confirmed_by = models.ForeignKey(
        "User", verbose_name="报送路径确认人", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(competent_department__isnull=False)
                | Q(is_city_level=True)
                | Q(is_central_or_provincial=True),
                name="organisation_has_route",
                violation_error_message="请选择所在地主管部门，或勾选市直 / 中央、省驻青单位。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = normalize_uscc(self.uscc)

    @property
    def submits_directly_to_commission(self):
        """第八条: 市直 and 中央、省驻青 units submit straight to the commission."""
        return self.is_city_level or self.is_central_or_provincial

    @property
    def route_claim(self) -> str:
        """The routing attributes as declared now, as one comparable string."""
        return (f"city={int(self.is_city_level)};central={int(self.is_central_or_provincial)};"
                f"dept={self.competent_department_id or ''}")

    @property
    def route_is_confirmed(self) -> bool:
        """第八条: the declared route counts only as the commission confirmed it."""
        return bool(self.route_confirmed_claim) and self.route_confirmed_claim == self.route_claim


class RoleAssignment(models.Model):
    """One role of one user in one scope (an organisation, a department, or none)."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.CASCADE,
        null=True, blank=True, related_name="memberships",
    )
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT,
        null=True, blank=True, related_name="role_assignments",
    )
    is_administrator = models.BooleanField(
        "单位管理员", default=False, help_text="申报单位的管理员可管理本单位账号。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "department"],
                nulls_distinct=False,
                name="one_role_per_scope",
                violation_error_message="该用户在此范围内已有此角色。",
            ),
        ]

    def __str__(self):
        scope = self.organisation or self.department
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    def clean(self):
        scope = ROLE_SCOPE[Role(self.role)]
        if scope == "organisation" and not self.organisation_id:
            raise ValidationError({"organisation": "申报单位用户须指定所属单位。"})
        if scope != "organisation" and self.organisation_id:
            raise ValidationError({"organisation": "此角色不属于申报单位。"})
        if scope == "department":
            if not self.department_id:
                raise ValidationError({"department": "此角色须指定所属部门。"})
            allowed = ROLE_DEPARTMENT_KINDS[Role(self.role)]
            if self.department.kind not in allowed:
                raise ValidationError({"department": "所选部门的类别与角色不符。"})
        elif self.department_id:
            raise ValidationError({"department": "此角色不属于任何部门。"})


def claim_licence_path(instance, filename):
    # The stored name never comes from the client (the detected type gives the extension).
    import uuid

    return f"claims/{uuid.uuid4().hex}.{instance.licence_extension}"


class OrganisationClaim(models.Model):
    """A company asks for the account of a unit already registered under its 统一社会信用代码
    (someone else registered it, by mistake or to block it). The commission checks the business
    licence in Django admin and transfers the unit to the claimant, or refuses with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", "待核实"
        APPROVED = "approved", "已通过（单位已转移）"
        REFUSED = "refused", "未通过"

    organisation = models.ForeignKey(
        Organisation, verbose_name="被认领单位", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="claims",
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, validators=[validate_uscc])
    organisation_name = models.CharField("单位名称（营业执照）", max_length=200)
    licence = models.FileField("营业执照", upload_to=claim_licence_path)
    licence_extension = models.CharField("营业执照文件类型", max_length=8)
    licence_original_name = models.CharField("营业执照原文件名", max_length=200)
    real_name = models.CharField("联系人姓名", max_length=50)
    mobile = models.CharField("手机号码", max_length=20, validators=[validate_mobile])
    email = models.EmailField("电子邮箱")
    username = models.CharField("登录用户名", max_length=150)
    password_hash = models.CharField("密码（散列）", max_length=256)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="处理人", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField("未通过理由", blank=True)
    claimant = models.ForeignKey(
        User, verbose_name="认领人账号", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text="通过后为认领人开通的单位管理员账号。",
    )

    class Meta:
        verbose_name = "单位认领申请"
        verbose_name_plural = "单位认领申请"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organisation_name}（{self.uscc}）"


class LockedAccount(AccessAttempt):
    """django-axes' record of failed logins, shown in Chinese where the commission works."""

    class Meta:
        proxy = True
        verbose_name = "登录失败记录（账号锁定）"
        verbose_name_plural = "登录失败记录（账号锁定）"

    def __str__(self):
        # django-axes names a row "Attempted Access: <UTC time>"; admin reads it out (选择此对象).
        return (f"{self.username} · {self.ip_address} · "
                f"{timezone.localtime(self.attempt_time):%Y-%m-%d %H:%M}")
