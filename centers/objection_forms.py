"""Forms of the objections (第九条（四））: the public's objection and lookup, the commission's
handling, the applicant's explanation. The rules live in centers.objections."""

from django import forms

from accounts.validators import PHONE_ERROR, validate_phone
from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from core.forms import PortalForm

from .enums import ObjectionStatus
from .evidence import MAX_FILES
from .objections import FACTS_MIN_CHARS, facts_too_thin


class EvidenceInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class EntryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, entry):
        return f"{entry.position}. {entry.center_name}（{entry.unit_name}）"


class ObjectionForm(PortalForm):
    entries = EntryChoice(label="异议对象（可多选）", queryset=None,
                          widget=forms.CheckboxSelectMultiple,
                          error_messages={"required": "请选择公示名单中的异议对象。",
                                          "invalid_choice": "请选择公示名单中的异议对象。",
                                          "invalid_pk_value": "请选择公示名单中的异议对象。"})
    real_name = forms.CharField(label="真实姓名", max_length=50,
                                error_messages={"required": "异议须实名提出，请填写真实姓名。"})
    organisation = forms.CharField(label="所在单位（以单位名义提出时填写）", max_length=200,
                                   required=False)
    phone = forms.CharField(label="联系电话", max_length=30, validators=[validate_phone],
                            error_messages={"required": "请填写联系电话，匿名异议不予受理。"},
                            help_text="手机号或区号+固定电话；查询办理结果时需要。")
    email = forms.EmailField(label="电子邮箱（选填）", required=False,
                             error_messages={"invalid": "请填写有效的电子邮箱地址。"},
                             help_text="填写后，办理结果将发送到该邮箱。")
    facts = forms.CharField(
        label="异议事实和理由", widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000, min_length=FACTS_MIN_CHARS,
        error_messages={
            "required": "请写明异议的具体事实和理由，无具体事实的异议不予受理。",
            "min_length": f"请具体写明异议的事实和理由（不少于{FACTS_MIN_CHARS}字）。",
            "max_length": "异议事实和理由不超过10000字。"})
    files = EvidenceField(
        label="证明材料（选填）", required=False,
        widget=EvidenceInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=f"可上传{ALLOWED_LABELS}格式文件，最多{MAX_FILES}个。")
    truthful = forms.BooleanField(
        label="本人承诺所反映情况真实，并对其真实性负责；知悉捏造事实、恶意异议将承担相应责任。",
        error_messages={"required": "请勾选真实性承诺。"})

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["phone"].error_messages["invalid"] = PHONE_ERROR

    def clean_facts(self):
        facts = self.cleaned_data["facts"]
        if facts_too_thin(facts):
            raise forms.ValidationError(self.fields["facts"].error_messages["min_length"])
        return facts


class LookupForm(PortalForm):
    number = forms.CharField(label="受理编号", max_length=40,
                             error_messages={"required": "请填写受理编号。"})
    phone = forms.CharField(label="联系电话", max_length=30,
                            error_messages={"required": "请填写提交异议时的联系电话。"})


class ObjectionFilterForm(PortalForm):
    notice = forms.TypedChoiceField(label="公示", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="办理状态", required=False,
                               choices=[("", "全部"), *ObjectionStatus.choices])

    def __init__(self, *args, notices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = [("", "全部"), *notices]


class InvestigationForm(PortalForm):
    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": "请填写调查核实情况。"})


class ExplanationAskForm(PortalForm):
    entry = forms.TypedChoiceField(label="请说明的申报单位", coerce=int,
                                   error_messages={"required": "请选择申报单位。"})
    question = forms.CharField(label="需说明的问题", widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="申报单位可见；请勿写入异议人的姓名、单位或联系方式。",
                               error_messages={"required": "请填写需申报单位说明的问题。"})

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, f"{e.center_name}（{e.unit_name}）")
                                        for e in entries]


class DecisionForm(PortalForm):
    outcome = forms.ChoiceField(label="处理结论", widget=forms.RadioSelect,
                                choices=[("upheld", "异议成立（移出拟评定名单）"),
                                         ("dismissed", "异议不成立")],
                                error_messages={"required": "请选择处理结论。"})
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="异议成立时，理由将告知被移出名单的申报单位；办理结果告知异议人。",
                             error_messages={"required": "请填写处理结论的理由。"})


class ExplanationAnswerForm(PortalForm):
    answer = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages={"required": "请填写情况说明。"})
