"""The 申报表 steps as typed in Chromium: Enter goes forward, the joint unit's fields follow the
choice, the counter counts what the eye sees, and a step left incomplete says so."""

import pytest
from playwright.sync_api import expect

from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]

FAMILY = "👨\u200d👩\u200d👧"


def test_enter_saves_and_goes_forward_and_the_joint_form_follows_the_choice(page, portal,
                                                                             log_in):
    log_in(page, "applicant_jimo", DEMO_PASSWORD)
    page.goto(portal + "/")
    page.locator("#open-calls a").first.click()
    page.locator("#apply-now").click()
    expect(page.get_by_test_id("step-title")).to_have_text("一、单位基本情况（承建主体）")
    expect(page.locator("#required-legend")).to_contain_text("为必填项")

    # Enter in a text field: saved, and the next step (never the previous one).
    page.fill("#id_lead-legal_representative", "李纺")
    page.press("#id_lead-legal_representative", "Enter")
    page.wait_for_load_state()
    expect(page.get_by_test_id("step-title")).to_have_text("一、单位基本情况（联合承建主体）")
    expect(page.locator(".alert-warning").filter(has_text="尚未填写完整")).to_contain_text("尚未填写完整")

    # Nothing chosen yet: the joint unit's fields are hidden; 有 shows them, 无 hides them.
    fields = page.locator("#joint-unit-fields")
    expect(fields).to_be_hidden()
    page.check('input[name="choice-has_joint_unit"][value="1"]')
    expect(fields).to_be_visible()
    page.fill("#id_joint-name", "青岛联合研究院")
    page.check('input[name="choice-has_joint_unit"][value="0"]')
    expect(fields).to_be_hidden()
    expect(page.locator('[data-step="joint"]')).to_have_attribute("data-done", "0")
    page.get_by_role("button", name="保存并下一步").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("step-title")).to_have_text("二、赋能中心基本情况")
    expect(page.locator('[data-step="joint"]')).to_have_attribute("data-done", "1")

    # Enter on a step with a 上一步 button still goes forward.
    page.fill("#id_center_name", "青岛市纺织服装产业数字化转型赋能中心")
    page.press("#id_center_name", "Enter")
    page.wait_for_load_state()
    expect(page.get_by_test_id("step-title")).to_have_text("三、行业服务情况 · 四、建设内容")

    # 499 characters and a family emoji are 500, as on screen and on the server.
    page.fill("#id_service_summary", "数" * 499 + FAMILY)
    expect(page.locator("#id_service_summary-counter")).to_have_text("500 / 500 字")
    expect(page.locator("#id_service_summary-counter")).not_to_have_class(
        "form-text char-counter over")
    assert page.evaluate("portalCharCount('a\\u0301\\r\\n' + '👨\\u200d👩\\u200d👧')") == 3
