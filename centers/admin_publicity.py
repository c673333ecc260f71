"""宣传推介 in the commission's admin (第十五条、第十九条).

新闻公告: written and corrected here with the editor (the body is sanitised by the same service
as every save, `publicity.article_save`), published and withdrawn by actions calling
`publicity.article_publish` / `article_withdraw`; never deleted (an address once public stays
answerable). 典型案例: read-only (the unit's text is the unit's), filtered by state and center;
approve, return with a reason and withdraw are actions calling the portal's services. A draft
is the unit's own and is not listed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, action_form_page
from core.forms import PortalForm

from . import publicity
from .enums import CaseStudyStatus
from .models import Article, CaseStudy
from .publicity_forms import ArticleAdminForm


def _run(modeladmin, request, queryset, service, done: str, **kwargs):
    for obj in queryset.order_by("pk"):
        try:
            service(actor=request.user, **{_key(obj): obj}, **kwargs)
        except (publicity.PublicityError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{obj}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{obj}”{done}。", messages.SUCCESS)


def _key(obj) -> str:
    return "article" if isinstance(obj, Article) else "case"


@admin.action(description="发布所选新闻公告")
def publish_articles(modeladmin, request, queryset):
    """For ArticleAdmin: 草稿 or 已撤回 → 已发布 (`publicity.article_publish`)."""
    _run(modeladmin, request, queryset, publicity.article_publish, "已发布")


@admin.action(description="撤回所选新闻公告")
def withdraw_articles(modeladmin, request, queryset):
    """For ArticleAdmin: 已发布 → 已撤回 (`publicity.article_withdraw`)."""
    _run(modeladmin, request, queryset, publicity.article_withdraw, "已撤回")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ("title", "kind", "status", "published_at", "created_by", "updated_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "summary")
    list_select_related = ("created_by",)
    ordering = ("-updated_at", "-id")
    readonly_fields = ("status", "published_at", "created_by", "created_at", "updated_at",
                       "public_link")
    actions = [publish_articles, withdraw_articles]

    def get_fields(self, request, obj=None):
        fields = ["kind", "title", "summary", "body"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    @admin.display(description="公开页面")
    def public_link(self, obj):
        if obj is None or obj.status != "published":
            return "未发布"
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("centers:news_detail", args=[obj.pk]),
                           "查看公开页面")

    def save_model(self, request, obj, form, change):
        """Through the service: the body is sanitised and the save audited."""
        data = form.cleaned_data
        saved = publicity.article_save(actor=request.user, article=obj if change else None,
                                       kind=data["kind"], title=data["title"],
                                       summary=data.get("summary", ""), body=data["body"])
        obj.pk, obj.body = saved.pk, saved.body

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class ServiceChecked(form):
            def clean(self):
                cleaned = super().clean()
                # The service's own checks (body empty once sanitised, lengths) as form errors.
                if not self.errors:
                    try:
                        publicity._text_fields(title=cleaned.get("title", ""),
                                               summary=cleaned.get("summary", ""),
                                               body=cleaned.get("body", ""), body_required=True)
                    except publicity.PublicityError as error:
                        raise forms.ValidationError(str(error)) from None
                return cleaned

        return ServiceChecked

    def has_module_permission(self, request):
        return request.user.has_perm("centers.publish_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.publish_article")

    def has_add_permission(self, request):
        return request.user.has_perm("centers.publish_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("centers.publish_article")

    def has_delete_permission(self, request, obj=None):
        return False


class CaseReturnReasonForm(PortalForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 4}))


@admin.action(description="审核通过并发布所选案例")
def approve_cases(modeladmin, request, queryset):
    """For CaseStudyAdmin: 待审核 → 已发布 (`publicity.case_approve`)."""
    _run(modeladmin, request, queryset, publicity.case_approve, "已审核通过并发布")


@admin.action(description="退回修改所选案例")
def return_cases(modeladmin, request, queryset):
    """For CaseStudyAdmin: 待审核 → 退回修改, one reason for the ticked cases
    (`publicity.case_return`)."""
    form = CaseReturnReasonForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.select_related("center").order_by("pk")
    if form.is_bound and form.is_valid():
        _run(modeladmin, request, chosen, publicity.case_return, "已退回修改",
             reason=form.cleaned_data["reason"])
        return None
    return action_form_page(
        modeladmin, request, action="return_cases", title="退回修改所选案例", rows=chosen,
        form=form, submit="退回修改", describe=lambda c: f"{c.center.name}：{c.title}",
        intro="只能退回待审核的案例。退回理由会告知赋能中心，修改后可重新提交（管理办法第十九条）。")


@admin.action(description="撤回所选已发布案例")
def withdraw_cases(modeladmin, request, queryset):
    """For CaseStudyAdmin: 已发布 → 已撤回 (`publicity.case_withdraw`)."""
    _run(modeladmin, request, queryset, publicity.case_withdraw, "已撤回")


@admin.register(CaseStudy)
class CaseStudyAdmin(ReadOnlyAdmin):
    list_display = ("title", "center", "status", "submitted_at", "published_at", "decided_by")
    list_filter = ("status", "center")
    search_fields = ("title", "summary", "center__name")
    list_select_related = ("center", "decided_by")
    ordering = ("-submitted_at", "-id")
    fields = readonly_fields = ("center", "title", "summary", "body_shown", "status",
                                "return_reason", "submitted_at", "published_at", "decided_by",
                                "created_by", "created_at", "updated_at")
    actions = [approve_cases, return_cases, withdraw_cases]

    @admin.display(description="案例正文")
    def body_shown(self, obj):
        # Stored sanitised (publicity.sanitise); shown as the public page shows it.
        from django.utils.safestring import mark_safe

        return mark_safe(obj.body)  # noqa: S308

    def get_queryset(self, request):
        # A draft is the unit's own until it is submitted.
        return super().get_queryset(request).exclude(status=CaseStudyStatus.DRAFT)

    def has_module_permission(self, request):
        return request.user.has_perm("centers.review_case")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.review_case")
