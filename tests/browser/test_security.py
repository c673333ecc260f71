"""Under the Content-Security-Policy the pages still work: no script or style is blocked, the
call page's countdown runs from its static file, and confirmations ask before a form is sent."""

import re

import pytest
from playwright.sync_api import expect

from applications.demo import DEMO_CALL_TITLE
from applications.enums import ApplicationStatus
from applications.models import Application
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def csp_violations(page):
    """Messages of everything the browser refused under the policy, and script errors."""
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    return violations


def test_public_and_staff_pages_break_no_rule_of_the_policy(page, portal, log_in,
                                                             csp_violations):
    page.goto(portal + "/")
    # The call open now (the demo's second call opens next week and counts down nothing).
    page.locator("#open-calls a", has_text=re.compile(f"^{re.escape(DEMO_CALL_TITLE)}$")).click()
    # The countdown is rewritten every second by static/js/countdown.js.
    expect(page.locator("#countdown")).to_have_text(re.compile(r"天 \d+ 小时 \d+ 分 \d+ 秒"))
    page.goto(portal + "/accounts/login/")
    page.goto(portal + "/accounts/register/")
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(portal + "/accounts/lockouts/")
    page.goto(portal + "/admin/")
    page.goto(portal + "/admin/accounts/organisationclaim/")

    assert csp_violations == []


def test_withdrawing_asks_first_and_a_cancel_keeps_the_form_usable(page, portal, log_in,
                                                                    csp_violations):
    # A demo submission nobody has decided on yet: only that can still be withdrawn.
    application = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED, organisation__memberships__isnull=False,
    ).order_by("pk").first()
    user = application.organisation.memberships.order_by("pk").first().user
    log_in(page, user.username, DEMO_PASSWORD)
    page.goto(f"{portal}/applications/{application.pk}/")
    button = page.get_by_role("button", name="撤回申报")

    page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    page.wait_for_timeout(300)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    expect(button).not_to_have_class(re.compile("disabled"))

    page.once("dialog", lambda dialog: dialog.accept())
    button.click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status != ApplicationStatus.SUBMITTED
    assert csp_violations == []
