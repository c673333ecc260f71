from django import forms

from core.forms import PortalForm, PortalModelForm

from .enums import CheckResult
from .models import DistrictReview
from .selectors import HELD_UNTIL_NOTICE_STATUSES, INBOX_STATUSES
from .services import DRAFT_FIELDS


class ReviewForm(PortalModelForm):
    """The checklist of 第九条（二） and the opinions: saved as a draft on every press, decided
    only by the decision buttons."""

    class Meta:
        model = DistrictReview
        fields = DRAFT_FIELDS
        widgets = {
            "authenticity": forms.RadioSelect(choices=CheckResult.choices),
            "accuracy": forms.RadioSelect(choices=CheckResult.choices),
            "conformity": forms.RadioSelect(choices=CheckResult.choices),
            "authenticity_note": forms.Textarea(attrs={"rows": 2}),
            "accuracy_note": forms.Textarea(attrs={"rows": 2}),
            "conformity_note": forms.Textarea(attrs={"rows": 2}),
            "opinion": forms.Textarea(attrs={"rows": 4}),
            "applicant_reasons": forms.Textarea(attrs={"rows": 3}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
            "resubmit_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "opinion": "推荐时必填，随推荐材料报送市发展改革委（第九条（二））。",
            "applicant_reasons": "退回修改或不予推荐时必填，申报单位可见。",
            "internal_note": "仅本部门可见，不会向申报单位显示。",
            "resubmit_by": "退回修改时适用：申报单位须在该日（含当日）前重新提交，逾期不再受理；不得晚于初审报送截止日期。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("authenticity", "accuracy", "conformity"):
            self.fields[name].choices = CheckResult.choices
            self.fields[name].required = False


class InboxFilterForm(PortalForm):
    """The inbox's filters. The choices come from lists the view has read once (`calls`,
    `fields`), so the page reads each only once; `cleaned_data` holds ids."""

    call = forms.TypedChoiceField(label="申报通知", coerce=int, required=False, empty_value=None)
    field = forms.TypedChoiceField(label="产业方向/领域", coerce=int, required=False,
                                   empty_value=None)
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部状态")] + [(s.value, s.label)
                                                             for s in INBOX_STATUSES
                                                             + HELD_UNTIL_NOTICE_STATUSES])
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "中心名称、单位名称或申报编号"}))

    def __init__(self, *args, calls, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", "全部通知")] + [(c.pk, c.title) for c in calls]
        self.fields["field"].choices = [("", "全部领域")] + [(f.pk, f.name) for f in fields]

    def show_statuses(self, counts) -> None:
        """Offer only the statuses `counts` lists (`review_status_counts`): 拟评定 / 未列入
        once a call's notice made them readable (第九条（四））. Call after validation."""
        shown = {c["value"] for c in counts}
        self.fields["status"].choices = [(v, label) for v, label in self.fields["status"].choices
                                         if v == "" or v in shown]
