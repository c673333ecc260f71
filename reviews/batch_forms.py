"""The forms of the recommendation batch (第八条)."""

from django import forms

from core.forms import PortalForm


class BatchSubmitForm(PortalForm):
    """报送推荐名单: the official confirms the applications sent without a decision, by ticking
    the confirmation; their ids travel with the form so a decision taken meanwhile by a
    colleague (or a new resubmission) is caught by the service, not sent unseen."""

    undecided = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm_undecided = forms.BooleanField(
        label="我已知悉上列申报尚未作出初审结论，仍报送推荐名单（上列申报将由市发展改革委按未按期审查处理）",
        required=False)

    def __init__(self, *args, undecided_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.undecided_count = undecided_count

    def clean(self):
        cleaned = super().clean()
        if self.undecided_count and not cleaned.get("confirm_undecided"):
            self.add_error("confirm_undecided", "尚有申报未作出初审结论，请勾选确认后再报送。")
        return cleaned

    def acknowledged_ids(self) -> set[int]:
        raw = self.cleaned_data.get("undecided") or ""
        return {int(part) for part in raw.split(",") if part.strip().isdigit()}


class BatchReopenForm(PortalForm):
    """The commission sends a batch back to its department, with the reason it reads."""

    reason = forms.CharField(label="退回理由（主管部门可见）", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
