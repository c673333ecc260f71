"""第七条（八）: the published calls for applications (申报通知, 第五条) as open data for the
青岛市公共数据服务平台: year, title, acceptance window, the district deadline, the industry
fields offered and the policy document the call runs under (第二十条). Drafts never leave.

It also holds what every open-data list keeps (centers.open_data uses it too; applications
is the lower of the two apps): read-only, paginated (`OpenDataPagination`), and unknown query
parameters refused with 400 (`StrictQueryMixin`), so a misspelt filter never silently returns
the whole list. The fields are named one by one, so no later field of `Call` becomes public by
accident.
"""

import django_filters
from django import forms
from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination

from .enums import CallStatus
from .models import Call, IndustryField

PUBLIC_CALL_STATUSES = (CallStatus.PUBLISHED, CallStatus.CLOSED)
YEAR_MIN, YEAR_MAX = 2000, 2100


# --- shared by every open-data list (centers, notices, calls) ----------------------------------

class OpenDataPagination(PageNumberPagination):
    """`page` (from 1) and `page_size` (1–100, default 50). A page past the end or not a
    number answers 404 with a JSON `detail`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "页码，从1开始；超出范围时返回404。"
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["description"] = (f"每页条数，1至{self.max_page_size}，"
                                            f"默认{self.page_size}。")
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        described = {"count": "符合条件的总条数。", "next": "下一页的地址；没有时为空值。",
                     "previous": "上一页的地址；没有时为空值。", "results": "本页的数据。"}
        for name, text in described.items():
            envelope["properties"][name]["description"] = text
        return envelope


class UnknownQueryParameter(APIException):
    status_code = 400
    default_code = "unknown_parameter"
    default_detail = "不支持的查询参数。"


class StrictQueryMixin:
    """Refuses a query parameter the list does not know (400, JSON `detail` naming it): a
    misspelt filter must not look like an empty filter. Allowed: the filterset's filters,
    `page` and `page_size`."""

    def list(self, request, *args, **kwargs):
        known = set(self.filterset_class.base_filters) | {"page", "page_size"}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise UnknownQueryParameter(f"不支持的查询参数：{'、'.join(unknown)}。"
                                        f"可用参数：{'、'.join(sorted(known))}。")
        return super().list(request, *args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 2000–2100 (a bad value is a 400, never a database error); the
    OpenAPI document says integer, with its bounds and the filter's label."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)
        self._spectacular_annotation = {"field": {
            "type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX,
            "description": str(self.label or "")}}


NOT_FOUND = inline_serializer("OpenDataError", fields={
    "detail": serializers.CharField(label="原因", help_text="出错原因的说明。")})
INVALID = OpenApiResponse(
    response={"type": "object", "additionalProperties": True},
    description="查询参数不合法：使用了未列出的参数（键为 detail），或参数取值不合法（键为参数名，值为原因列表）。")


def open_list_schema(*, serializer, tag: str, summary: str, description: str):
    """The OpenAPI description of an open-data list view (class decorator): Chinese tag,
    summary and description, the page of `serializer` objects and the 400 and 404 answers."""
    return extend_schema_view(list=extend_schema(
        tags=[tag], summary=summary, description=description,
        responses={200: serializer, 400: INVALID,
                   404: OpenApiResponse(response=NOT_FOUND, description="页码超出范围或不是数字。")}))


class OpenCallSerializer(serializers.ModelSerializer):
    """已发布的赋能中心申报通知（第五条）及其依据的政策文件（第二十条）。"""

    id = serializers.IntegerField(read_only=True, label="申报通知编号",
                                  help_text="本平台内申报通知的唯一编号，长期不变。")
    year = serializers.IntegerField(read_only=True, label="年度", help_text="申报通知的年度。")
    title = serializers.CharField(read_only=True, label="标题", help_text="申报通知标题。")
    status = serializers.ChoiceField(choices=CallStatus.choices[1:], read_only=True,
                                     label="状态", help_text="申报通知当前状态的代码。")
    status_name = serializers.CharField(source="get_status_display", read_only=True,
                                        label="状态名称", help_text="状态的中文名称：已发布或已截止。")
    opens_at = serializers.DateTimeField(read_only=True, label="受理开始时间",
                                         help_text="网上申报受理开始的时间（北京时间）。")
    closes_at = serializers.DateTimeField(read_only=True, label="受理截止时间",
                                          help_text="网上申报受理截止的时间（北京时间）。")
    district_review_deadline = serializers.DateField(
        read_only=True, label="主管部门初审报送截止日期",
        help_text="各主管部门完成初审并报送推荐名单的截止日期。")
    industry_fields = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", label="重点产业领域",
        help_text="本通知可申报的重点产业领域名称，按领域排序。")
    policy_title = serializers.CharField(source="policy.title", read_only=True,
                                         label="依据政策文件", help_text="本通知所依据的政策文件名称。")
    policy_document_number = serializers.CharField(
        source="policy.document_number", read_only=True, label="政策文件文号",
        help_text="政策文件的文号；没有的为空字符串。")
    policy_effective_from = serializers.DateField(
        source="policy.effective_from", read_only=True, label="政策文件施行日期",
        help_text="政策文件开始施行的日期。")
    policy_effective_until = serializers.DateField(
        source="policy.effective_until", read_only=True, allow_null=True,
        label="政策文件有效期至", help_text="政策文件有效期的最后一天；未规定的为空值。")

    class Meta:
        model = Call
        fields = ["id", "year", "title", "status", "status_name", "opens_at", "closes_at",
                  "district_review_deadline", "industry_fields", "policy_title",
                  "policy_document_number", "policy_effective_from", "policy_effective_until"]


class OpenCallFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CallStatus.choices[1:],
                                         label="按状态筛选：已发布或已截止的代码。")
    year = YearFilter(field_name="year", label="按年度筛选，如2026。")
    field = django_filters.CharFilter(field_name="industry_fields__name",
                                      label="按可申报的重点产业领域名称筛选（完全一致），如“人工智能”。")

    class Meta:
        model = Call
        fields = ["status", "year", "field"]


CALL_COLUMNS = ("id", "year", "title", "status", "opens_at", "closes_at",
                "district_review_deadline", "policy__title", "policy__document_number",
                "policy__effective_from", "policy__effective_until")


def open_calls():
    """The published and closed calls (never a draft), latest opening first, with their
    policy document and industry fields; two queries."""
    fields = IndustryField.objects.only("id", "name").order_by("sort_order", "id")
    return (Call.objects.filter(status__in=PUBLIC_CALL_STATUSES)
            .select_related("policy").only(*CALL_COLUMNS)
            .prefetch_related(Prefetch("industry_fields", queryset=fields))
            .order_by("-opens_at", "-id"))


@open_list_schema(
    serializer=OpenCallSerializer, tag="申报通知", summary="申报通知",
    description="已发布和已截止的赋能中心申报通知（不含草稿）：年度、标题、受理时间、可申报的重点产业领域和依据的政策文件，"
                "按受理开始时间从新到旧排列，分页。")
class OpenCallViewSet(StrictQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET /api/open/v1/calls/: the published calls, filtered and paginated."""

    serializer_class = OpenCallSerializer
    filterset_class = OpenCallFilter
    pagination_class = OpenDataPagination

    def get_queryset(self):
        return open_calls()
