"""Forms of 宣传推介 (第十五条、第十九条): the news item in Django admin, the unit's 典型案例 and
the commission's return with a reason. The body fields use `EditorTextarea`: a plain text area
that static/js/editor.js turns into a small editor writing HTML back into it; the services
sanitise whatever arrives (`centers.publicity.sanitise`)."""

from django import forms

from core.forms import PortalForm, PortalModelForm

from .models import Article
from .publicity import BODY_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS

EDITOR_HELP = ("可使用编辑框上方的按钮设置加粗、斜体、小标题、列表、引用和链接；未加载编辑器时可直接输入文字，"
               "空一行即另起一段。保存时会清除不安全的内容。")


class EditorTextarea(forms.Textarea):
    """A text area the editor script (static/js/editor.js) enhances; without the script it is
    an ordinary text area of plain text or HTML."""

    class Media:
        js = ("js/editor.js",)
        # The toolbar's icons: the portal's pages load them already, Django admin does not.
        css = {"all": ("vendor/bootstrap-icons/bootstrap-icons.min.css", "css/editor.css")}

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 14, "class": "form-control", "data-editor": "",
                                **(attrs or {})})


class ArticleAdminForm(PortalModelForm):
    """新闻公告 in Django admin: 栏目, 标题, 摘要, 正文 (saved through `publicity.article_save`)."""

    class Meta:
        model = Article
        fields = ("kind", "title", "summary", "body")
        widgets = {"body": EditorTextarea(attrs={"class": "vLargeTextField"})}
        help_texts = {"body": EDITOR_HELP}


class CaseForm(PortalForm):
    """The unit's 典型案例: 案例名称, 案例摘要, 案例正文 (autosaved; `version` guards the save)."""

    title = forms.CharField(label="案例名称", max_length=TITLE_MAX_CHARS,
                            error_messages={"required": "请填写案例名称。"},
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    summary = forms.CharField(label="案例摘要", max_length=SUMMARY_MAX_CHARS, required=False,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
                              help_text=f"不超过{SUMMARY_MAX_CHARS}字，显示在案例列表中。")
    body = forms.CharField(label="案例正文", required=False, max_length=BODY_MAX_CHARS,
                           widget=EditorTextarea(), help_text=(
                               "写明服务的企业和行业、面临的问题、赋能中心提供的服务和解决方案、取得的成效。"
                               + EDITOR_HELP))


class CaseReturnForm(PortalForm):
    """退回修改: the reason the unit reads."""

    reason = forms.CharField(label="退回理由", max_length=2000,
                             error_messages={"required": "请填写退回理由。"},
                             widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))
