"""The commission's filters over all applications, shared by the staff list and its export."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.enums import COMPETENT_DEPARTMENT_KINDS
from accounts.models import Department, Organisation
from core.caching import choices_kept
from core.search import text_conditions

from .enums import HELD_UNTIL_NOTICE, ApplicationStatus
from .models import Application, ApplicationUnit, Call, IndustryField, held_until_notice_q

# The value of the 主管部门 choice that stands for 第八条's direct route to the commission.
DIRECT_TO_COMMISSION = "commission"


class ApplicationFilter(django_filters.FilterSet):
    call = django_filters.ModelChoiceFilter(
        label="申报通知", empty_label="全部通知",
        # The choice shows the title only: not every call's 通知正文 on every list page.
        queryset=Call.objects.only("title", "opens_at"),
    )
    industry_field = django_filters.ModelChoiceFilter(
        label="产业方向/领域", queryset=IndustryField.objects.all(), empty_label="全部领域",
    )
    # 第八条: an application goes to the 主管部门 of the lead unit's location, or (市直、中央及
    # 省驻青单位) straight to the commission; both are a "where did it go" choice for the clerk.
    district = django_filters.ModelChoiceFilter(
        label="主管部门",
        queryset=Department.objects.filter(kind__in=COMPETENT_DEPARTMENT_KINDS)
        .only("name", "sort_order"),
        empty_label="全部",
        null_label="直报市发展改革委（市直、中央及省驻青单位）",
        null_value=DIRECT_TO_COMMISSION,
        method="filter_district",
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=ApplicationStatus.choices, empty_label="全部状态",
    )
    q = django_filters.CharFilter(
        label="关键词",
        method="filter_text",
        widget=forms.TextInput(attrs={"placeholder": "中心名称、单位名称或统一社会信用代码"}),
    )

    class Meta:
        model = Application
        fields = ["call", "industry_field", "district", "status", "q"]

    @property
    def form(self):
        """The filter form, its select boxes filled from the kept choices (calls, fields,
        主管部门: core.caching.choices_kept) instead of three queries per page; a chosen
        value is still checked against the database."""
        if not hasattr(self, "_form"):
            form = super().form
            for name, rows in (("call", kept_call_choices), ("industry_field",
                                                            kept_field_choices),
                               ("district", kept_department_choices)):
                field = form.fields[name]
                head = [("", field.empty_label)] if field.empty_label is not None else []
                if getattr(field, "null_label", None) is not None:
                    head.append((field.null_value, field.null_label))
                field.widget.choices = head + rows()
        return self._form

    def filter_district(self, queryset, name, value):
        if value == DIRECT_TO_COMMISSION:
            return queryset.filter(routed_to_commission=True)
        return queryset.filter(routed_department=value)

    def filter_text(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(pk__in=applications_matching(text)) if text else queryset


def applications_matching(text: str):
    """The ids of the applications whose 中心名称, lead organisation (name or 统一社会信用代码)
    or one of whose units (承建主体、联合承建主体: name or code) contains `text`, ignoring case,
    as a subquery of `pk`s for `filter(pk__in=…)`.

    Each table is searched on its own and the ids united, so that on PostgreSQL every arm is
    answered by a trigram index (`core.search`, migration 0012_search_trigram_indexes):
    one condition spanning a join (`a.center_name LIKE … OR o.name LIKE …`) can only be
    checked row by row, and so is one table's `name LIKE … OR uscc LIKE …` once the pattern
    is long: each column is an arm of its own, codes only for a text that can be one. The
    units are searched too: a company that is only the joint unit is still one the clerk
    looks for. On SQLite the same query matches without an index."""
    centres = [Application.objects.filter(q).order_by().values("pk")
               for q in text_conditions(text, names=["center_name"])]
    organisations = [
        Application.objects.filter(organisation__in=Organisation.objects.filter(q).values("pk"))
        .order_by().values("pk")
        for q in text_conditions(text, names=["name"], codes=["uscc"])]
    units = [ApplicationUnit.objects.filter(q).order_by().values("application_id")
             for q in text_conditions(text, names=["name"], codes=["uscc"])]
    first, *rest = centres + organisations + units
    return first.union(*rest) if rest else first


class ApplicantApplicationFilter(django_filters.FilterSet):
    """我的申报's filters: the call (among those the unit applied under) and the status."""

    call = django_filters.ModelChoiceFilter(
        label="申报通知", queryset=Call.objects.none(), empty_label="全部通知",
    )
    status = django_filters.ChoiceFilter(
        label="状态", empty_label="全部状态", method="filter_status",
        choices=ApplicationStatus.choices,
    )

    class Meta:
        model = Application
        fields = ["call", "status"]

    def filter_status(self, queryset, name, value):
        """By the status the unit reads: 推荐 / 不予推荐 not yet sent by the 主管部门 count as
        已提交 (第八条, `Application.status_for_applicant`); 拟评定 / 未列入 as 专家评审 until
        the public notice (`held_until_notice_q`)."""
        held = Q(status__in=[ApplicationStatus.RECOMMENDED, ApplicationStatus.NOT_RECOMMENDED],
                 outcome_released_at__isnull=True, routed_to_commission=False)
        if value == ApplicationStatus.SUBMITTED:
            return queryset.filter(Q(status=value) | held)
        if value == ApplicationStatus.EXPERT_REVIEW:
            return queryset.filter(Q(status=value) | held_until_notice_q())
        if value in HELD_UNTIL_NOTICE:
            return queryset.filter(status=value).exclude(held_until_notice_q())
        return queryset.filter(status=value).exclude(held)

    def offer_list_statuses(self, rows) -> None:
        """第九条（四）: 拟评定 / 未列入 are offered only when the unit reads one among `rows` (the
        page's applications) or chose one, so the list's names never show before a notice.
        Call after filtering."""
        chosen = getattr(self.form, "cleaned_data", {}).get("status")
        if chosen in HELD_UNTIL_NOTICE or any(
                row.status_for_applicant in HELD_UNTIL_NOTICE for row in rows):
            return
        field = self.form.fields["status"]
        field.choices = [c for c in field.choices if c[0] not in HELD_UNTIL_NOTICE]

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the calls the unit applied under: no other unit's activity shows in the choices.
        self.filters["call"].queryset = Call.objects.filter(
            pk__in=Application.objects.filter(organisation_id__in=organisation_ids)
            .values("call_id")
        ).only("title", "opens_at").order_by("-opens_at", "-pk")


