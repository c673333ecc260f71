"""The pages the benchmark times (`make benchmark`, issue 7): every list page and dashboard of
every role registers itself here when it is added.

Each app that has such pages keeps a module `<app>/benchmark_pages.py` calling
`benchmark_page(...)` at import; `benchmark_pages()` imports them all
(`autodiscover_modules`, as Django admin finds `admin.py`). Pages are named by URL name, never
by view, so moving a view to another app only edits its entry. Example::

    from core.benchmark import benchmark_page

    benchmark_page("通知列表", "notification_list", role="applicant")
    benchmark_page("申报列表 · 按名称搜索", "applications:staff_list", role="commission_staff",
                   query=lambda world: {"q": world.organisation_name})

`role` is the role key of the user requesting the page (`applicant`, `district_official`,
`commission_staff`, `industry_staff`, `third_party_staff`, `expert`, `auditor`, `superuser`
for Django admin) or `anonymous`. `kwargs` and `query` are dicts, or functions of the
benchmark's `World` (scripts/benchmark/seed.py: `call`, `export`, `department`,
`industry_field` primary keys, `organisation_name`, `organisation_uscc`, `applications`)
returning one. `kind` is `page` for the pages measured against the targets, `floor` for the
bare indexed query they are compared with, `yardstick` for Django admin's changelist.

`tests/test_benchmark.py` fails when a paginated view or a dashboard has no entry, and
requests every entry on a small seeded database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

PAGE, FLOOR, YARDSTICK = "page", "floor", "yardstick"

_PAGES: dict[str, "BenchmarkPage"] = {}


@dataclass(frozen=True)
class BenchmarkPage:
    label: str
    url_name: str
    role: str
    kwargs: dict | Callable[[Any], dict] | None = None
    query: dict | Callable[[Any], dict] | None = None
    kind: str = PAGE

    def url(self, world) -> str:
        """The path and query string to request, given the seeded `world`."""
        kwargs = self.kwargs(world) if callable(self.kwargs) else (self.kwargs or {})
        query = self.query(world) if callable(self.query) else (self.query or {})
        path = reverse(self.url_name, kwargs=kwargs)
        return f"{path}?{urlencode(query)}" if query else path


def benchmark_page(label: str, url_name: str, *, role: str, kwargs=None, query=None,
                   kind: str = PAGE) -> BenchmarkPage:
    """Registers a page; a second registration under the same label replaces the first.
    Raises ValueError for an unknown `kind`."""
    if kind not in (PAGE, FLOOR, YARDSTICK):
        raise ValueError(f"unknown benchmark page kind {kind!r}")
    page = BenchmarkPage(label, url_name, role, kwargs, query, kind)
    _PAGES[label] = page
    return page


def benchmark_pages() -> list[BenchmarkPage]:
    """Every registered page, each app's `benchmark_pages` module imported first."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("benchmark_pages")
    return list(_PAGES.values())
