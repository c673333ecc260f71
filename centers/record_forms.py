"""Forms of the service records (第十二条): one form per kind (its own fields only), the
enterprises served as a formset, the list's filter and the Excel import. The rules live in
centers.records."""

from django import forms

from accounts.validators import normalize_uscc
from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from applications.models import IndustryField
from core.forms import PortalForm

from .enums import ProjectStatus, ServiceKind
from .objection_forms import EvidenceField, EvidenceInput
from .records import ALL_KIND_FIELDS, KIND_FIELDS, MAX_FILES, TITLE_LABELS


def date_input():
    """A browser date picker showing its value: it takes only ISO dates (2026-03-15), and the
    zh-hans format Django renders by default (2026/03/15) would leave an edited date empty."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(PortalForm):
    """A record of `kind`: the common fields and the kind's own (KIND_FIELDS); the others
    are removed. Field formats are checked here, the rules in `records.record_problems`."""

    occurred_on = forms.DateField(label="日期", widget=date_input(),
                                  error_messages={"required": "请填写日期。",
                                                  "invalid": "请填写有效日期，如2026-03-15。"})
    title = forms.CharField(label="名称", max_length=200)
    industry_field = forms.ModelChoiceField(label="行业领域", required=False, queryset=None,
                                            empty_label="（请选择）")
    description = forms.CharField(label="内容说明", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    hours = forms.DecimalField(label="学时（小时）", required=False, min_value=0,
                               max_digits=6, decimal_places=1)
    participants = forms.IntegerField(label="参训人数", required=False, min_value=1,
                                      max_value=100000)
    provided_to = forms.CharField(label="报送对象", required=False, max_length=200,
                                  help_text="如：市发展改革委、市工业和信息化局")
    amount = forms.DecimalField(label="合同金额（万元）", required=False, min_value=0,
                                max_digits=12, decimal_places=2)
    project_status = forms.ChoiceField(label="项目状态", required=False,
                                       choices=[("", "（请选择）"), *ProjectStatus.choices])
    accepted_on = forms.DateField(label="验收日期", required=False,
                                  widget=date_input(),
                                  help_text="项目状态为“已验收”时必填。",
                                  error_messages={"invalid": "请填写有效日期，如2026-03-15。"})
    patent_number = forms.CharField(label="专利号", required=False, max_length=30,
                                    help_text="“ZL”加申请号和校验位，如 ZL200310102344.5")
    files = EvidenceField(label="证明材料", required=False,
                          widget=EvidenceInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                          help_text=f"可上传{ALLOWED_LABELS}格式文件，每条记录最多{MAX_FILES}个。")
    remove_files = forms.TypedMultipleChoiceField(label="删除已上传的材料", required=False,
                                                  coerce=int,
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, kind: str, existing_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["title"].label = TITLE_LABELS[kind]
        self.fields["title"].error_messages["required"] = f"请填写{TITLE_LABELS[kind]}。"
        if kind == ServiceKind.PROJECT:
            self.fields["description"].label = "项目内容"
        self.fields["industry_field"].queryset = IndustryField.objects.filter(is_active=True)
        for name in ALL_KIND_FIELDS:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        if existing_files:
            self.fields["remove_files"].choices = [(f.pk, f.original_name)
                                                   for f in existing_files]
        else:
            del self.fields["remove_files"]

    def record_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("files", "remove_files")}


class EnterpriseForm(PortalForm):
    name = forms.CharField(label="企业（机构）名称", required=False, max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=30)

    def clean_uscc(self):
        return normalize_uscc(self.cleaned_data["uscc"])


EnterpriseFormSet = forms.formset_factory(EnterpriseForm, extra=3, max_num=200,
                                          absolute_max=200)


def enterprise_rows(formset) -> list[dict]:
    """The typed rows of a valid formset (empty rows left out by the service)."""
    return [{"name": f.cleaned_data.get("name", ""), "uscc": f.cleaned_data.get("uscc", "")}
            for f in formset.forms if f.cleaned_data]


class RecordFilterForm(PortalForm):
    kind = forms.ChoiceField(label="类别", required=False,
                             choices=[("", "全部"), *ServiceKind.choices])
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部"), *((y, f"{y}年") for y in years)]


class RecordImportForm(PortalForm):
    workbook = forms.FileField(label="填好的导入模板（.xlsx）",
                               widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                               error_messages={"required": "请选择要导入的Excel文件。"})
