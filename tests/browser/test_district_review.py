"""第八条、第九条（二）in Chromium, as the people do it: 崂山区's official reviews a submitted
application and returns it; the unit reads the reasons, corrects a field and resubmits; the
official sees the change, recommends, reorders the department's list and sends the batch; the
commission sees the batch arrive in time and moves a recommended application on to 专家评审."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from applications.demo import DEMO_CALL_TITLE
from applications.models import Application
from core.models import AuditEvent
from portal.management.commands.seed_demo import DEMO_PASSWORD
from reviews.demo import UNITS, _uscc
from tests.test_english import english_words
from reviews.models import DistrictReview, RecommendationBatch

pytestmark = pytest.mark.browser

# The demo's unit whose submission 崂山区 has only a saved draft for.
DRAFT_UNIT = next(u for u in UNITS if u[5] == "draft")
REASONS = "请在建设内容中写明三年内服务的企业数量。"
ADDED = "三年内服务崂山区中小企业不少于200家。"


def _confirm_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


def _chinese_only(page):
    """No English word or code name on the page as Chromium shows it."""
    page.wait_for_load_state()
    assert english_words(page.content()) == [], page.url


def test_district_review_return_resubmit_recommend_batch_and_intake(page, portal, log_in,
                                                                    log_out, save_screenshot):
    _confirm_dialogs(page)
    sequence, username = DRAFT_UNIT[0], DRAFT_UNIT[2]
    application = Application.objects.get(
        organisation=Organisation.objects.get(uscc=_uscc(sequence)), status="submitted",
        call__title=DEMO_CALL_TITLE)
    call_id = application.call_id

    # 1. The official opens the inbox and the application's review page.
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/")
    page.locator("#review-inbox a", has_text=application.center_name).first.click()
    expect(page.locator("#application-status")).to_have_text("已提交")
    expect(page.locator("#review-content")).to_contain_text(application.center_name)
    _chinese_only(page)

    # The checklist: 规范性 fails; reasons for the unit; returned (a double click acts once).
    page.check("input[name=conformity][value=failed]")
    page.fill("#id_conformity_note", "建设内容未写明服务企业数量。")
    page.fill("#id_applicant_reasons", REASONS)
    page.fill("#id_internal_note", "内部备注：核实后再排序。")
    page.locator("#decide-return").dblclick()
    page.wait_for_load_state()
    expect(page.locator("#application-status")).to_have_text("退回修改")
    expect(page.locator("#returned-state")).to_be_visible()
    assert DistrictReview.objects.filter(application=application, outcome="returned").count() == 1
    log_out(page)

    # 2. The unit reads the reasons, corrects 建设内容 and resubmits.
    log_in(page, username, DEMO_PASSWORD)
    page.goto(f"{portal}/applications/{application.pk}/")
    expect(page.locator("body")).to_contain_text(REASONS)
    expect(page.locator("body")).not_to_contain_text("内部备注")
    _chinese_only(page)
    page.locator("#resume").click()
    page.goto(f"{portal}/applications/{application.pk}/step/service/")
    content = page.locator("#id_construction_content")
    content.fill(content.input_value() + ADDED)
    # The typing's autosave is on its way: the step is sent once it has answered.
    with page.expect_navigation():
        page.get_by_role("button", name="保存并下一步").click()
    page.wait_for_load_state()
    page.goto(f"{portal}/applications/{application.pk}/review/")
    page.check("#confirm-checked")
    page.locator("#confirm-submit").dblclick()
    expect(page.locator("#receipt-number")).to_have_text(application.receipt_number)
    application.refresh_from_db()
    assert application.status == "submitted"
    log_out(page)

    # 3. The official sees the changed field and recommends with an opinion.
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/{application.pk}/")
    changes = page.locator("#resubmission-changes")
    expect(changes).to_contain_text("建设内容")
    expect(changes).to_contain_text(ADDED)
    _chinese_only(page)
    # A new round: the checklist starts afresh.
    for item in ("authenticity", "accuracy", "conformity"):
        page.check(f"input[name={item}][value=passed]")
    page.fill("#id_conformity_note", "已补充服务企业数量。")
    page.fill("#id_opinion", "修改后材料真实、准确、规范，同意推荐。")
    page.locator("#decide-recommend").dblclick()
    page.wait_for_load_state()
    expect(page.locator("#application-status")).to_have_text("已推荐")
    recommended = DistrictReview.objects.filter(application=application, outcome="recommended")
    assert recommended.count() == 1
    assert recommended.get().rank == 3  # after the demo's two recommendations

    # 4. The ranking: moved up twice, it heads the list; ranks stay 1..3.
    page.goto(f"{portal}/district/recommendations/{call_id}/")
    rows = page.locator("#ranking tbody tr")
    expect(rows.nth(2)).to_contain_text(application.center_name)
    for place in (1, 0):
        rows.filter(has_text=application.center_name).get_by_role("button", name="上移").dblclick()
        expect(rows.nth(place)).to_contain_text(application.center_name)
    page.wait_for_load_state()
    assert recommended.get().rank == 1
    department_list = DistrictReview.objects.filter(
        call_id=call_id, outcome="recommended", department=application.routed_department)
    assert sorted(department_list.values_list("rank", flat=True)) == [1, 2, 3]
    rows.filter(has_text=application.center_name).get_by_role("button", name="下移").click()
    expect(rows.nth(1)).to_contain_text(application.center_name)
    assert recommended.get().rank == 2
    _chinese_only(page)
    save_screenshot(page, "district-ranking")

    # 5. The batch: the undecided applications are confirmed; submitted once for a double click.
    page.get_by_role("link", name="报送推荐名单").click()
    expect(page.locator("#batch-recommended tbody tr").nth(1)).to_contain_text(
        application.center_name)
    confirm = page.locator("#id_confirm_undecided")
    if confirm.count():
        confirm.check()
    page.locator("#batch-submit").dblclick()
    expect(page.locator("#batch-status")).to_contain_text("已报送")
    _chinese_only(page)
    batch = RecommendationBatch.objects.get(call_id=call_id,
                                            department=application.routed_department)
    assert batch.status == "submitted"
    assert AuditEvent.objects.filter(action="recommendationbatch.submit",
                                     object_id=str(batch.pk)).count() == 1
    page.goto(f"{portal}/district/reviews/{application.pk}/")
    expect(page.locator("#batch-locked")).to_be_visible()
    expect(page.locator("#decide-recommend")).to_have_count(0)
    log_out(page)

    # 6. The commission: the batch arrived in time; the application moves to 专家评审.
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/staff/recommendation-batches/")
    page.get_by_label("申报通知").select_option(str(call_id))
    page.get_by_role("button", name="查看").click()
    arrived = page.locator("tr", has_text="崂山区")
    expect(arrived).to_contain_text("按期报送")
    _chinese_only(page)
    page.goto(f"{portal}/commission/intake/?call={call_id}")
    laoshan = page.locator("#department-counts tr", has_text="崂山区")
    expect(laoshan).to_contain_text("按期报送")
    _chinese_only(page)
    page.goto(f"{portal}/commission/intake/?call={call_id}&stage=ready")
    row = page.locator("#intake-list tr", has_text=application.center_name)
    row.get_by_role("button", name="转入专家评审").dblclick()
    expect(page.locator(".alert-success")).to_contain_text("已将 1 件申报转入专家评审")
    expect(page.locator("#intake-list")).not_to_contain_text(application.center_name)
    _chinese_only(page)
    application.refresh_from_db()
    assert application.status == "expert_review"
    save_screenshot(page, "commission-intake-moved")
