"""The Excel export of every application: time and peak memory growth of
`applications.services.application_export_build`, run in a child process so that its peak
resident set (ru_maxrss) is the build's own, not the benchmark's.

    python -m scripts.benchmark.export <export id>     (the child; prints one JSON line)
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 5.0
TARGET_GROWTH_MB = 100.0
ROOT = Path(__file__).resolve().parents[2]


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(export_id: int) -> dict:
    import django

    django.setup()
    from applications.services import application_export_build

    # Imports and the first connection before the baseline: the build's own growth is measured.
    from applications.models import ApplicationExport

    ApplicationExport.objects.filter(pk=export_id).exists()
    before = _rss_kb()
    started = time.perf_counter()
    export = application_export_build(export_id=export_id)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "rows": export.row_count, "status": export.status,
            "error": export.error, "bytes": export.file.size if export.file else 0,
            "rss_before_mb": before / 1024, "peak_mb": peak / 1024,
            "growth_mb": (peak - before) / 1024}


def measure_export(actor) -> dict:
    """Builds an export of all applications as `actor` (the commission) in a child process;
    returns the child's figures. The export row and its file are removed afterwards."""
    from applications.models import ApplicationExport

    export = ApplicationExport.objects.create(requested_by=actor, params={})
    try:
        done = subprocess.run([sys.executable, "-m", "scripts.benchmark.export", str(export.pk)],
                              cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True,
                              timeout=600)
        if done.returncode:
            return {"error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        export.refresh_from_db()
        if export.file:
            export.file.delete(save=False)
        export.delete()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(child(int(sys.argv[1]))))
