from django import forms

from accounts.validators import normalize_uscc
from core.forms import PortalForm, PortalModelForm
from core.text import char_count

from .enums import AttachmentKind
from .filetypes import ACCEPT_ATTRIBUTE
from .models import AVOIDANCE_REQUEST_LIMIT, SUMMARY_MAX_CHARS, Application, ApplicationUnit
from .plan import PLAN_FIELDS, PLAN_HEADINGS, PLAN_SECTIONS

PHONE_HELP = "手机号，或固定电话（区号-号码，可带分机号，如0532-88886666转123），或400/800电话"


class UnitForm(PortalModelForm):
    # Longer than 18: spaces and full-width characters are allowed in and normalised away.
    uscc = forms.CharField(label="统一社会信用代码", max_length=40, required=False)

    class Meta:
        model = ApplicationUnit
        fields = [
            "name", "uscc", "kind", "registered_in_qingdao", "located_in_qingdao",
            "registered_on", "registered_capital", "revenue_last_year",
            "rd_investment_last_year", "enterprise_qualification", "industry_qualification",
            "legal_representative", "phone",
        ]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "phone": PHONE_HELP,
            "rd_investment_last_year": "占营业收入比例由系统按“研发投入（万元）÷（主营业务收入（亿元）×10000）”计算。",
        }

    def clean_uscc(self):
        return normalize_uscc(self.cleaned_data.get("uscc", ""))


class LeadUnitForm(UnitForm):
    """The lead unit is the applicant organisation: its identity comes from its registration."""

    identity_fields = ("name", "uscc", "kind", "registered_in_qingdao", "located_in_qingdao")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.identity_fields:
            self.fields[name].disabled = True
            self.fields[name].help_text = "来自单位注册信息；如需更正请联系市发展改革委。"


