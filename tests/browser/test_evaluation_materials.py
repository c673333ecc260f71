"""第十八条 in Chromium: a center's user writes its 运行自评估报告, uploads a 佐证材料 without
saving first (what was typed is saved before the upload leaves the page, and the browser does
not ask), then submits; the 主管部门's official reads it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from evaluations.indicators import table_install_default
from evaluations.models import Evaluation, EvaluationCycle
from portal.management.commands.seed_demo import DEMO_PASSWORD

from .test_changes import PDF, _demo_center

pytestmark = pytest.mark.browser


def test_typed_text_survives_an_upload_and_the_materials_are_submitted(
        page, portal, log_in, log_out, tmp_path, save_screenshot):
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    center = _demo_center()
    commission = User.objects.get(username="commission")
    table = table_install_default(actor=commission, name="浏览器测试指标")
    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=2030, title="2030年度运行评估评价", window_start=datetime.date(2029, 1, 1),
        window_end=datetime.date(2029, 12, 31), table=table,
        materials_due=now + datetime.timedelta(days=5),
        district_due=now + datetime.timedelta(days=10), status="open", opened_at=now,
        created_by=commission)
    evaluation = Evaluation.objects.create(cycle=cycle, center=center,
                                           department_id=center.department_id)
    indicators = list(table.indicators.order_by("order"))

    log_in(page, "applicant_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/center/{center.pk}/")
    page.locator("#center-evaluations-link").click()
    page.get_by_role("link", name="填写运行自评估报告").first.click()
    page.locator("#id_report").fill("本年度服务企业一百余家，完成建设目标。")
    page.locator(f"#score_{indicators[0].pk}").fill("20")
    upload = tmp_path / "签到表.pdf"
    upload.write_bytes(PDF)
    first_files = page.locator(f"#files-{indicators[0].pk}")
    first_files.locator("input[type=file]").set_input_files(str(upload))
    first_files.get_by_role("button", name="上传").click()
    page.wait_for_url(f"**#files-{indicators[0].pk}")

    expect(page.locator(f"#files-{indicators[0].pk}")).to_contain_text("签到表.pdf")
    assert "beforeunload" not in dialogs
    assert page.locator("#id_report").input_value() == "本年度服务企业一百余家，完成建设目标。"
    assert page.locator(f"#score_{indicators[0].pk}").input_value() == "20"

    for indicator in indicators:
        page.locator(f"#score_{indicator.pk}").fill(str(int(indicator.weight) - 1))
    page.locator("#submit-materials").click()
    page.wait_for_load_state()
    save_screenshot(page, "evaluation-materials-submitted")
    assert "评价材料已报送主管部门" in page.content()
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted" and evaluation.figures["window_end"] == "2029-12-31"

    log_out(page)
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/evaluations/?cycle={cycle.pk}")
    page.get_by_role("link", name="初审", exact=True).click()
    assert "本年度服务企业一百余家" in page.locator("#report-text").inner_text()
