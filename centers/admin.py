"""公示 in the commission's admin (第九条（四））: drawn up from a frozen proposed list (the
action on 拟评定名单), published by an action; what was published never changes here."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import ReadOnlyAdmin, ReadOnlyMixin, action_form_page, action_once
from core.forms import PortalForm
from experts.admin_rounds import ProposedListAdmin
from experts.models import ProposedList

from . import notices, objections
from .enums import DEFAULT_NOTICE_WORKING_DAYS
from .models import NoticeEntry, Objection, ObjectionFile, PublicNotice
from .record_forms import date_input


class NoticeForm(PortalForm):
    starts_on = forms.DateField(label="公示开始日期", initial=datetime.date.today,
                                widget=date_input())
    working_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30,
                                      initial=DEFAULT_NOTICE_WORKING_DAYS)
    contact = forms.CharField(label="联系人及电话", max_length=200)


@admin.action(description="拟定公示（依据所选已确定的拟评定名单）")
def draw_up_notices(modeladmin, request, queryset):
    """For ProposedListAdmin: the 公示 of each ticked frozen list, through
    `notices.notice_create`; refusals are reported list by list."""
    if not request.user.has_perm("centers.publish_notice"):
        modeladmin.message_user(request, "只有市发展改革委工作人员可以拟定公示。", messages.ERROR)
        return None
    form = NoticeForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.select_related("call").order_by("pk")
    if form.is_bound and form.is_valid():
        for proposed in chosen:
            try:
                notice = notices.notice_create(proposed_list=proposed, actor=request.user,
                                               **form.cleaned_data)
            except (notices.NoticeError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{proposed}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(
                    request, f"已拟定“{notice}”，公示期至{notice.ends_on:%Y年%-m月%-d日}；"
                             "请在“公示”中核对后发布。", messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="draw_up_notices", title="拟定公示", rows=chosen,
        form=form, submit="拟定公示",
        intro="依据已确定的拟评定名单拟定公示（管理办法第九条（四））。公示期按工作日计算（含法定节假日"
              "和调休安排），截止日期由系统计算；拟定后为草稿，核对无误后再发布。")


class NoticeEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = NoticeEntry
    fields = ("position", "center_name", "unit_name", "joint_unit_name", "field_name",
              "department_name")
    readonly_fields = fields
    extra = 0


@admin.action(description="发布所选公示")
def publish_notices(modeladmin, request, queryset):
    for notice in queryset.order_by("pk"):
        try:
            notices.notice_publish(notice=notice, actor=request.user)
        except (notices.NoticeError, PermissionDenied) as error:
            modeladmin.message_user(request, f"“{notice}”：{error}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"“{notice}”已发布。", messages.SUCCESS)


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "call", "status", "starts_on", "ends_on", "working_days",
                    "published_at")
    list_filter = ("status", "call")
    search_fields = ("title",)
    list_select_related = ("call",)
    ordering = ("-starts_on", "-id")
    fields = readonly_fields = ("title", "call", "proposed_list", "basis", "steps_completed",
                                "starts_on", "working_days", "ends_on", "objection_channel",
                                "contact", "issuer", "issued_on", "status", "published_at",
                                "closed_at", "created_by")
    inlines = [NoticeEntryInline]
    actions = [publish_notices]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.publish_notice")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.publish_notice")


# The notice is the stage after the proposed list: its action joins the list's admin here, so
# the experts app knows nothing of notices.
admin.site.unregister(ProposedList)


@admin.register(ProposedList)
class ProposedListWithNoticeAdmin(ProposedListAdmin):
    actions = [*ProposedListAdmin.actions, draw_up_notices]


# --- 异议 (第九条（四））: read here, handled on the handling page or by these actions ------------

class DecisionReasonForm(PortalForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4}))


def _decide_action(upheld: bool, name: str, description: str):
    @admin.action(description=description)
    def decide(modeladmin, request, queryset):
        """For ObjectionAdmin: the same decision as the handling page, through
        `objections.objection_decide`, with one reason for the ticked objections."""
        form = DecisionReasonForm(request.POST if "apply" in request.POST else None)
        chosen = queryset.order_by("pk")
        if form.is_bound and form.is_valid():
            for objection in chosen:
                try:
                    objections.objection_decide(objection=objection, actor=request.user,
                                                upheld=upheld,
                                                reason=form.cleaned_data["reason"])
                except (objections.ObjectionError, PermissionDenied) as error:
                    modeladmin.message_user(request, f"“{objection}”：{error}", messages.ERROR)
                else:
                    modeladmin.message_user(request, f"“{objection}”已办结。", messages.SUCCESS)
            return None
        return action_form_page(
            modeladmin, request, action=name, title=description, rows=chosen, form=form,
            submit=description,
            intro="处理结论作出后不能更改。异议成立的，所涉申报移出拟评定名单，理由告知申报单位；"
                  "办理结果告知留有电子邮箱的异议人。")

    decide.__name__ = name
    return decide


class InvestigationForm(PortalForm):
    investigation = forms.CharField(label="调查核实情况", widget=forms.Textarea(attrs={"rows": 4}))


@admin.action(description="记录调查核实情况")
def record_investigation(modeladmin, request, queryset):
    """For ObjectionAdmin: the handling page's investigation record, through
    `objections.objection_investigate`, one text for the ticked objections."""
    form = InvestigationForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.order_by("pk")
    if form.is_bound and form.is_valid():
        for objection in chosen:
            try:
                objections.objection_investigate(
                    objection=objection, actor=request.user,
                    investigation=form.cleaned_data["investigation"])
            except (objections.ObjectionError, PermissionDenied) as error:
                modeladmin.message_user(request, f"“{objection}”：{error}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"“{objection}”调查核实情况已记录。",
                                        messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="record_investigation", title="记录调查核实情况",
        rows=chosen, form=form, submit="记录",
        intro="记录对所选异议的调查核实情况；首次记录后异议转为“调查核实中”。")


class ExplanationAskForm(PortalForm):
    question = forms.CharField(label="需申报单位说明的问题",
                               widget=forms.Textarea(attrs={"rows": 4}))


@admin.action(description="请申报单位说明情况")
def ask_explanation(modeladmin, request, queryset):
    """For ObjectionAdmin: the handling page's 情况说明 request, through
    `objections.explanation_ask`, asked of the applicant of every listed entry each ticked
    objection targets; the objector is never named to the applicant."""
    form = ExplanationAskForm(request.POST if "apply" in request.POST else None)
    chosen = queryset.order_by("pk")
    if form.is_bound and form.is_valid():
        # Each click would ask (and notify) the units again: once per page.
        with action_once(request, action="ask_explanation"):
            for objection in chosen:
                for entry in objection.entries.order_by("position"):
                    try:
                        objections.explanation_ask(objection=objection, entry=entry,
                                                   actor=request.user,
                                                   question=form.cleaned_data["question"])
                    except (objections.ObjectionError, PermissionDenied) as error:
                        modeladmin.message_user(request, f"“{objection}”：{error}",
                                                messages.ERROR)
                    else:
                        modeladmin.message_user(
                            request,
                            f"“{objection}”：已请“{entry.center_name}”申报单位说明情况。",
                            messages.SUCCESS)
        return None
    return action_form_page(
        modeladmin, request, action="ask_explanation", title="请申报单位说明情况",
        rows=chosen, form=form, submit="发送",
        intro="问题发送给所选异议涉及的每个申报单位，并通知其在本平台说明；不向申报单位透露异议人"
              "及异议内容，请勿在问题中写入异议人信息。")


class ObjectionFileInline(ReadOnlyMixin, admin.TabularInline):
    model = ObjectionFile
    fields = readonly_fields = ("original_name", "size", "uploaded_at")
    extra = 0


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("number", "notice", "status", "real_name", "phone", "submitted_at",
                    "decided_at")
    list_filter = ("status", "notice")
    search_fields = ("number", "real_name", "organisation", "phone")
    list_select_related = ("notice",)
    ordering = ("-submitted_at", "-id")
    fields = readonly_fields = ("number", "notice", "status", "real_name", "organisation",
                                "phone", "email", "facts", "submitted_at", "investigation",
                                "decision_reason", "decided_at", "decided_by")
    inlines = [ObjectionFileInline]
    actions = [record_investigation, ask_explanation,
               _decide_action(True, "uphold_objections", "认定异议成立"),
               _decide_action(False, "dismiss_objections", "认定异议不成立")]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("centers.handle_objection")

    def has_module_permission(self, request):
        return request.user.has_perm("centers.handle_objection")


from . import admin_designation  # noqa: E402,F401  (认定 and 授牌: the finalise action, centers)
from . import admin_records  # noqa: E402,F401  (服务记录 and closing an evaluation year)
from . import admin_changes  # noqa: E402,F401  (变更报告, 第十三条: accept and refuse actions)
from . import admin_supervision  # noqa: E402,F401  (第十一条 supervision, 第十四条 data duties)
from . import admin_map  # noqa: E402,F401  (一张图, 第十五条: a center's address and coordinates)
from . import admin_publicity  # noqa: E402,F401  (新闻公告 and 典型案例, 第十五条、第十九条)