class JointUnitChoiceForm(PortalForm):
    has_joint_unit = forms.TypedChoiceField(
        label="是否有联合承建主体",
        choices=[("0", "无联合承建主体"), ("1", "有联合承建主体（填写下方信息）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择有无联合承建主体。"},
    )


class CenterForm(PortalModelForm):
    phone_fields = ("director_phone", "tech_lead_phone", "service_lead_phone")

    class Meta:
        model = Application
        fields = [
            "center_name", "industry_field",
            "director_name", "director_title", "director_phone", "director_email",
            "tech_lead_name", "tech_lead_title", "tech_lead_phone", "tech_lead_email",
            "service_lead_name", "service_lead_title", "service_lead_phone",
            "service_lead_email",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 第六条: the applicant picks one of the fields this call offers.
        self.fields["industry_field"].queryset = self.instance.call.industry_fields.all()
        self.fields["industry_field"].empty_label = "请选择本次通知的重点产业领域"
        for name in self.phone_fields:
            self.fields[name].help_text = PHONE_HELP


class LimitedTextarea(forms.Textarea):
    def __init__(self, max_chars, attrs=None):
        super().__init__(attrs={"rows": 8, "data-maxchars": max_chars, **(attrs or {})})


class ServiceForm(PortalModelForm):
    class Meta:
        model = Application
        fields = ["service_summary", "construction_content"]
        widgets = {
            "service_summary": LimitedTextarea(SUMMARY_MAX_CHARS),
            "construction_content": LimitedTextarea(SUMMARY_MAX_CHARS),
        }
        help_texts = {
            "service_summary": (
                "简要介绍赋能中心承建主体、联合申报主体在相关产业或行业领域已推进实施的产业数字化"
                "诊断服务案例、场景应用案例和企业个性化解决方案案例等，面向行业提供的主题培训、"
                "技术支持、管理咨询等服务案例。（500字以内）"
            ),
            "construction_content": (
                "简要介绍赋能中心建设内容，包括但不限于服务行业及重点领域、服务对象、产品服务、"
                "服务方式、合作方式等内容。（500字以内）"
            ),
        }

    def _clean_limited(self, name):
        text = self.cleaned_data.get(name, "")
        count = char_count(text)
        if count > SUMMARY_MAX_CHARS:
            raise forms.ValidationError(
                f"不能超过{SUMMARY_MAX_CHARS}字（汉字、标点、字母均按1字计），当前{count}字。"
            )
        return text

    def clean_service_summary(self):
        return self._clean_limited("service_summary")

    def clean_construction_content(self):
        return self._clean_limited("construction_content")


class GoalsForm(PortalModelForm):
    class Meta:
        model = Application
        fields = [
            "goal_key_technologies", "goal_key_technologies_note",
            "goal_scenarios", "goal_scenarios_note",
            "goal_solutions", "goal_solutions_note",
            "goal_patents", "goal_patents_note",
            "goal_other",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in (
            "goal_key_technologies_note", "goal_scenarios_note", "goal_solutions_note",
            "goal_patents_note", "goal_other")}
        error_messages = {
            name: {"invalid": "请填写不小于0的整数。", "min_value": "请填写不小于0的整数。"}
            for name in ("goal_key_technologies", "goal_scenarios", "goal_solutions",
                         "goal_patents")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("goal_key_technologies", "goal_scenarios", "goal_solutions",
                     "goal_patents"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs.update({"min": 0, "step": 1})


class PlanForm(PortalModelForm):
    """建设方案: one text area under each heading of the outline (applications/plan.py)."""

    class Meta:
        model = Application
        fields = list(PLAN_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in PLAN_FIELDS}
        help_texts = {"plan_other": "如无，可填写“无”。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in PLAN_HEADINGS:
            if item.heading:
                self.fields[item.field].label = item.heading

    def sections(self):
        """[(section heading, [bound fields])] in the order of the outline, for the page."""
        return [(section.heading, [self[item.field] for item in section.items])
                for section in PLAN_SECTIONS]


class AttachmentForm(PortalForm):
    kind = forms.ChoiceField(label="材料类型", choices=[("", "请选择")] + AttachmentKind.choices)
    file = forms.FileField(label="文件", error_messages={"required": "请选择要上传的文件。",
                                                          "empty": "上传的文件是空的。"},
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))


class CommitmentForm(PortalForm):
    lead_commitment = forms.BooleanField(label="承建单位同意以上承诺", required=False)
    joint_commitment = forms.BooleanField(label="联合申报单位同意以上承诺", required=False)


class AvoidanceRequestForm(PortalForm):
    """One expert the applicant asks to be kept from its application (回避申请). A row left
    empty is no request; a row begun needs all three fields."""

    expert_name = forms.CharField(label="申请回避的专家姓名", max_length=50, required=False)
    expert_employer = forms.CharField(label="该专家工作单位", max_length=200, required=False)
    reason = forms.CharField(label="回避理由", max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    REQUIRED_MESSAGES = {"expert_name": "请填写专家姓名。",
                         "expert_employer": "请填写该专家的工作单位。",
                         "reason": "请填写回避理由。"}

    def clean(self):
        data = super().clean()
        values = {name: (data.get(name) or "").strip() for name in self.REQUIRED_MESSAGES}
        if any(values.values()):
            for name, message in self.REQUIRED_MESSAGES.items():
                if not values[name] and name not in self.errors:
                    self.add_error(name, message)
        return {**data, **values}

    def is_filled(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.REQUIRED_MESSAGES)


class BaseAvoidanceFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "表单数据不完整，请刷新页面后重新填写。",
        "too_many_forms": f"回避申请最多可以填写{AVOIDANCE_REQUEST_LIMIT}名专家。",
        "too_few_forms": "表单数据不完整，请刷新页面后重新填写。",
    }

    def clean(self):
        if any(self.errors):
            return
        rows = self.rows()
        if len(rows) > AVOIDANCE_REQUEST_LIMIT:
            raise forms.ValidationError(
                f"回避申请最多可以填写{AVOIDANCE_REQUEST_LIMIT}名专家，请删去多出的一行。")
        # The same person typed twice (a space, full-width letters) would take a second place.
        named = [(normalize_uscc(r["expert_name"]), normalize_uscc(r["expert_employer"]))
                 for r in rows]
        if len(set(named)) < len(named):
            raise forms.ValidationError("同一位专家只需申请一次回避，请删去重复的一行。")

    def rows(self) -> list[dict]:
        """The filled rows: [{"expert_name", "expert_employer", "reason"}], in page order."""
        return [{name: form.cleaned_data[name] for name in AvoidanceRequestForm.REQUIRED_MESSAGES}
                for form in self.forms
                if getattr(form, "cleaned_data", None) and form.is_filled()]


AvoidanceFormSet = forms.formset_factory(
    AvoidanceRequestForm, formset=BaseAvoidanceFormSet, extra=AVOIDANCE_REQUEST_LIMIT,
    max_num=AVOIDANCE_REQUEST_LIMIT, absolute_max=10)
