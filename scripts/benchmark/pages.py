"""Server time of every registered page (core/benchmark.py), through Django's test client in
this process, interleaved: each iteration requests every page once, so a busy moment of the
machine costs every page alike, and the floor and the admin changelist are measured in the
same run as the pages compared with them."""

import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.benchmark import FLOOR, PAGE, YARDSTICK, BenchmarkPage, benchmark_pages

from . import urls  # noqa: F401  (registers the floor page)

TARGET_P95_MS = 50.0
TARGET_FLOOR_RATIO = 1.5
TARGET_HTML_BYTES = 100 * 1024


@dataclass
class PageResult:
    page: BenchmarkPage
    url: str
    status: int = 0
    queries: int = 0
    html_bytes: int = 0
    times_ms: list = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 95)


def percentile(values, p: float) -> float:
    """The nearest-rank `p`-th percentile of `values` (NaN when empty)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def clients_for(world, roles) -> dict[str, Client]:
    """A signed-in test client per role key (`anonymous`: none signed in)."""
    clients = {}
    for role in roles:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        clients[role] = client
    return clients


def first_request(client: Client, url: str) -> tuple[int, int, int]:
    """(status, queries, HTML bytes) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), len(response.content)


def measure_pages(world, *, iterations: int = 30, warmup: int = 2,
                  labels: set[str] | None = None) -> list[PageResult]:
    """Requests every registered page `warmup` times (counting queries and bytes), then
    `iterations` rounds of all of them; returns one `PageResult` per page, times in ms."""
    pages = [p for p in benchmark_pages() if labels is None or p.label in labels]
    clients = clients_for(world, {p.role for p in pages})
    results = [PageResult(p, p.url(world)) for p in pages]
    for result in results:
        client = clients[result.page.role]
        for _ in range(warmup):
            result.status, result.queries, result.html_bytes = first_request(client, result.url)
    for iteration in range(iterations):
        # Each round starts at another page: none always follows the same neighbour.
        shift = iteration % len(results)
        for result in results[shift:] + results[:shift]:
            if result.status != 200:
                continue
            client = clients[result.page.role]
            started = time.perf_counter()
            client.get(result.url)
            result.times_ms.append((time.perf_counter() - started) * 1000)
    return results


def page_misses(result: PageResult, floor: PageResult | None,
                yardstick: PageResult | None) -> list[str]:
    """Where a page misses the targets of issue 7, in words (empty when it meets them all).
    The ratios compare medians: the floor's and admin's p95 wander with the machine's load."""
    if result.status != 200:
        return [f"HTTP {result.status}"]
    if result.page.kind != PAGE:
        return []
    misses = []
    if result.p95 > TARGET_P95_MS:
        misses.append(f"p95 > {TARGET_P95_MS:.0f} ms")
    if floor and floor.times_ms and result.median > TARGET_FLOOR_RATIO * floor.median:
        misses.append(f"> {TARGET_FLOOR_RATIO}× floor")
    if yardstick and yardstick.times_ms and result.median > yardstick.median:
        misses.append("slower than admin")
    if result.html_bytes >= TARGET_HTML_BYTES:
        misses.append("HTML ≥ 100 KB")
    return misses


def special(results, kind) -> PageResult | None:
    return next((r for r in results if r.page.kind == kind), None)


def page_rows(results) -> list[list[str]]:
    """The table rows of the pages: label, median, p95, queries, KB, ×floor, ×admin, misses."""
    floor, yardstick = special(results, FLOOR), special(results, YARDSTICK)
    rows = []
    for r in results:
        ratio = lambda other: (f"{r.median / other.median:.2f}"  # noqa: E731
                               if other and other.times_ms and r.times_ms else "")
        rows.append([r.page.label, f"{r.median:.1f}", f"{r.p95:.1f}", str(r.queries),
                     f"{r.html_bytes / 1024:.0f}", ratio(floor), ratio(yardstick),
                     "; ".join(page_misses(r, floor, yardstick)) or "ok"])
    return rows
