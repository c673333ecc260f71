"""The charts of the commission's statistics page (第十五条 产业数据分析): which selector draws
each, and the filters the page offers (申报通知 for the designation funnel, 年度 for the centers
and the services). The selectors live in the domain apps (centers.statistics,
evaluations.statistics); this module only composes them."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from centers import statistics as center_stats
from centers.statistics import StatTable
from core.caching import cached_recent
from evaluations.statistics import grade_distribution

ALL = "all"


@dataclass(frozen=True)
class StatisticsFilters:
    """The page's filters: `call_id` (None: every call), `year` (None: every year), with the
    choices offered (`calls`: (pk, title) newest first; `years`: newest first)."""

    call_id: int | None
    year: int | None
    calls: tuple
    years: tuple

    def query(self) -> dict:
        """The query string that reproduces these filters (for the downloads' links)."""
        return {"call": self.call_id if self.call_id is not None else ALL,
                "year": self.year if self.year is not None else ALL}


def statistics_filters(params) -> StatisticsFilters:
    """Reads `call` and `year` from a QueryDict. `call` defaults to every call (`all`); an
    unknown call means every call too. `year` defaults to
    every year; an unknown year means every year too. Three queries (the choices)."""
    calls = tuple(center_stats.statistics_calls())
    years = tuple(center_stats.statistics_years())
    raw_call = params.get("call", "")
    call_ids = {pk for pk, _ in calls}
    call_id = int(raw_call) if raw_call.isdigit() and int(raw_call) in call_ids else None
    raw_year = params.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in years else None
    return StatisticsFilters(call_id=call_id, year=year, calls=calls, years=years)


# key → (the selector given the filters, which filter applies). Order is the page's order.
CHARTS = {
    "funnel_call": (lambda f: center_stats.funnel_by_call(), ""),
    "funnel_district": (lambda f: center_stats.funnel_by_district(f.call_id), "call"),
    "funnel_field": (lambda f: center_stats.funnel_by_field(f.call_id), "call"),
    "centers_district": (lambda f: center_stats.centers_by_district(f.year), "year"),
    "centers_field": (lambda f: center_stats.centers_by_field(f.year), "year"),
    "centers_year": (lambda f: center_stats.centers_by_year(), ""),
    "services": (lambda f: center_stats.service_totals(f.year), "year"),
    "targets": (lambda f: center_stats.target_completion(), ""),
    "grades": (lambda f: grade_distribution(), ""),
    "changes": (lambda f: center_stats.change_timeliness(), ""),
}


def chart_table(key: str, filters: StatisticsFilters) -> StatTable:
    """The figures of chart `key` under `filters`. Raises KeyError for an unknown key."""
    selector, _ = CHARTS[key]
    return selector(filters)


def all_tables(filters: StatisticsFilters) -> list[StatTable]:
    """Every chart's figures, in the page's order."""
    return [chart_table(key, filters) for key in CHARTS]


@dataclass(frozen=True)
class KeptStatistics:
    """Every chart's figures under one set of filters (`tables`, in the page's order) and
    when they were computed (`computed_at`, aware)."""

    computed_at: datetime.datetime
    tables: list[StatTable]

    def table(self, key: str) -> StatTable:
        """The figures of chart `key`. Raises KeyError for an unknown key."""
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def kept_statistics(filters: StatisticsFilters) -> KeptStatistics:
    """Every chart's figures under `filters`, computed at most once every
    `settings.STATISTICS_MAX_AGE_SECONDS` (default 300 s) for everyone who reads the page:
    figures computed that many seconds ago or earlier are computed again. The page and the
    Excel downloads read the same kept figures, so a download matches the page it came from.
    Redis down: computed on every request (core.caching)."""
    key = "statistics:" + ":".join(f"{k}={v}" for k, v in sorted(filters.query().items()))
    tables, computed_at = cached_recent(key, lambda: all_tables(filters),
                                        settings.STATISTICS_MAX_AGE_SECONDS)
    return KeptStatistics(computed_at=computed_at, tables=tables)
