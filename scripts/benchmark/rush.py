"""The deadline rush: N applicants submit their complete drafts within a window, through
gunicorn (2 workers) against the benchmark's database, as browsers do (session cookie, CSRF
token, the review page's `confirm=1` and one-time form token). One in ten double-clicks: the
same form posted twice at once must still make one submission.

Counts errors (an answer other than 2xx/3xx, a refusal sent back to the review page, a lost
connection), duplicates (an application moved to 已提交 twice, or a draft left unsubmitted),
and the p95 of the answers."""

import http.client
import os
import random
import signal
import socket
import subprocess
import tempfile
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from .pages import percentile

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
DOUBLE_CLICK_EVERY = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log) -> subprocess.Popen:
    """gunicorn with `WORKERS` workers on 127.0.0.1:`port`, the benchmark's rush settings,
    its log written to the open file `log`; returns once it answers. Raises RuntimeError when
    it does not within 60 s."""
    env = os.environ.copy() | {"DJANGO_SETTINGS_MODULE": "scripts.benchmark.rush_settings"}
    env.pop("REDIS_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--log-level", "warning",
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped; see its log {log.name}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _sessions(user_ids) -> dict[int, str]:
    """A signed-in session per user, as a login makes it; {user id: session key}."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    keys = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[user.pk] = session.session_key
    return keys


def measure_rush(*, submits: int = 500, seconds: float = 60.0, concurrency: int = 64) -> dict:
    """Runs the rush; returns {"submits", "errors", "duplicates", "unsubmitted", "p95_ms",
    "median_ms", "seconds", "error_samples"}."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count
    from django.utils.crypto import get_random_string

    from applications.models import Application
    from core.formtokens import form_token_new
    from core.models import StatusChange

    from .seed import rush_drafts, rush_reset

    drafts = rush_drafts(submits)
    sessions = _sessions([user_id for _, user_id in drafts])
    csrf = get_random_string(32)
    port = free_port()
    rng = random.Random(7)
    # Arrivals spread at random over the window: bursts, as at a real deadline.
    arrivals = sorted(rng.uniform(0, seconds) for _ in drafts)
    plan = []
    for k, ((application_id, user_id), at) in enumerate(zip(drafts, arrivals)):
        body = urlencode({"csrfmiddlewaretoken": csrf, "confirm": "1",
                          "form_token": form_token_new()})
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={sessions[user_id]}; "
                             f"{settings.CSRF_COOKIE_NAME}={csrf}",
                   "Content-Type": "application/x-www-form-urlencoded"}
        path = f"/applications/{application_id}/submit/"
        plan.append((at, path, body, headers))
        if k % DOUBLE_CLICK_EVERY == 0:
            plan.append((at + 0.005, path, body, headers))
    plan.sort(key=lambda item: item[0])

    times, errors, lock = [], [], threading.Lock()

    def post(item, started):
        at, path, body, headers = item
        delay = started + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        begun = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            location = response.getheader("Location", "")
            ok = 200 <= response.status < 400 and "/review/" not in location
            problem = None if ok else f"{response.status} {location}"
        except OSError as error:
            problem = f"{type(error).__name__}: {error}"
        elapsed = (time.perf_counter() - begun) * 1000
        with lock:
            times.append(elapsed)
            if problem:
                errors.append(problem)

    log = tempfile.NamedTemporaryFile("w+", prefix="benchmark-gunicorn-", suffix=".log",
                                      delete=False)
    process = start_gunicorn(port, log)
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for item in plan:
                pool.submit(post, item, started)
        wall = time.monotonic() - started
    finally:
        stop_gunicorn(process)
        log.close()

    ids = [str(application_id) for application_id, _ in drafts]
    # Earlier rushes submitted the same drafts: count each application's moves of this run.
    moves = (StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id__in=ids,
        to_status="submitted", occurred_at__gte=_rush_started(started))
        .values("object_id").annotate(n=Count("id")))
    twice = sum(1 for row in moves if row["n"] > 1)
    submitted = Application.objects.filter(pk__in=ids, status="submitted")
    receipts = submitted.values("receipt_number").distinct().count()
    figures = {"submits": len(plan), "applications": len(drafts), "errors": len(errors),
            "error_samples": errors[:5], "duplicates": twice + (submitted.count() - receipts),
            "unsubmitted": len(drafts) - submitted.count(),
            "p95_ms": percentile(times, 95), "median_ms": percentile(times, 50),
            "seconds": wall, "log": log.name}
    rush_reset()  # the seeded state again, for the pages of the next run
    return figures


def _rush_started(monotonic_start: float):
    import datetime

    from django.utils import timezone

    return timezone.now() - datetime.timedelta(seconds=time.monotonic() - monotonic_start + 1)
