"""Forms of the commission's evaluation pages (第十七条): confirming a grade with its note,
recording false materials, issuing a 通报, filtering a cycle's evaluations. The rules live in
evaluations.grades and evaluations.bulletins."""

from django import forms

from core.forms import PortalForm

from .enums import Grade


class GradeConfirmForm(PortalForm):
    grade = forms.ChoiceField(label="确认等级", choices=Grade.choices, widget=forms.RadioSelect,
                              error_messages={"required": "请选择确认等级。"})
    note = forms.CharField(label="确认说明", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="确认等级与计算等级不一致的，须说明理由。")


class FalseMaterialsForm(PortalForm):
    note = forms.CharField(label="查实情况", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写查实情况。"})


class BulletinForm(PortalForm):
    reasons = forms.CharField(label="通报事由", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": "请填写通报事由。"})


class EvaluationFilterForm(PortalForm):
    grade = forms.ChoiceField(label="确认等级", required=False,
                              choices=[("", "全部"), *Grade.choices, ("none", "未确认")])
    department = forms.TypedChoiceField(label="主管部门", required=False, coerce=int,
                                        empty_value=None)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "全部"), *departments]
