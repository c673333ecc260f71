"""产业数据分析 (第十五条): the commission's statistics of the designation path and of the centers
at work. One selector per chart; each runs a fixed number of queries whatever the number of
applications, centers or records (grouped with `values().annotate(Count(...))` and conditional
aggregation, never a query per row), and returns a `StatTable`: the figures the chart draws,
the table beside it and the Excel download all read.

What each stage of the designation funnel (第九条) counts, per call:
- 已提交: applications ever submitted (`submitted_at` set; a later withdrawal or return does not
  take one out);
- 推荐: recommended by their 主管部门 after the preliminary review, or passed by the commission's
  形式审查 for a direct submission (第八条) — the status the application holds now is
  `recommended` / `formal_passed` or a later stage of the expert review (`expert_review`,
  `proposed`, `not_proposed`); a recommendation withdrawn when a batch was sent back is not
  counted;
- 拟评定: on the call's frozen 拟评定名单 (`experts.ProposedListEntry` of a `frozen` list), an entry
  later removed after an upheld objection included;
- 认定: designated as a center (`centers.Center`), a center revoked since included.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from accounts.models import Department
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from experts.enums import ProposedListStatus
from experts.models import ProposedListEntry

from .enums import (
    TARGET_FIELD_OF_KIND,
    ChangeKind,
    CenterStatus,
    ServiceKind,
)
from .models import Center, ChangeReport, ServiceRecord, TargetSet
from .progress import TARGET_YEARS

# The label of the applications and centers with no 主管部门: 市直、中央及省驻青单位 (第八条).
DIRECT_LABEL = "市直及中央、省驻青单位（直接报送）"
NO_FIELD_LABEL = "未填写产业领域"

# 第九条（二）、（三）: the statuses of an application its 主管部门 recommended (or the commission
# passed) and every later stage of the designation path.
RECOMMENDED_OR_LATER = (
    ApplicationStatus.RECOMMENDED, ApplicationStatus.FORMAL_PASSED,
    ApplicationStatus.EXPERT_REVIEW, ApplicationStatus.PROPOSED, ApplicationStatus.NOT_PROPOSED,
)


@dataclass
class StatRow:
    """One category of a chart: `label` (a district, a field, a year …) and its figures by
    series key (ints, or Decimal percentages; None where there is nothing to divide)."""

    label: str
    values: dict[str, int | Decimal | None]


@dataclass
class StatTable:
    """The figures of one chart.

    `category` names the first column (主管部门, 产业领域, 年度 …); `series` lists the (key,
    label) of each figure column, in order; `rows` one `StatRow` per category, in display order;
    `total` the sum of each summable series over the rows (`percent_keys` are not summed: their
    total is recomputed by the selector, or None). `note` says in Chinese what is counted."""

    key: str
    title: str
    category: str
    series: list[tuple[str, str]]
    rows: list[StatRow] = field(default_factory=list)
    note: str = ""
    percent_keys: tuple[str, ...] = ()
    total: dict[str, int | Decimal | None] | None = None
    # The series the chart draws (default: all); the table always shows every series.
    chart_keys: tuple[str, ...] = ()

    def __post_init__(self):
        if self.total is None:
            self.total = {key: sum((row.values.get(key) or 0) for row in self.rows)
                          for key, _ in self.series if key not in self.percent_keys}
            for key in self.percent_keys:
                self.total[key] = None

    def header(self) -> list[str]:
        """The column titles: the category, then each series' label."""
        return [self.category] + [label for _, label in self.series]

    def table_rows(self) -> list[list]:
        """Each row as a list (label first), then the 合计 row: what the page's table and the
        Excel sheet show."""
        rows = [[row.label] + [row.values.get(key) for key, _ in self.series]
                for row in self.rows]
        rows.append(["合计"] + [self.total.get(key) for key, _ in self.series])
        return rows

    def chart_data(self) -> dict:
        """The JSON the page's script draws: categories and one list of numbers per series."""
        def number(value):
            return float(value) if isinstance(value, Decimal) else (value or 0)

        return {
            "key": self.key, "title": self.title,
            "categories": [row.label for row in self.rows],
            "series": [{"key": key, "name": label,
                        "data": [number(row.values.get(key)) for row in self.rows]}
                       for key, label in self.series
                       if not self.chart_keys or key in self.chart_keys],
        }


