"""Forms of the supervision (第十一条) and the data duties (第十四条). The rules live in
centers.supervision."""

from django import forms
from django.utils import timezone

from accounts.fields import PhoneFormField
from accounts.validators import PHONE_ERROR
from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from core.forms import PortalForm

from .enums import OperationRating
from .record_forms import date_input
from .supervision import REPORT_STATES


class PeriodForm(PortalForm):
    name = forms.CharField(label="名称", max_length=50,
                           error_messages={"required": "请填写报告期名称，如“2026年上半年”。"})
    starts_on = forms.DateField(label="起始日期", widget=date_input(),
                                error_messages={"required": "请填写起始日期。",
                                                "invalid": "请填写有效的日期。"})
    ends_on = forms.DateField(label="截止日期", widget=date_input(),
                              error_messages={"required": "请填写截止日期。",
                                              "invalid": "请填写有效的日期。"})
    due_on = forms.DateField(label="报送截止日期", widget=date_input(),
                             error_messages={"required": "请填写报送截止日期。",
                                             "invalid": "请填写有效的日期。"})


class PeriodChoiceForm(PortalForm):
    period = forms.TypedChoiceField(label="报告期", required=False, coerce=int,
                                    empty_value=None)
    state = forms.ChoiceField(label="报送情况", required=False,
                              choices=[("", "全部"), *REPORT_STATES])

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = list(periods)


class OperationReportForm(PortalForm):
    """The summary and one rating + opinion per center (fields `rating_<pk>`,
    `opinion_<pk>`). Blank values pass here: the service decides what a submit needs."""

    summary = forms.CharField(label="总体情况", required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="本部门所属赋能中心的建设运行总体情况、存在问题和工作建议。")

    def __init__(self, *args, centers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.centers = list(centers)
        for center in self.centers:
            self.fields[f"rating_{center.pk}"] = forms.ChoiceField(
                label="评估", required=False,
                choices=[("", "请选择"), *OperationRating.choices])
            self.fields[f"opinion_{center.pk}"] = forms.CharField(
                label="运行情况及意见", required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}))

    def rows(self):
        """(center, rating bound field, opinion bound field) for the template."""
        return [(c, self[f"rating_{c.pk}"], self[f"opinion_{c.pk}"]) for c in self.centers]

    def assessments(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"rating_{c.pk}") or "", data.get(f"opinion_{c.pk}") or "")
                for c in self.centers}


class DataSecurityForm(PortalForm):
    responsible_person = forms.CharField(label="数据安全负责人", max_length=50,
                                         error_messages={"required": "请填写数据安全负责人。"})
    responsible_title = forms.CharField(label="职务", max_length=50, required=False)
    responsible_phone = PhoneFormField(label="联系电话", max_length=30,
                                       error_messages={"required": "请填写联系电话。"})
    shared_data = forms.CharField(
        label="向青岛市公共数据服务平台共享的数据", required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="按第七条（八）列明共享的数据项、共享方式和频次；尚未共享的请写明。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_phone"].error_messages["invalid"] = PHONE_ERROR


class DataAgreementForm(PortalForm):
    title = forms.CharField(label="协议名称", max_length=200,
                            error_messages={"required": "请填写协议名称。"})
    counterparty = forms.CharField(label="协议对方", max_length=200,
                                   error_messages={"required": "请填写协议对方。"})
    signed_on = forms.DateField(label="签订日期", widget=date_input(),
                                error_messages={"required": "请填写签订日期。",
                                                "invalid": "请填写有效的日期。"})
    file = forms.FileField(label="协议文件", widget=forms.ClearableFileInput(
        attrs={"accept": ACCEPT_ATTRIBUTE}), help_text=f"可上传{ALLOWED_LABELS}格式文件。",
        error_messages={"required": "请上传协议文件。"})


class DataSelfCheckForm(PortalForm):
    year = forms.IntegerField(label="年度", min_value=2020,
                              error_messages={"required": "请填写年度。",
                                              "invalid": "请填写有效的年度。",
                                              "min_value": "请填写有效的年度。"})
    findings = forms.CharField(label="自查情况", max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 6}),
                               error_messages={"required": "请填写自查情况。"})
    rectification = forms.CharField(label="整改措施", max_length=20000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
