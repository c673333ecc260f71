"""An applicant fills the whole 申报表 in Chromium: errors keep input, leaving resumes, files go up,
the application is submitted once, and the PDF comes down."""

import re

import pytest
from playwright.sync_api import expect

from applications.demo import DEMO_CALL_TITLE
from applications.models import Application
from applications.plan import PLAN_HEADINGS
from portal.management.commands.seed_demo import DEMO_PASSWORD
from core.transitions import status_history
from tests.applications.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]


def _next(page):
    page.get_by_role("button", name="保存并下一步").click()
    page.wait_for_load_state()


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def test_applicant_fills_submits_and_downloads(page, portal, log_in):
    log_in(page, "applicant_jimo", DEMO_PASSWORD)
    page.goto(portal + "/")
    page.locator("#open-calls").get_by_role("link", name=DEMO_CALL_TITLE, exact=True).click()
    page.locator("#apply-now").click()
    expect(page.get_by_test_id("step-title")).to_have_text("一、单位基本情况（承建主体）")
    expect(page.locator("#id_lead-name")).to_have_value("青岛即墨纺织数字科技有限公司")

    # 一、承建主体: the lead unit's identity comes pre-filled from its registration.
    page.fill("#id_lead-registered_on", "2016-03-08")
    page.fill("#id_lead-registered_capital", "3000")
    page.fill("#id_lead-revenue_last_year", "1.5")
    page.fill("#id_lead-rd_investment_last_year", "900")
    expect(page.locator("#rd-ratio strong")).to_have_text("6.00%")  # 900万元 / 1.5亿元
    page.fill("#id_lead-enterprise_qualification", "高新技术企业")
    page.fill("#id_lead-industry_qualification", "纺织行业数字化服务商")
    page.fill("#id_lead-legal_representative", "李纺")
    page.fill("#id_lead-phone", "0532-87776655")
    _next(page)

    # 一、联合承建主体: none.
    page.check('input[name="choice-has_joint_unit"][value="0"]')
    _next(page)

    # 二、赋能中心基本情况, with a wrong phone number first: the error is in Chinese and
    # everything typed stays on the page.
    page.fill("#id_center_name", "青岛市纺织服装产业数字化转型赋能中心")
    page.select_option("#id_industry_field", label="纺织服装")
    people = {"director": "刘芳", "tech_lead": "陈工", "service_lead": "周服"}
    for prefix, name in people.items():
        page.fill(f"#id_{prefix}_name", name)
        page.fill(f"#id_{prefix}_title", "高级工程师")
        page.fill(f"#id_{prefix}_phone", "13912345678")
        page.fill(f"#id_{prefix}_email", f"{prefix}@jimo.example.cn")
    page.fill("#id_director_phone", "12345")
    _next(page)
    expect(page.locator("#id_director_phone + .invalid-feedback, #error_1_id_director_phone")
           .first).to_contain_text("请填写有效的联系电话")
    expect(page.locator("#id_center_name")).to_have_value("青岛市纺织服装产业数字化转型赋能中心")
    expect(page.locator("#id_director_phone")).to_have_value("12345")
    expect(page.locator("#id_tech_lead_name")).to_have_value("陈工")
    page.fill("#id_director_phone", "13912345678")
    _next(page)

    # 三、四: the live counter counts what the user sees; 501 characters are refused.
    page.fill("#id_service_summary", "纺" * 501)
    expect(page.locator("#id_service_summary-counter")).to_have_text("501 / 500 字")
    expect(page.locator("#id_service_summary-counter")).to_have_class("form-text char-counter over")
    page.fill("#id_construction_content", "建设纺织服装行业数字化诊断与解决方案平台。")
    _next(page)
    expect(page.locator("body")).to_contain_text("不能超过500字")
    expect(page.locator("#id_construction_content")).to_have_value(
        "建设纺织服装行业数字化诊断与解决方案平台。")
    page.fill("#id_service_summary", "为即墨区200余家纺织企业提供数字化诊断服务。")
    _next(page)

    # 五、建设目标
    for name in ("goal_key_technologies", "goal_scenarios", "goal_solutions", "goal_patents"):
        page.fill(f"#id_{name}", "4")
        page.fill(f"#id_{name}_note", "三年内完成。")
    _next(page)

    # 建设方案
    for item in PLAN_HEADINGS:
        if item.required:
            page.fill(f"#id_{item.field}", "按建设方案提纲填写的内容。")
    _next(page)
    expect(page.get_by_test_id("step-title")).to_have_text("附件材料")

    # Leave, come back through the dashboard: the application resumes at the attachments.
    page.goto(portal + "/")
    page.goto(portal + "/dashboard/")
    page.locator("#application-list a").first.click()
    page.locator("#resume").click()
    expect(page.get_by_test_id("step-title")).to_have_text("附件材料")

    # 附件: a file that is not what its name says is refused; the draft is intact.
    page.select_option("#id_kind", value="qualification")
    page.set_input_files("#id_file", {"name": "营业执照.pdf", "mimeType": "application/pdf",
                                      "buffer": b"this is not a pdf"})
    page.get_by_role("button", name="上传").click()
    expect(page.locator("body")).to_contain_text("不是有效的")
    page.select_option("#id_kind", value="qualification")
    page.set_input_files("#id_file", _pdf("营业执照.pdf"))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#attachment-list")).to_contain_text("营业执照.pdf")
    page.select_option("#id_kind", value="case")
    page.set_input_files("#id_file", _pdf("诊断案例.pdf"))
    page.get_by_role("button", name="上传").click()
    expect(page.locator("#attachment-list")).to_contain_text("诊断案例.pdf")
    page.get_by_role("button", name="下一步").click()

    # 回避申请 is optional: nothing named, on to the commitment.
    expect(page.get_by_test_id("step-title")).to_have_text("回避申请（可选）")
    page.get_by_role("button", name="保存并下一步").click()

    # 承诺与提交: the sealed scan, the commitment, one submission for a double click.
    expect(page.get_by_test_id("step-title")).to_have_text("承诺与提交")
    expect(page.locator("#lead-commitment-text")).to_contain_text("青岛市公共数据服务平台开放共享")
    page.set_input_files("#sealed-upload-form input[type=file]", _pdf("盖章申报表.pdf"))
    page.get_by_role("button", name="上传盖章扫描件").click()
    expect(page.locator("body")).to_contain_text("盖章申报表.pdf")
    page.check("#id_lead_commitment")
    page.locator("#submit-application").click()

    # 检查并提交: everything read-only, then one confirmed submission for a double click.
    expect(page.locator("#review-destination")).to_contain_text("即墨区发展和改革局")
    expect(page.locator("#review-content")).to_contain_text("纺织行业数字化服务商")
    page.on("dialog", lambda dialog: dialog.accept())
    page.check("#confirm-checked")
    page.locator("#confirm-submit").dblclick()
    page.wait_for_load_state()

    # The receipt: its number, the time, where it went.
    # The 申报表 PDF renders in-process on commit here (no broker), so give the answer time.
    expect(page.locator("#receipt-number")).to_have_text(re.compile(r"^2026-即墨-\d{4}$"),
                                                         timeout=30_000)
    expect(page.locator("#receipt-destination")).to_contain_text("即墨区发展和改革局")
    page.get_by_role("link", name="返回申报").click()
    expect(page.locator("#application-status")).to_have_text("已提交")
    expect(page.locator("#routing")).to_contain_text("即墨区发展和改革局")
    expect(page.locator("#timeline")).to_contain_text("提交申报")

    application = Application.objects.get(organisation__name="青岛即墨纺织数字科技有限公司")
    assert application.status == "submitted"
    assert [change.transition for change in status_history(application)] == ["submit"]

    # The 申报表 PDF was rendered after submission; it downloads as a PDF.
    form_row = page.locator('#documents [data-variant="form"]')
    expect(form_row).to_have_attribute("data-status", "ready")
    with page.expect_download() as download_info:
        form_row.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
