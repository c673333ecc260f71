from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation

from core.forms import PortalForm

from .enums import COMPETENT_DEPARTMENT_KINDS
from .licence import validate_licence
from .models import Department, Organisation, User
from .validators import (
    normalize_phone,
    normalize_uscc,
    validate_mobile,
    validate_username_available,
)

# 第八条: what decides the route counts once the commission has confirmed it.
ROUTE_HELP = ("决定申报报送去向，经市发展改革委核实确认后生效；确认前，申报按统一社会信用代码所示"
              "注册地报送所在区（市）主管部门。")


class AdministratorAccountForm(PortalForm):
    """The account of a unit's administrator (联系人, 手机, 邮箱, 用户名, 密码), shared by the
    registration and the claim of a unit. Subclasses set `email_help`; `clean()` checks the two
    passwords agree and pass the MLPS rules (settings.AUTH_PASSWORD_VALIDATORS)."""

    email_help = ""

    real_name = forms.CharField(label="联系人姓名", max_length=50)
    mobile = forms.CharField(label="手机号码", max_length=20, validators=[validate_mobile])
    email = forms.EmailField(label="电子邮箱")
    username = forms.CharField(label="登录用户名", max_length=150)
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput,
                                help_text="至少8位，包含大写字母、小写字母、数字、符号中的三类。")
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput)

    ACCOUNT_FIELDS = ("real_name", "mobile", "email", "username", "password1", "password2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.email_help

    def clean_mobile(self):
        return normalize_phone(self.cleaned_data["mobile"])

    def clean_username(self):
        username = self.cleaned_data["username"]
        validate_username_available(username)
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        if p1:
            probe = User(username=data.get("username", ""), email=data.get("email", ""),
                         real_name=data.get("real_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RegistrationForm(AdministratorAccountForm):
    """An applicant unit and its first user, in one page."""

    email_help = "用于接收账号激活邮件和申报提醒。"

    name = forms.CharField(label="单位名称", max_length=200)
    uscc = forms.CharField(
        label="统一社会信用代码", max_length=40,
        help_text="18位，见营业执照；全角字符、空格和小写字母会自动规范。",
    )
    kind = Organisation._meta.get_field("kind").formfield()
    registered_in_qingdao = forms.BooleanField(label="在青岛市注册", required=False, initial=True)
    located_in_qingdao = forms.BooleanField(label="位于青岛市（在青运营）", required=False,
                                            initial=True)
    is_city_level = forms.BooleanField(label="市直单位", required=False, help_text=ROUTE_HELP)
    is_central_or_provincial = forms.BooleanField(label="中央、省驻青单位", required=False,
                                                  help_text=ROUTE_HELP)
    competent_department = forms.ModelChoiceField(
        label="所在地主管部门",
        queryset=Department.objects.filter(kind__in=COMPETENT_DEPARTMENT_KINDS, is_active=True),
        required=False,
        empty_label="请选择区（市）或功能区",
        help_text=ROUTE_HELP,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "registration-form"
        self.helper.layout = Layout(
            Fieldset("单位信息", "name", "uscc", "kind", "registered_in_qingdao",
                     "located_in_qingdao", "competent_department", "is_city_level",
                     "is_central_or_provincial"),
            Fieldset("单位管理员账号", *self.ACCOUNT_FIELDS),
            Submit("submit", "提交注册"),
        )

    def clean_uscc(self):
        value = normalize_uscc(self.cleaned_data["uscc"])
        Organisation._meta.get_field("uscc").run_validators(value)
        return value

    def clean(self):
        data = super().clean()
        direct = data.get("is_city_level") or data.get("is_central_or_provincial")
        if not direct and not data.get("competent_department"):
            self.add_error("competent_department",
                           "请选择所在地主管部门；市直或中央、省驻青单位请勾选相应选项。")
        if not data.get("registered_in_qingdao") and not data.get("located_in_qingdao"):
            self.add_error("located_in_qingdao",
                           "赋能中心申报单位须在青岛注册或在青运营（第七条第一项）。")
        return data

    def organisation_data(self) -> dict:
        fields = ("name", "uscc", "kind", "registered_in_qingdao", "located_in_qingdao",
                  "is_city_level", "is_central_or_provincial", "competent_department")
        return {f: self.cleaned_data[f] for f in fields}


class MemberForm(PortalForm):
    """A colleague's account, opened by the organisation's administrator."""

    real_name = forms.CharField(label="姓名", max_length=50)
    username = forms.CharField(label="登录用户名", max_length=150)
    email = forms.EmailField(label="电子邮箱", help_text="设置密码的链接将发送到此邮箱。")
    mobile = forms.CharField(label="手机号码", max_length=20, validators=[validate_mobile])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "member-form"
        self.helper.attrs = {"data-once": ""}
        self.helper.add_input(Submit("submit", "开通账号"))

    def clean_username(self):
        username = self.cleaned_data["username"]
        validate_username_available(username)
        return username

    def clean_mobile(self):
        return normalize_phone(self.cleaned_data["mobile"])


class ClaimForm(AdministratorAccountForm):
    """A company claims the unit registered under its 统一社会信用代码 (the commission checks the
    business licence and transfers it)."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=40)
    organisation_name = forms.CharField(label="单位名称（与营业执照一致）", max_length=200)
    licence = forms.FileField(label="营业执照", help_text="PDF、JPG或PNG，不超过10 MB。")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="如：本单位未曾注册，发现统一社会信用代码已被占用。")

    email_help = "处理结果和账号激活邮件将发送到此邮箱。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "claim-form"
        self.helper.attrs = {"data-once": ""}
        self.helper.layout = Layout(
            Fieldset("被占用的单位", "uscc", "organisation_name", "licence", "note"),
            Fieldset("认领后的单位管理员账号", *self.ACCOUNT_FIELDS),
            Submit("submit", "提交认领申请"),
        )

    def clean_uscc(self):
        value = normalize_uscc(self.cleaned_data["uscc"])
        Organisation._meta.get_field("uscc").run_validators(value)
        if not Organisation.objects.filter(uscc=value).exists():
            raise forms.ValidationError("该统一社会信用代码尚未注册，请直接注册本单位。")
        return value

    def clean_licence(self):
        licence = self.cleaned_data["licence"]
        self.licence_extension = validate_licence(licence)
        return licence
