"""Forms of revocation (第十七条): the center's request and 陈述申辩, the commission's proposal,
decision and list filters. The rules live in evaluations.revocations."""

from django import forms

from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from centers.enums import CenterStatus
from centers.models import Center
from centers.objection_forms import EvidenceField, EvidenceInput
from centers.evidence import MAX_FILES
from core.forms import PortalForm

from .enums import RevocationGround, RevocationStatus
from .revocations import COMMISSION_GROUNDS, FACTS_MAX_CHARS


def _text(label, required_message, rows=5):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}),
                           max_length=FACTS_MAX_CHARS,
                           error_messages={"required": required_message,
                                           "max_length": f"不超过{FACTS_MAX_CHARS}字。"})


def _files(label, help_text, required=False):
    return EvidenceField(label=label, required=required,
                         widget=EvidenceInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                         help_text=f"{help_text}{ALLOWED_LABELS}格式，最多{MAX_FILES}个。",
                         error_messages={"required": "请上传文件。"})


class StatementForm(PortalForm):
    statement = _text("陈述申辩意见", "请填写陈述申辩意见。", rows=8)
    files = _files("陈述申辩材料（选填）", "")


class RequestForm(PortalForm):
    legal_representative = forms.CharField(label="法定代表人", max_length=50,
                                           error_messages={"required": "请填写法定代表人姓名。"})
    reason = _text("申请撤销的理由", "请填写申请撤销的理由。")
    letter = forms.FileField(label="法定代表人签字的撤销申请",
                             error_messages={"required": "请上传法定代表人签字的撤销申请。"},
                             widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                             help_text=f"请上传法定代表人签字（加盖公章）的撤销申请，{ALLOWED_LABELS}格式。")


class CenterChoice(forms.ModelChoiceField):
    def label_from_instance(self, center):
        return f"{center.name}（{center.lead_unit_name}）"


class ProposeForm(PortalForm):
    center = CenterChoice(label="赋能中心", queryset=Center.objects.none(),
                          error_messages={"required": "请选择赋能中心。",
                                          "invalid_choice": "请选择有效的赋能中心。"})
    ground = forms.ChoiceField(label="撤销事由", widget=forms.RadioSelect,
                               choices=[(g.value, g.label) for g in COMMISSION_GROUNDS],
                               error_messages={"required": "请选择撤销事由。"})
    facts = _text("事实和理由", "请填写事实和理由。", rows=6)
    files = _files("证据材料", "提供虚假材料的须上传证据材料；严重违法失信的须上传司法、行政机关的认定文书。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = (Center.objects.filter(status=CenterStatus.ACTIVE)
                                          .only("pk", "name", "lead_unit_name")
                                          .order_by("name", "pk"))


class DecideForm(PortalForm):
    outcome = forms.ChoiceField(label="决定", widget=forms.RadioSelect,
                                choices=[("revoke", "撤销资格"), ("drop", "不予撤销")],
                                error_messages={"required": "请选择决定。"})
    reason = _text("决定理由", "请填写决定理由。", rows=4)


class FilterForm(PortalForm):
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *RevocationStatus.choices])
    ground = forms.ChoiceField(label="撤销事由", required=False,
                               choices=[("", "全部"), *RevocationGround.choices])
