"""The 申报表 PDF: the median of N renders of a seeded complete application (lead and joint
unit, every field filled, 三 and 四 at their 500-character limit, attachments listed), rendered
the way the worker does (content → HTML → WeasyPrint PDF), without writing files."""

import os
import statistics
import time

TARGET_SECONDS = 0.5


def measure_pdf(application_id: int, *, runs: int = 15) -> dict:
    """{"kb", "first", "median", "min", "max", "cpu_median"} in seconds (kb in KiB). The first
    render loads the fonts (a running worker has them already) and is not counted."""
    from applications.documents import document_content, document_pdf
    from applications.models import Application
    from applications.selectors import application_with_details

    def render():
        application = application_with_details(Application.objects.all()).get(pk=application_id)
        return document_pdf(document_content(application, "form"))

    started = time.perf_counter()
    pdf = render()
    first = time.perf_counter() - started
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    # Rendering is single-threaded: on a busy machine the wall time grows, the CPU time not.
    return {"kb": len(pdf) / 1024, "first": first, "median": statistics.median(wall),
            "min": min(wall), "max": max(wall), "cpu_median": statistics.median(cpu),
            "load": os.getloadavg()[0]}
