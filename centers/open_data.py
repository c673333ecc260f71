"""第七条（八）: what the centers share as open data with the 青岛市公共数据服务平台 — the
designated centers (有效 and 已撤销, with the published date and ground of a revocation) and the
public notices as published (公示中、公示期满、已确定; never a draft).

Only facts the portal already publishes on its public pages leave through here. Each
serializer names its fields one by one (never `fields = "__all__"`): a field added to a model
stays private until someone adds it here on purpose. Never reachable: a notice's 联系人及电话
and 异议受理方式, objections and everything about objectors, a center's credit code, contacts,
address and coordinates, scores, grades, service records and internal notes.
`tests/portal/test_open_data.py` walks the generated OpenAPI document against an allow-list.

Read-only and paginated like every open-data list (`applications.open_data`: pagination,
unknown query parameters refused with 400).
"""

import django_filters
from django.db.models import Prefetch, Q
from rest_framework import mixins, serializers, viewsets

from applications.open_data import (
    OpenDataPagination,
    StrictQueryMixin,
    YearFilter,
    open_list_schema,
)

from .enums import CenterStatus, NoticeStatus
from .models import Center, NoticeEntry, PublicNotice

# What the public reads: the statuses a notice has once published (第九条（四）).
PUBLIC_NOTICE_STATUSES = (NoticeStatus.PUBLISHED, NoticeStatus.CLOSED, NoticeStatus.FINALISED)
# 主管部门 of a center without one: a 市直 unit's (第八条), as the public pages say it.
CITY_LEVEL = "市直"


def status_name_field(**kwargs):
    return serializers.CharField(read_only=True, label="状态名称", **kwargs)


# --- designated centers -----------------------------------------------------------------------

# A serializer's docstring is the OpenAPI description of its object: hence in Chinese.
class OpenCenterSerializer(serializers.ModelSerializer):
    """认定的赋能中心（第九条（四）），含已撤销的及其撤销日期和事由（第十七条对外公布）。"""

    id = serializers.IntegerField(read_only=True, label="赋能中心编号",
                                  help_text="本平台内赋能中心的唯一编号，长期不变。")
    name = serializers.CharField(read_only=True, label="赋能中心名称",
                                 help_text="赋能中心名称，与名录和认定公告一致。")
    lead_unit_name = serializers.CharField(read_only=True, label="承建单位",
                                           help_text="赋能中心的承建单位（依托法人单位）名称。")
    joint_unit_name = serializers.CharField(read_only=True, label="联合承建单位",
                                            help_text="联合承建单位名称；没有的为空字符串。")
    industry_field = serializers.CharField(
        source="industry_field.name", default="", read_only=True, label="产业领域",
        help_text="赋能中心服务的重点产业领域；未填写的为空字符串。")
    department = serializers.CharField(
        source="department.name", default=CITY_LEVEL, read_only=True, label="主管部门",
        help_text="负责初审和日常管理的区（市）或功能区主管部门；市直单位为“市直”。")
    designated_on = serializers.DateField(read_only=True, label="认定日期",
                                          help_text="市发展改革委确定认定结果的日期。")
    designated_year = serializers.IntegerField(source="designated_on.year", read_only=True,
                                               label="认定年度", help_text="认定日期所在的年份。")
    status = serializers.ChoiceField(choices=CenterStatus.choices, read_only=True, label="状态",
                                     help_text="赋能中心当前状态的代码。")
    status_name = status_name_field(source="get_status_display",
                                    help_text="状态的中文名称：有效或已撤销。")
    revoked_on = serializers.DateField(read_only=True, allow_null=True, label="撤销日期",
                                       help_text="撤销认定的日期（第十七条对外公布）；有效的为空值。")
    revocation_ground = serializers.CharField(
        read_only=True, label="撤销事由",
        help_text="对外公布的撤销事由；有效的为空字符串。")
    notice_id = serializers.IntegerField(read_only=True, label="认定公示编号",
                                         help_text="认定该中心的公示在“公示公告”数据集中的编号。")

    class Meta:
        model = Center
        fields = ["id", "name", "lead_unit_name", "joint_unit_name", "industry_field",
                  "department", "designated_on", "designated_year", "status", "status_name",
                  "revoked_on", "revocation_ground", "notice_id"]


class OpenCenterFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CenterStatus.choices, label="按状态筛选：有效或已撤销的代码。")
    field = django_filters.CharFilter(field_name="industry_field__name",
                                      label="按产业领域名称筛选（完全一致），如“人工智能”。")
    department = django_filters.CharFilter(
        method="filter_department",
        label="按主管部门筛选：全称或简称（完全一致），如“崂山区发展和改革局”或“崂山区”；"
              "“市直”筛选市直单位的赋能中心。")
    year = YearFilter(field_name="designated_on", lookup_expr="year",
                      label="按认定年度筛选，如2024。")

    class Meta:
        model = Center
        fields = ["status", "field", "department", "year"]

    def filter_department(self, queryset, name, value):
        if value == CITY_LEVEL:
            return queryset.filter(department__isnull=True)
        return queryset.filter(Q(department__name=value) | Q(department__short_name=value))


CENTER_COLUMNS = ("id", "name", "lead_unit_name", "joint_unit_name", "designated_on",
                  "status", "revoked_on", "revocation_ground", "notice_id",
                  "industry_field__name", "department__name")


def open_centers():
    """Every designated center, active and revoked, newest designation first (index
    center_status_order's columns), reading only the published columns; one query."""
    return (Center.objects.select_related("industry_field", "department")
            .only(*CENTER_COLUMNS).order_by("-designated_on", "name", "id"))


