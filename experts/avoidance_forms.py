"""The commission's ruling forms (experts.avoidance)."""

from django import forms

from core.forms import PortalForm

from .enums import AvoidanceStatus, ConflictRulingKind


class AvoidanceRulingForm(PortalForm):
    """同意回避 (with the roster expert meant) or 不同意回避 (with a reason). `choices` are the
    experts the page offers ([(expert, suggested)]); any roster expert is accepted."""

    status = forms.ChoiceField(
        label="审核结果", widget=forms.RadioSelect,
        choices=[(AvoidanceStatus.ACCEPTED, "同意回避"), (AvoidanceStatus.REJECTED, "不同意回避")],
        error_messages={"required": "请选择审核结果。"})
    expert = forms.TypedChoiceField(label="对应专家库专家", required=False, coerce=int,
                                    empty_value=None)
    reason = forms.CharField(label="理由", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="不同意回避须填写理由；理由将告知申报单位。")

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", "请选择")] + [
            (expert.pk, f"{'【建议】' if suggested else ''}{expert.name}（{expert.employer_name}）")
            for expert, suggested in choices]

    def clean(self):
        data = super().clean()
        if data.get("status") == AvoidanceStatus.ACCEPTED and not data.get("expert"):
            self.add_error("expert", "同意回避须选择专家库中对应的专家。")
        reason = (data.get("reason") or "").strip()
        if data.get("status") == AvoidanceStatus.REJECTED and not reason:
            self.add_error("reason", "不同意回避须填写理由。")
        return data


class ConflictRulingForm(PortalForm):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    application = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ConflictRulingKind.choices,
                             error_messages={"required": "请选择认定回避或排除。"})
    reason = forms.CharField(label="理由", max_length=2000,
                             error_messages={"required": "请填写理由。"})
