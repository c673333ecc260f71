"""A button pressed after the session ended: after signing in again the user reads the
portal's Chinese page, not Chromium's English "HTTP ERROR 405"."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from applications.demo import DEMO_CALL_TITLE
from applications.models import Call
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]


def test_apply_pressed_after_the_session_ended_leads_to_a_chinese_page(page, portal, log_in):
    log_in(page, "applicant_jimo", DEMO_PASSWORD)
    call = Call.objects.get(title=DEMO_CALL_TITLE)  # the open one
    page.goto(f"{portal}/calls/{call.pk}/")
    Session.objects.all().delete()
    page.locator("#apply-now").click()
    page.wait_for_load_state()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill("applicant_jimo")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()

    expect(page.locator("main")).to_contain_text("此操作需在页面上点击相应按钮办理")
    expect(page.get_by_role("link", name="我的工作台").last).to_be_visible()
