"""Forms of the change reports (第十三条): the center's report, the 主管部门's forwarding or
note, the commission's decision and overview filters. The rules live in centers.changes."""

from django import forms

from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from core.forms import PortalForm

from .enums import ChangeKind, ChangeReportStatus, EntityChange
from .objection_forms import EvidenceField, EvidenceInput
from .evidence import MAX_FILES
from .record_forms import date_input


def _count(label):
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=100000,
                              error_messages={"invalid": "请填写整数。",
                                              "min_value": "不能为负数。"})


class ChangeReportForm(PortalForm):
    kind = forms.ChoiceField(label="变更类别", choices=ChangeKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "请选择变更类别。"})
    entity_change = forms.ChoiceField(label="法人实体调整事项（依托法人实体重大调整时填写）",
                                      required=False,
                                      choices=[("", "请选择"), *EntityChange.choices])
    licence_changed_on = forms.DateField(
        label="营业执照变更（注销）日期", required=False, widget=date_input(),
        help_text="主管部门应自该日起30个工作日内报送市发展改革委（管理办法第十三条）。",
        error_messages={"invalid": "请填写有效日期，如2026-09-22。"})
    new_name = forms.CharField(label="变更后的赋能中心名称（更名时填写）", max_length=100,
                               required=False)
    summary = forms.CharField(label="变更情况", widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=5000,
                              error_messages={"required": "请填写变更情况。",
                                              "max_length": "变更情况不超过5000字。"})
    new_content = forms.CharField(label="调整后的服务内容（服务内容和目标任务重大变化时填写）",
                                  widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  max_length=5000)
    new_key_technologies = _count("调整后关键技术突破（项）")
    new_scenarios = _count("调整后应用场景落地（个）")
    new_solutions = _count("调整后行业解决方案（个）")
    new_patents = _count("调整后相关有效专利（个）")
    new_targets_from = forms.DateField(
        label="调整后目标起始日期", required=False, widget=date_input(),
        help_text="同意后，调整后的目标自该日起执行，原目标留存备查；未填写的目标保持不变。",
        error_messages={"invalid": "请填写有效日期，如2026-10-01。"})
    files = EvidenceField(
        label="证明材料", required=False, widget=EvidenceInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=f"营业执照变更（注销）证明、相关决议等，{ALLOWED_LABELS}格式，最多{MAX_FILES}个；"
                  "依托法人实体重大调整须上传。")


class ForwardForm(PortalForm):
    opinion = forms.CharField(label="主管部门意见", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写主管部门意见。"})


class NoteForm(PortalForm):
    opinion = forms.CharField(label="主管部门意见（选填）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(PortalForm):
    outcome = forms.ChoiceField(label="办理结果", widget=forms.RadioSelect,
                                choices=[("accept", "同意变更"), ("refuse", "不予同意")],
                                error_messages={"required": "请选择办理结果。"})
    reason = forms.CharField(label="市发展改革委意见（理由）",
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "请填写市发展改革委意见（理由）。"})


class ChangeFilterForm(PortalForm):
    kind = forms.ChoiceField(label="变更类别", required=False,
                             choices=[("", "全部"), *ChangeKind.choices])
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *[c for c in ChangeReportStatus.choices
                                                       if c[0] != ChangeReportStatus.DRAFT]])
    department = forms.TypedChoiceField(label="主管部门", required=False, coerce=int,
                                        empty_value=None)
    overdue = forms.ChoiceField(label="是否逾期", required=False,
                                choices=[("", "全部"), ("1", "逾期未报送"), ("0", "未逾期")])

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "全部"), *departments]