def percent(part, whole) -> Decimal | None:
    """`part` / `whole` in per cent, one decimal (half up), or None when `whole` is 0/None."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _departments() -> tuple[dict[int, str], dict[int, tuple]]:
    """Each department's label (its short name) and sort key, in one query."""
    rows = Department.objects.order_by().values_list("pk", "short_name", "name", "sort_order")
    labels, order = {}, {}
    for pk, short, name, sort_order in rows:
        labels[pk], order[pk] = short or name, (sort_order, pk)
    return labels, order


# --- the designation funnel (第九条) ---------------------------------------------------------

FUNNEL_SERIES = [("submitted", "已提交"), ("recommended", "主管部门推荐（形式审查通过）"),
                 ("proposed", "列入拟评定名单"), ("designated", "认定为赋能中心")]


def _funnel_counts():
    on_frozen_list = ProposedListEntry.objects.filter(
        application=OuterRef("pk"), proposed_list__status=ProposedListStatus.FROZEN)
    designated = Center.objects.filter(application=OuterRef("pk"))
    return {
        "submitted": Count("pk"),
        "recommended": Count("pk", filter=Q(status__in=RECOMMENDED_OR_LATER)),
        "proposed": Count("pk", filter=Q(Exists(on_frozen_list))),
        "designated": Count("pk", filter=Q(Exists(designated))),
    }


def _submitted(call_id: int | None):
    applications = Application.objects.filter(submitted_at__isnull=False)
    if call_id is not None:
        applications = applications.filter(call_id=call_id)
    return applications.order_by()


def _funnel_note(call_id):
    scope = "所选申报通知" if call_id is not None else "全部申报通知"
    return (f"{scope}的申报：已提交（含其后撤回、退回的）、经主管部门推荐或市发展改革委形式审查通过、"
            "列入已确定的拟评定名单（含公示后因异议移出的）、认定为赋能中心（含其后撤销的）。")


def funnel_by_call() -> StatTable:
    """第九条: the designation funnel of every call that received a submission, oldest first.
    One query."""
    grouped = (_submitted(None).values("call_id", "call__title", "call__opens_at")
               .annotate(**_funnel_counts()).order_by("call__opens_at", "call_id"))
    return StatTable(
        key="funnel_call", title="认定各环节申报数（按申报通知）", category="申报通知",
        series=FUNNEL_SERIES, note=_funnel_note(None),
        rows=[StatRow(r["call__title"], {k: r[k] for k, _ in FUNNEL_SERIES}) for r in grouped])


def funnel_by_district(call_id: int | None = None) -> StatTable:
    """第九条: the designation funnel of `call_id` (None: every call) by the 主管部门 each
    application was routed to (第八条; direct submissions together). Two queries (the
    departments, the grouped applications)."""
    labels, order = _departments()
    grouped = _submitted(call_id).values("routed_department_id").annotate(**_funnel_counts())
    rows = sorted(grouped, key=lambda r: order.get(r["routed_department_id"], (10**9, 0)))
    return StatTable(
        key="funnel_district", title="认定各环节申报数（按主管部门）", category="主管部门",
        series=FUNNEL_SERIES, note=_funnel_note(call_id),
        rows=[StatRow(labels.get(r["routed_department_id"], DIRECT_LABEL),
                      {k: r[k] for k, _ in FUNNEL_SERIES}) for r in rows])


def funnel_by_field(call_id: int | None = None) -> StatTable:
    """第九条: the designation funnel of `call_id` (None: every call) by the industry field each
    application chose (第六条). One query."""
    grouped = (_submitted(call_id)
               .values("industry_field_id", "industry_field__name", "industry_field__sort_order")
               .annotate(**_funnel_counts())
               .order_by(F("industry_field__sort_order").asc(nulls_last=True),
                         "industry_field__name"))
    return StatTable(
        key="funnel_field", title="认定各环节申报数（按产业领域）", category="产业领域",
        series=FUNNEL_SERIES, note=_funnel_note(call_id),
        rows=[StatRow(r["industry_field__name"] or NO_FIELD_LABEL,
                      {k: r[k] for k, _ in FUNNEL_SERIES}) for r in grouped])