def _labelled(queryset) -> list[tuple[int, str]]:
    return [(row.pk, str(row)) for row in queryset]


def kept_call_choices() -> list[tuple[int, str]]:
    """(pk, label) of the calls, as ApplicationFilter's `call` lists them."""
    return choices_kept("filter_calls", lambda: _labelled(
        ApplicationFilter.base_filters["call"].queryset.all()))


def kept_field_choices() -> list[tuple[int, str]]:
    return choices_kept("filter_fields", lambda: _labelled(
        ApplicationFilter.base_filters["industry_field"].queryset.all()))


def kept_department_choices() -> list[tuple[int, str]]:
    return choices_kept("filter_departments", lambda: _labelled(
        ApplicationFilter.base_filters["district"].queryset.all()))


FILTER_NAMES = tuple(ApplicationFilter.base_filters)


def filter_params(data) -> dict:
    """The filter values of a request (GET or POST), non-empty ones only, as plain strings."""
    return {name: data.get(name).strip() for name in FILTER_NAMES
            if data.get(name) and data.get(name).strip()}


def filter_description(params: dict) -> list[tuple[str, str]]:
    """(label, value) of each filter in `params`, in the words of the filter form."""
    filterset = ApplicationFilter(params)
    form = filterset.form
    if not form.is_valid():
        return [(form.fields[name].label, value) for name, value in params.items()
                if name in form.fields]
    described = []
    for name in FILTER_NAMES:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if name == "status":
            shown = ApplicationStatus(value).label
        elif value == DIRECT_TO_COMMISSION:
            shown = field.null_label
        else:
            shown = str(value)
        described.append((field.label, shown))
    return described
