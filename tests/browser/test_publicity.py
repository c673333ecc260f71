"""第十九条 in Chromium: a center's user writes a 典型案例 in the editor (bold, a heading, a list,
a link), the text autosaves, the case is submitted and the commission approves it; the public
page shows the formatting and nothing else. No request leaves the portal."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.models import User
from applications.services import organisation_members
from centers.enums import CaseStudyStatus
from centers.models import CaseStudy, Center
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_case_is_written_in_the_editor_submitted_and_approved(page, portal, log_in, log_out,
                                                                 save_screenshot):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.accept("https://www.qingdao.gov.cn/")
            if dialog.type == "prompt" else dialog.accept())
    user = User.objects.get(username="applicant_ls_designated2")
    center = next(c for c in Center.objects.filter(status="active")
                  if user in organisation_members(c.application.organisation_id))

    with override_settings(AUTOSAVE_INTERVAL_SECONDS=1):
        log_in(page, "applicant_ls_designated2", DEMO_PASSWORD)
        page.goto(f"{portal}/center/{center.pk}/")
        page.locator("#center-cases-link").click()
        page.locator("#case-new-link").click()
        page.locator("#id_title").fill("浏览器中写的案例")
        editor = page.locator(".rich-editor-area")
        editor.click()
        page.keyboard.type("背景")
        page.get_by_role("button", name="小标题").click()
        page.keyboard.press("End")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="加粗").click()
        page.keyboard.type("成效显著")
        page.get_by_role("button", name="加粗").click()
        page.keyboard.press("Enter")
        page.get_by_role("button", name="项目列表").click()
        page.keyboard.type("第一条")
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_url("**/cases/*/")

        case = CaseStudy.objects.get(title="浏览器中写的案例")
        assert "<h3>背景</h3>" in case.body
        assert "<strong>成效显著</strong>" in case.body or "<b>成效显著</b>" in case.body
        assert "<li>第一条</li>" in case.body

        # Typing again is autosaved: the version moves on without a click.
        version = case.version
        page.locator(".rich-editor-area").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("自动保存的文字")
        expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=15_000)
        for _ in range(50):  # the last keystrokes go with the next save, a second later
            case.refresh_from_db()
            if "自动保存的文字" in case.body:
                break
            page.wait_for_timeout(200)
        assert "自动保存的文字" in case.body and case.version > version

        page.get_by_role("button", name="提交审核").click()
        page.wait_for_load_state()
        expect(page.locator("#case-status")).to_have_text("待审核")
    log_out(page)

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/commission/cases/")
    page.get_by_role("link", name="浏览器中写的案例").click()
    page.get_by_role("button", name="审核通过并发布").click()
    page.wait_for_load_state()
    expect(page.locator("#case-status")).to_have_text("已发布")
    log_out(page)

    page.goto(f"{portal}/cases/")
    page.get_by_role("link", name="浏览器中写的案例").click()
    expect(page.locator("#case-body h3")).to_have_text("背景")
    expect(page.locator("#case-body")).to_contain_text("自动保存的文字")
    save_screenshot(page, "publicity-case")
    assert CaseStudy.objects.get(pk=case.pk).status == CaseStudyStatus.PUBLISHED
    outside = [url for url in requests if not url.startswith(portal)]
    assert outside == []


def test_the_commission_writes_news_in_admin_with_the_editor(page, portal, log_in):
    """Django admin loads the form's media in <head>: the editor still enhances the body (its
    toolbar's icons drawn), and an empty body is the server's error on the field, not a silent stop."""
    from centers.models import Article

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/admin/centers/article/add/")
    expect(page.locator(".rich-editor-area")).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()
    bold_icon = page.locator(".rich-editor-toolbar .bi-type-bold")
    assert bold_icon.evaluate("e => getComputedStyle(e, '::before').fontFamily") \
        == "bootstrap-icons"
    page.locator("#id_kind").select_option("news")
    page.locator("#id_title").fill("后台编辑器写的新闻")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    expect(page.locator(".field-body .errorlist")).to_be_visible()
    page.locator(".rich-editor-area").click()
    page.get_by_role("button", name="小标题").click()
    page.keyboard.type("会议要求")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert Article.objects.get(title="后台编辑器写的新闻").body == "<h3>会议要求</h3>"


def test_a_revoked_centers_case_is_marked_and_the_district_reads_its_cases(page, portal, log_in):
    page.goto(f"{portal}/cases/")
    marked = page.locator("#case-rows .case-of-revoked-center")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("被撤销认定资格")
    expect(page.locator("#case-rows a").last).to_contain_text("针织企业订单排产数字化改造")
    marked.click()
    expect(page.locator("#case-revoked-note")).to_contain_text("该赋能中心已于")

    log_in(page, "official_jimo", DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#district-cases-link").click()
    rows = page.locator("#case-rows")
    expect(rows).to_contain_text("电池包装配线质量追溯系统建设")
    expect(rows).not_to_contain_text("注塑件质量在线检测")
    page.get_by_role("link", name="电池包装配线质量追溯系统建设").click()
    expect(page.locator("#case-status")).to_have_text("退回修改")
