from django import forms

from core.forms import PortalForm

from .intake_selectors import STAGES


class IntakeFilterForm(PortalForm):
    """The intake list's filters; the choices come from lists the view read once (`calls`,
    `departments`, `fields`). `cleaned_data["department"]` is a department id, "direct" or
    None."""

    call = forms.TypedChoiceField(label="申报通知", coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(label="环节", required=False, choices=STAGES)
    department = forms.ChoiceField(label="主管部门", required=False)
    field = forms.TypedChoiceField(label="产业方向/领域", coerce=int, required=False,
                                   empty_value=None)
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "中心名称、单位名称或申报编号"}))

    def __init__(self, *args, calls, departments, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", "全部通知")] + [(c.pk, c.title) for c in calls]
        self.fields["department"].choices = (
            [("", "全部主管部门"), ("direct", "直接报送市发展改革委")]
            + [(str(d.pk), d.name) for d in departments])
        self.fields["field"].choices = [("", "全部领域")] + [(f.pk, f.name) for f in fields]


class OverdueExtendForm(PortalForm):
    """允许主管部门补审: the new last day and why."""

    until = forms.DateField(label="补审期限", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="说明", required=False, max_length=500)


class OverdueTakeOverForm(PortalForm):
    """直接转入形式审查: why (optional; a default sentence is recorded)."""

    reason = forms.CharField(label="说明", required=False, max_length=500)