# --- centers by district, field and year (第九条（四）) ---------------------------------------

CENTER_SERIES = [("active", "有效"), ("revoked", "已撤销"), ("total", "累计认定")]
CENTER_COUNTS = {
    "active": Count("pk", filter=Q(status=CenterStatus.ACTIVE)),
    "revoked": Count("pk", filter=Q(status=CenterStatus.REVOKED)),
    "total": Count("pk"),
}


def _centers(year: int | None):
    centers = Center.objects.order_by()
    if year is not None:
        centers = centers.filter(designated_on__year=year)
    return centers


def _centers_note(year):
    scope = f"{year}年认定的" if year is not None else "历年认定的"
    return f"{scope}赋能中心：有效的和已撤销资格的分别统计。"


def centers_by_district(year: int | None = None) -> StatTable:
    """The centers designated in `year` (None: every year) by 主管部门, active and revoked.
    Two queries (the departments, the grouped centers)."""
    labels, order = _departments()
    grouped = _centers(year).values("department_id").annotate(**CENTER_COUNTS)
    rows = sorted(grouped, key=lambda r: order.get(r["department_id"], (10**9, 0)))
    return StatTable(
        key="centers_district", title="赋能中心数（按主管部门）", category="主管部门",
        series=CENTER_SERIES, note=_centers_note(year),
        rows=[StatRow(labels.get(r["department_id"], DIRECT_LABEL),
                      {k: r[k] for k, _ in CENTER_SERIES}) for r in rows])


def centers_by_field(year: int | None = None) -> StatTable:
    """The centers designated in `year` (None: every year) by industry field. One query."""
    grouped = (_centers(year)
               .values("industry_field_id", "industry_field__name", "industry_field__sort_order")
               .annotate(**CENTER_COUNTS)
               .order_by(F("industry_field__sort_order").asc(nulls_last=True),
                         "industry_field__name"))
    return StatTable(
        key="centers_field", title="赋能中心数（按产业领域）", category="产业领域",
        series=CENTER_SERIES, note=_centers_note(year),
        rows=[StatRow(r["industry_field__name"] or NO_FIELD_LABEL,
                      {k: r[k] for k, _ in CENTER_SERIES}) for r in grouped])


def centers_by_year() -> StatTable:
    """The centers by the year of their designation (认定日期). One query."""
    grouped = (Center.objects.order_by().annotate(y=ExtractYear("designated_on"))
               .values("y").annotate(**CENTER_COUNTS).order_by("y"))
    return StatTable(
        key="centers_year", title="赋能中心数（按认定年度）", category="认定年度",
        series=CENTER_SERIES, note="历年认定的赋能中心，按认定日期所在年度统计。",
        rows=[StatRow(f"{r['y']}年", {k: r[k] for k, _ in CENTER_SERIES}) for r in grouped])


# --- services (第十二条) and targets (五、建设目标) -------------------------------------------

SERVICE_SERIES = [("enterprises", "服务企业（家）"), ("diagnoses", "数字化诊断书（份）"),
                  ("trainings", "数字化转型培训（场）"), ("participants", "培训人次"),
                  ("projects", "数字化转型项目（个）")]


