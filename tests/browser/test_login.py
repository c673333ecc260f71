"""Every demo account logs in through the form and lands on its own role's dashboard."""

import re

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from portal.management.commands.seed_demo import ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Written out rather than reversed from the view's table, so that a wrong mapping there fails.
DASHBOARD_PATHS = {
    Role.APPLICANT: "/dashboard/applicant/",
    Role.DISTRICT_OFFICIAL: "/dashboard/district/",
    Role.COMMISSION_STAFF: "/dashboard/commission/",
    Role.INDUSTRY_STAFF: "/dashboard/industry/",
    Role.THIRD_PARTY_STAFF: "/dashboard/third-party/",
    Role.EXPERT: "/dashboard/expert/",
    Role.AUDITOR: "/dashboard/auditor/",
}


def test_every_role_has_a_demo_account():
    assert {role for _, _, role, _, _ in ACCOUNTS} == set(Role)


@pytest.mark.parametrize(
    ("username", "real_name", "role"),
    [(username, real_name, role) for username, real_name, role, _, _ in ACCOUNTS],
    ids=[account[0] for account in ACCOUNTS],
)
def test_demo_account_logs_in_to_its_dashboard_and_out(
    page, portal, log_in, log_out, username, real_name, role
):
    log_in(page, username, DEMO_PASSWORD)

    expect(page).to_have_url(portal + DASHBOARD_PATHS[role])
    dashboard = page.locator("[data-testid=dashboard]")
    expect(dashboard).to_have_attribute("data-role", role.value)
    expect(dashboard).to_contain_text(real_name)
    expect(page).to_have_title(re.compile(f"^{role.label}工作台"))

    log_out(page)

    expect(page).to_have_url(portal + "/")
    expect(page.locator(".navbar").get_by_role("link", name="登录")).to_be_visible()
    page.goto(portal + DASHBOARD_PATHS[role])
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_locked_out_after_five_failed_logins(page, portal, log_in):
    # 等保2.0: five wrong passwords lock the account, even against the right one.
    username = "official_laoshan"
    for _ in range(5):
        log_in(page, username, "Wrong@2026")
        expect(page.locator("[data-testid=dashboard]")).to_have_count(0)

    log_in(page, username, DEMO_PASSWORD)

    locked = page.locator("#locked-out")
    expect(locked).to_be_visible()
    expect(locked).to_contain_text("账号已被临时锁定")
    expect(locked).to_contain_text("连续5次登录失败")
    expect(page.locator("[data-testid=dashboard]")).to_have_count(0)
    page.goto(portal + "/dashboard/district/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
