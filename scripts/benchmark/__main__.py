"""`python -m scripts.benchmark`: see scripts/benchmark/__init__.py and the README."""

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("seed", "pages", "export", "pdf", "rush")


def _configure():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # Exports go to a throwaway folder; without a broker nothing is queued anywhere.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="benchmark-media-")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise warns when collectstatic has not been run; no static file is served here.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django

    django.setup()
    from django.conf import settings

    # As in production: no SQL kept per request (DEBUG keeps every query in memory).
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "scripts.benchmark.urls"


def _table(header, rows) -> str:
    widths = [max(_width(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(  # noqa: E731
        str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.benchmark",
        description="Seeds DATABASE_URL with N applications and times every registered page, "
                    "the Excel export, the 申报表 PDF and the deadline rush.")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {','.join(PARTS)}")
    parser.add_argument("--iterations", type=int, default=30, help="rounds over the pages")
    parser.add_argument("--pdf-runs", type=int, default=15)
    parser.add_argument("--rush-submits", type=int, default=500)
    parser.add_argument("--rush-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    if unknown := parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    began = time.monotonic()
    _configure()
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    from . import seed as seeding

    engine = connection.vendor
    print(f"Database: {engine} {connection.settings_dict.get('NAME')}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    try:
        try:
            # Before migrating: a database of real data is not even migrated.
            seeding.database_check()
        except DatabaseError:
            pass  # no tables yet: a new database
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        world = seeding.seed(args.applications, verbose=True)
    except seeding.BenchmarkRefused as refusal:
        print(refusal, file=sys.stderr)
        return 2
    print(f"Seeded {world.applications} applications, {world.attachments} attachments in "
          f"{time.monotonic() - started:.1f} s")
    if engine != "postgresql":
        print("Note: not PostgreSQL; the targets of issue 7 are for PostgreSQL.")

    summary, misses = [], []
    if "pages" in parts:
        from .pages import measure_pages, page_rows

        started = time.monotonic()
        print("\nRequesting every registered page …", flush=True)
        results = measure_pages(world, iterations=args.iterations)
        rows = page_rows(results)
        print(f"\nPages: {args.iterations} interleaved rounds after 2 warm-up requests, server "
              f"time in ms ({time.monotonic() - started:.0f} s)")
        print(_table(["page", "median", "p95", "queries", "KB", "×floor", "×admin", "misses"],
                     rows))
        misses += [f"{row[0]}: {row[-1]}" for row in rows if row[-1] != "ok"]
    if "export" in parts:
        print("\nBuilding the Excel export of all applications in a child process …", flush=True)
        from .export import TARGET_GROWTH_MB, TARGET_SECONDS, measure_export

        figures = measure_export(world.users["commission_staff"])
        if "seconds" in figures:
            missed = [m for m, bad in (
                (f"> {TARGET_SECONDS:.0f} s", figures["seconds"] > TARGET_SECONDS),
                (f"memory growth ≥ {TARGET_GROWTH_MB:.0f} MB",
                 figures["growth_mb"] >= TARGET_GROWTH_MB),
                (f"status {figures['status']}", figures["status"] != "ready")) if bad]
            summary.append(["Excel export", f"{figures['rows']} rows, "
                            f"{figures['bytes'] / 2**20:.1f} MB file",
                            f"{figures['seconds']:.1f} s, peak RSS +{figures['growth_mb']:.0f} MB "
                            f"(from {figures['rss_before_mb']:.0f} MB)",
                            "≤ 5 s, < 100 MB", "; ".join(missed) or "ok"])
        else:
            summary.append(["Excel export", "", "failed", "", str(figures.get("error"))])
    if "pdf" in parts:
        print("\nRendering the 申报表 PDF …", flush=True)
        from applications.models import Application

        from .pdf import TARGET_SECONDS, measure_pdf

        template = (seeding._lead_applications().filter(has_joint_unit=True,
                                                        attachments__isnull=False)
                    .order_by("pk").values_list("pk", flat=True).first())
        figures = measure_pdf(template or Application.objects.values_list("pk").first()[0],
                              runs=args.pdf_runs)
        summary.append(["申报表 PDF", f"{args.pdf_runs} renders, {figures['kb']:.0f} KB",
                        f"median {figures['median']:.3f} s (CPU {figures['cpu_median']:.3f} s, "
                        f"max {figures['max']:.3f} s)", "≤ 0.5 s",
                        "ok" if figures["median"] <= TARGET_SECONDS else "median > 0.5 s"])
    if "rush" in parts:
        print("\nThe deadline rush through gunicorn …", flush=True)
        from .rush import measure_rush

        figures = measure_rush(submits=args.rush_submits, seconds=args.rush_seconds)
        missed = [m for m, bad in ((f"{figures['errors']} errors", figures["errors"]),
                                   (f"{figures['duplicates']} duplicates", figures["duplicates"]),
                                   (f"{figures['unsubmitted']} not submitted",
                                    figures["unsubmitted"])) if bad]
        summary.append(["Deadline rush", f"{figures['submits']} posts for "
                        f"{figures['applications']} drafts in {figures['seconds']:.0f} s, "
                        f"gunicorn × 2",
                        f"p95 {figures['p95_ms']:.0f} ms (median {figures['median_ms']:.0f} ms), "
                        f"{figures['errors']} errors, {figures['duplicates']} duplicates",
                        "0 errors, 0 duplicates", "; ".join(missed) or "ok"])
        if figures["error_samples"]:
            print(f"rush errors (gunicorn's log: {figures['log']}), first ones:",
                  *figures["error_samples"], sep="\n  ")
    if summary:
        print()
        print(_table(["measure", "what", "figure", "target", "misses"], summary))
        misses += [f"{row[0]}: {row[-1]}" for row in summary if row[-1] != "ok"]
    print(f"\nTotal run time {time.monotonic() - began:.0f} s; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs.")
    if misses:
        print("Misses its target:", *misses, sep="\n  ")
    elif parts - {"seed"}:
        print("Every figure meets its target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