def service_totals(year: int | None = None) -> StatTable:
    """第十二条: the services every center recorded, by year of the record (`year`: that year
    only): enterprises served (distinct 统一社会信用代码 across all centers of the year: an
    enterprise two centers served counts once), 诊断书, trainings and their participants,
    transformation projects. The 合计 row's enterprises are distinct over the years shown, not
    the sum. Two queries (the records by year, the distinct enterprises overall)."""
    records = ServiceRecord.objects.order_by()
    if year is not None:
        records = records.filter(year=year)
    grouped = (records.values("year").annotate(
        enterprises=Count("enterprises__uscc", distinct=True),
        diagnoses=Count("pk", filter=Q(kind=ServiceKind.DIAGNOSIS), distinct=True),
        trainings=Count("pk", filter=Q(kind=ServiceKind.TRAINING), distinct=True),
        projects=Count("pk", filter=Q(kind=ServiceKind.PROJECT), distinct=True),
    ).order_by("year"))
    # participants: summed without the enterprise join, which would repeat each record.
    participants = dict(records.filter(kind=ServiceKind.TRAINING).values("year")
                        .annotate(n=Sum("participants")).values_list("year", "n"))
    rows = [StatRow(f"{r['year']}年", {
        "enterprises": r["enterprises"], "diagnoses": r["diagnoses"],
        "trainings": r["trainings"], "participants": participants.get(r["year"]) or 0,
        "projects": r["projects"]}) for r in grouped]
    table = StatTable(
        key="services", title="赋能中心服务情况（按年度）", category="年度", series=SERVICE_SERIES,
        rows=rows, chart_keys=("enterprises", "diagnoses", "trainings", "projects"),
        note="各赋能中心填报的服务记录，按服务日期所在年度统计；服务企业按统一社会信用代码去重，"
             "合计行为所列年度去重后的企业数。")
    table.total["enterprises"] = (records.filter(enterprises__isnull=False)
                                  .values("enterprises__uscc").distinct().count())
    return table


def _within_target_period(prefix: str, designated: str) -> Q:
    """`prefix`'s date no later than three years after `designated` (29 February → 28
    February, as centers.progress.period_end), compared in the database by year, month and
    day so that every center's own period is one condition."""
    year, month, day = (f"{prefix}_y", f"{prefix}_m", f"{prefix}_d")
    d_year, d_month, d_day = (f"{designated}_y", f"{designated}_m", f"{designated}_d")
    end_year = F(d_year) + TARGET_YEARS
    return (Q(**{f"{year}__lt": end_year})
            | Q(**{year: end_year, f"{month}__lt": F(d_month)})
            | Q(**{year: end_year, month: F(d_month), f"{day}__lte": F(d_day)}))


def _ymd(name: str, expression) -> dict:
    return {f"{name}_y": ExtractYear(expression), f"{name}_m": ExtractMonth(expression),
            f"{name}_d": ExtractDay(expression)}


TARGET_SERIES = [("centers", "有该项目标的赋能中心（个）"), ("promised", "承诺目标（合计）"),
                 ("achieved", "已完成（合计）"), ("rate", "完成率（%）")]


def target_completion(on: datetime.date | None = None) -> StatTable:
    """五、建设目标 of the active centers on `on` (default today): for each of the four targets,
    the sum of what the centers promised (the TargetSet in force, as centers.progress reads it)
    and of what they achieved (their records of that kind from designation to `on`, within the
    three years), and the completion rate (achieved of promised, per cent, over the centers that
    promised it). The same figures as `progress_figures` summed over the centers, in three
    queries: the targets in force, the records by kind, nothing per center."""
    on = on or timezone.localdate()
    kinds = list(TARGET_FIELD_OF_KIND.items())
    active = Center.objects.filter(status=CenterStatus.ACTIVE, designated_on__lte=on)
    # The set in force on min(on, end of the three years): the latest effective by then.
    in_force = (TargetSet.objects.filter(center=OuterRef("pk"), effective_from__lte=on)
                .annotate(**_ymd("eff", "effective_from"),
                          **_ymd("des", OuterRef("designated_on")))
                .filter(_within_target_period("eff", "des"))
                .order_by("-effective_from", "-pk"))
    promised = {target: 0 for _, target in kinds}
    promising = {target: 0 for _, target in kinds}
    promised_by_center = {}
    for row in active.order_by().annotate(
            **{target: Subquery(in_force.values(target)[:1]) for _, target in kinds}).values(
            "pk", *[target for _, target in kinds]):
        promised_by_center[row["pk"]] = row
        for _, target in kinds:
            if row[target]:
                promised[target] += row[target]
                promising[target] += 1
    achieved = {target: 0 for _, target in kinds}
    records = (ServiceRecord.objects.order_by()
               .filter(center__in=active, kind__in=[kind for kind, _ in kinds],
                       occurred_on__gte=F("center__designated_on"), occurred_on__lte=on)
               .annotate(**_ymd("occ", "occurred_on"), **_ymd("des", "center__designated_on"))
               .filter(_within_target_period("occ", "des"))
               .values("center_id", "kind").annotate(n=Count("pk")))
    for row in records:
        target = TARGET_FIELD_OF_KIND[row["kind"]]
        # progress.py counts achievements only against a promise: the rate's numerator too.
        if promised_by_center.get(row["center_id"], {}).get(target):
            achieved[target] += row["n"]
    rows = [StatRow(ServiceKind(kind).label, {
        "centers": promising[target], "promised": promised[target],
        "achieved": achieved[target], "rate": percent(achieved[target], promised[target])})
        for kind, target in kinds]
    total_promised, total_achieved = sum(promised.values()), sum(achieved.values())
    return StatTable(
        key="targets", title="建设目标完成情况（有效赋能中心）", category="建设目标",
        series=TARGET_SERIES, rows=rows, percent_keys=("rate",),
        chart_keys=("promised", "achieved"),
        note=f"截至{on:%Y年%-m月%-d日}有效的赋能中心：承诺目标按现行有效的建设目标，已完成按认定之日起三年内"
             "填报的成果记录，仅计有该项目标的赋能中心。",
        total={"centers": active.count(), "promised": total_promised,
               "achieved": total_achieved, "rate": percent(total_achieved, total_promised)})


