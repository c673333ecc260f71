"""Forms of the center's materials and the 主管部门's 初审 (第十八条). The self-evaluation itself
is a table of indicators read in `material_views.posted_scores`; the rules live in
`evaluations.materials` and `evaluations.district`."""

from django import forms

from applications.filetypes import ACCEPT_ATTRIBUTE, ALLOWED_LABELS
from core.forms import PortalForm

from .district import OPINION_MAX_CHARS


class EvidenceForm(PortalForm):
    file = forms.FileField(label="佐证材料", widget=forms.ClearableFileInput(
        attrs={"accept": ACCEPT_ATTRIBUTE}), help_text=f"{ALLOWED_LABELS}格式。",
        error_messages={"required": "请选择要上传的文件。"})
    indicator = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OpinionForm(PortalForm):
    opinion = forms.CharField(label="初审意见", widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=OPINION_MAX_CHARS,
                              error_messages={"required": "请填写初审意见。",
                                              "max_length": f"初审意见不超过{OPINION_MAX_CHARS}字。"})


class ReturnForm(PortalForm):
    reason = forms.CharField(label="退回修改的理由", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=OPINION_MAX_CHARS,
                             help_text="每个赋能中心的评价材料只能退回修改一次，须在主管部门初审截止前退回。",
                             error_messages={"required": "请填写退回修改的理由。",
                                             "max_length": f"退回理由不超过{OPINION_MAX_CHARS}字。"})


class ForwardForm(PortalForm):
    summary = forms.CharField(label="审查意见（总体）", required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=OPINION_MAX_CHARS,
                              error_messages={"max_length": f"审查意见不超过{OPINION_MAX_CHARS}字。"})