@open_list_schema(
    serializer=OpenCenterSerializer, tag="赋能中心名录", summary="赋能中心名录（含已撤销）",
    description="认定的赋能中心，包括已撤销的（含撤销日期和事由），按认定日期从新到旧排列，分页。")
class OpenCenterViewSet(StrictQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET /api/open/v1/centers/: the designated centers, filtered and paginated."""

    serializer_class = OpenCenterSerializer
    filterset_class = OpenCenterFilter
    pagination_class = OpenDataPagination

    def get_queryset(self):
        return open_centers()


# --- public notices ---------------------------------------------------------------------------

# Never whether an objection later removed the entry: that is the objection's outcome.
class OpenNoticeEntrySerializer(serializers.ModelSerializer):
    """公示名单中的一个拟认定赋能中心，与公示原文一致。"""

    position = serializers.IntegerField(read_only=True, label="序号",
                                        help_text="在公示名单中的序号。")
    center_name = serializers.CharField(read_only=True, label="赋能中心名称",
                                        help_text="公示的拟认定赋能中心名称。")
    unit_name = serializers.CharField(read_only=True, label="承建单位",
                                      help_text="承建单位名称。")
    joint_unit_name = serializers.CharField(read_only=True, label="联合承建单位",
                                            help_text="联合承建单位名称；没有的为空字符串。")
    field_name = serializers.CharField(read_only=True, label="产业领域",
                                       help_text="重点产业领域名称；未填写的为空字符串。")
    department_name = serializers.CharField(read_only=True, label="主管部门",
                                            help_text="主管部门名称；市直单位的为空字符串。")

    class Meta:
        model = NoticeEntry
        fields = ["position", "center_name", "unit_name", "joint_unit_name", "field_name",
                  "department_name"]


# No contact, no objection channel: see the module docstring.
class OpenNoticeSerializer(serializers.ModelSerializer):
    """已发布的拟认定名单公示（第九条（四））及其名单。"""

    id = serializers.IntegerField(read_only=True, label="公示编号",
                                  help_text="本平台内公示的唯一编号，长期不变。")
    title = serializers.CharField(read_only=True, label="标题", help_text="公示标题。")
    call_id = serializers.IntegerField(read_only=True, label="申报通知编号",
                                       help_text="公示所属申报通知在“申报通知”数据集中的编号。")
    call_year = serializers.IntegerField(source="call.year", read_only=True, label="通知年度",
                                         help_text="公示所属申报通知的年度。")
    starts_on = serializers.DateField(read_only=True, label="公示开始日期",
                                      help_text="公示期的第一天。")
    ends_on = serializers.DateField(read_only=True, label="公示截止日期",
                                    help_text="公示期的最后一天（按工作日计算）。")
    working_days = serializers.IntegerField(read_only=True, label="公示期（工作日）",
                                            help_text="公示期的工作日数。")
    issuer = serializers.CharField(read_only=True, label="发布单位", help_text="发布公示的单位。")
    issued_on = serializers.DateField(read_only=True, label="发布日期",
                                      help_text="公示落款的发布日期。")
    status = serializers.ChoiceField(choices=NoticeStatus.choices[1:], read_only=True,
                                     label="状态", help_text="公示当前状态的代码。")
    status_name = status_name_field(source="get_status_display",
                                    help_text="状态的中文名称：公示中、公示期满或已确定。")
    entries = OpenNoticeEntrySerializer(many=True, read_only=True, label="公示名单",
                                        help_text="公示的拟认定名单，按序号排列。")

    class Meta:
        model = PublicNotice
        fields = ["id", "title", "call_id", "call_year", "starts_on", "ends_on",
                  "working_days", "issuer", "issued_on", "status", "status_name", "entries"]


class OpenNoticeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices[1:],
                                         label="按状态筛选：公示中、公示期满或已确定的代码。")
    year = YearFilter(field_name="call__year", label="按所属申报通知的年度筛选，如2024。")

    class Meta:
        model = PublicNotice
        fields = ["status", "year"]


NOTICE_COLUMNS = ("id", "title", "call_id", "call__year", "starts_on", "ends_on",
                  "working_days", "issuer", "issued_on", "status")
ENTRY_COLUMNS = ("id", "notice_id", "position", "center_name", "unit_name", "joint_unit_name",
                 "field_name", "department_name")


def open_notices():
    """The published, closed and finalised notices (never a draft) with their entries,
    newest period first (index notice_status_order); two queries."""
    entries = NoticeEntry.objects.only(*ENTRY_COLUMNS).order_by("position")
    return (PublicNotice.objects.filter(status__in=PUBLIC_NOTICE_STATUSES)
            .select_related("call").only(*NOTICE_COLUMNS)
            .prefetch_related(Prefetch("entries", queryset=entries))
            .order_by("-starts_on", "-id"))


@open_list_schema(
    serializer=OpenNoticeSerializer, tag="公示公告", summary="公示公告",
    description="已发布的拟认定名单公示（公示中、公示期满、已确定）及其名单，按公示开始日期从新到旧排列，分页。"
                "不含草稿，不含异议及异议人的任何信息。")
class OpenNoticeViewSet(StrictQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET /api/open/v1/notices/: the public notices with their lists, paginated."""

    serializer_class = OpenNoticeSerializer
    filterset_class = OpenNoticeFilter
    pagination_class = OpenDataPagination

    def get_queryset(self):
        return open_notices()