# --- change reports (第十三条) ---------------------------------------------------------------

CHANGE_SERIES = [("on_time", "按期报送"), ("late", "逾期报送"), ("overdue", "逾期未报送"),
                 ("waiting", "未到期未报送"), ("no_due", "尚无截止日期")]


def change_timeliness(on: datetime.date | None = None) -> StatTable:
    """第十三条: the 依托法人实体重大调整 reports by the year of the licence change, and whether the
    主管部门 forwarded them within the 30 working days (`due_on`, centers.changes): on time
    (forwarded on or before the due day, Beijing date), late, overdue and still not forwarded,
    not yet due, and those without a due date yet (a year's holiday schedule missing). Other
    kinds of change have no deadline and are not counted. One query."""
    on = on or timezone.localdate()
    entity = ChangeReport.objects.order_by().filter(kind=ChangeKind.ENTITY)
    forwarded = Q(forwarded_at__isnull=False, due_on__isnull=False)
    grouped = (entity.annotate(y=ExtractYear("licence_changed_on")).values("y").annotate(
        on_time=Count("pk", filter=forwarded & Q(forwarded_at__date__lte=F("due_on"))),
        late=Count("pk", filter=forwarded & Q(forwarded_at__date__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(forwarded_at__isnull=True, due_on__lt=on)),
        waiting=Count("pk", filter=Q(forwarded_at__isnull=True, due_on__gte=on)),
        no_due=Count("pk", filter=Q(due_on__isnull=True)),
    ).order_by(F("y").asc(nulls_last=True)))
    return StatTable(
        key="changes", title="重大变更报送情况（按营业执照变更年度）", category="年度",
        series=CHANGE_SERIES,
        rows=[StatRow(f"{r['y']}年" if r["y"] else "未填写变更日期",
                      {k: r[k] for k, _ in CHANGE_SERIES}) for r in grouped],
        note="依托法人实体重大调整（更名、股权变更、破产重组、注销）应自营业执照变更（注销）之日起30个工作日内"
             "由主管部门报送市发展改革委（第十三条）；其他变更无报送时限，不在此统计。")


# --- the filters' choices ---------------------------------------------------------------------

def statistics_calls() -> list[tuple[int, str]]:
    """The calls that received a submission, newest first, as (pk, title). One query."""
    return list(Call.objects.filter(applications__submitted_at__isnull=False).distinct()
                .order_by("-year", "-opens_at", "-pk").values_list("pk", "title"))


def statistics_years() -> list[int]:
    """The years with a designation or a service record, newest first. Two queries."""
    years = {d.year for d in Center.objects.order_by().dates("designated_on", "year")}
    years |= set(ServiceRecord.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)

