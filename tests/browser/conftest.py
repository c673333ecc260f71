"""Browser fixtures: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Never `playwright install`: the tests use the system Chromium (`apt-get install chromium`).
"""

import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.conftest import reference_data_restore

# Playwright's sync API keeps an event loop running in the test thread for the whole session,
# so Django's async-safety check would refuse every ORM call made from the test thread (ours
# and those of the tests that run after us).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_phase_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's outcome on the test item so that the page fixture knows, while it is
    # torn down, whether to leave a screenshot behind.
    report = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        reason = (
            "Chromium is not installed: the browser tests need the Debian package `chromium` "
            "(`make test` installs it, or `sudo apt-get install chromium`)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() runs Chromium with a fresh temporary profile, removed on close.
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _wait_for_requests_to_finish(timeout=5.0):
    """Until no other connection to the test database is busy (PostgreSQL): a request the page
    sent as it closed (an autosave on leaving, a poll) may still be writing, and its row locks
    deadlock the flush that ends the test."""
    if connection.vendor != "postgresql":
        return
    time.sleep(0.2)  # a request sent as the page closed reaches the server
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND pid <> pg_backend_pid() AND state <> 'idle'")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@pytest.fixture
def page(browser, request, transactional_db, live_server):
    # Set up after the live server's database, so torn down before it is flushed.
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    screenshot = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", request.node.nodeid).strip("_") + ".png")
    screenshot.unlink(missing_ok=True)  # a screenshot left by an earlier failing run
    yield page
    reports = request.node.stash.get(_phase_reports, {})
    if any(report.failed for report in reports.values()):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=screenshot, full_page=True)
    context.close()
    _wait_for_requests_to_finish()


@pytest.fixture
def save_screenshot():
    """Keeps a full-page screenshot under test-artifacts/ for people to look at."""

    def save_screenshot(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return save_screenshot


def _reset_to_migrated_state():
    # Start every browser test from the state `migrate` leaves, whatever ran before.
    call_command("flush", interactive=False, verbosity=0)
    reference_data_restore()


@pytest.fixture
def portal(live_server):
    """The live server's base URL, on a freshly migrated database with the demo data loaded."""
    _reset_to_migrated_state()
    with override_settings(DEBUG=True):  # seed_demo refuses to run with DEBUG off
        call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def log_in(portal):
    def log_in(page, username, password):
        page.goto(f"{portal}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_load_state()

    return log_in


@pytest.fixture
def log_out():
    def log_out(page):
        page.locator(".navbar .dropdown-toggle").click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_load_state()

    return log_out
