"""Forms of the roster pages, the Excel import, the admin actions of the roster and the
industry authorities' opinion."""

from django import forms

from core.forms import PortalForm

from .enums import MembershipStatus

MEMBERSHIP_FILTER_CHOICES = [("", "全部状态"), *MembershipStatus.choices, ("none", "未聘任")]


class RosterFilterForm(PortalForm):
    """The roster list's filters; `fields` is the list of industry fields read once."""

    field = forms.TypedChoiceField(label="专业领域", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label="委员状态", required=False, choices=MEMBERSHIP_FILTER_CHOICES)
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "姓名、工作单位或统一社会信用代码"}))

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "全部领域")] + [(f.pk, f.name) for f in fields]


class RosterImportForm(PortalForm):
    file = forms.FileField(label="专家名单（Excel 文件，XLSX 格式）",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class MembershipChangeForm(PortalForm):
    """动态调整 in admin: the new status, from when, the term end and why."""

    status = forms.ChoiceField(label="调整后状态", choices=MembershipStatus.choices)
    term_start = forms.DateField(label="生效日期", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="不填为今天。")
    term_end = forms.DateField(label="聘期结束", required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="不填则沿用当前聘期结束日期。")
    reason = forms.CharField(label="调整原因", max_length=300)


class ExpertAccountForm(PortalForm):
    username = forms.CharField(label="用户名", max_length=150,
                               help_text="专家登录时使用；设置密码的链接将发送到专家登记的电子邮箱。")


class AuthorityOpinionForm(PortalForm):
    opinion = forms.CharField(label="行业主管部门意见", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}))
