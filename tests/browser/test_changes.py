"""第十二条、第十三条 in Chromium: a center's user records a training and a diagnosis report (the
progress page counts them), then reports a rename with the licence change and its
evidence; the 主管部门's official forwards it; the commission accepts it on its page; the public
directory shows the new name."""

import datetime

import pytest
from django.db import transaction
from playwright.sync_api import expect

from accounts.models import Department, User
from applications.models import Application
from centers.models import Center, Plaque, PublicNotice
from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.test_english import english_words

pytestmark = pytest.mark.browser

NEW_NAME = "青岛海智工业互联网数字化转型赋能中心"
# A valid 统一社会信用代码 (GB 32100-2015); typed lower-case once, saved normalised.
ENTERPRISE_USCC = "91370200MA3C5R8X1D"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _demo_center():
    """A designated center of applicant_laoshan's unit under 崂山区 (the demo has no finalised
    notice yet, so it is made here as designation would leave it)."""
    from centers.plaques import plaque_issue
    from experts.models import ProposedList, ReviewRound

    member = User.objects.get(username="applicant_laoshan")
    organisation = member.role_assignments.get().organisation
    application = Application.objects.filter(organisation=organisation).order_by("pk").first()
    commission = User.objects.get(username="commission")
    call = application.call
    round_ = ReviewRound.objects.filter(call=call).first() or ReviewRound.objects.create(
        call=call, title="浏览器测试评审", created_by=commission,
        deadline=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    proposed, _ = ProposedList.objects.get_or_create(call=call, defaults={"round": round_,
                                                                        "status": "frozen"})
    notice, _ = PublicNotice.objects.get_or_create(proposed_list=proposed, defaults={
        "call": call, "title": "浏览器测试公示", "basis": "依据", "steps_completed": "程序",
        "starts_on": datetime.date(2026, 6, 1), "ends_on": datetime.date(2026, 6, 5),
        "objection_channel": "渠道", "contact": "联系人", "issuer": "发布单位",
        "issued_on": datetime.date(2026, 6, 1), "status": "finalised", "created_by": commission})
    center = Center.objects.create(
        application=application, notice=notice, name="青岛海智数字化转型赋能中心",
        lead_unit_name=organisation.name, department=Department.objects.get(short_name="崂山区"),
        designated_on=datetime.date(2026, 6, 20))
    with transaction.atomic():
        plaque_issue(center=center, issued_on=center.designated_on)
    return center


def test_a_rename_reported_forwarded_and_accepted_shows_in_the_directory(
        page, portal, log_in, log_out, tmp_path, save_screenshot):
    page.on("dialog", lambda dialog: dialog.accept())
    center = _demo_center()
    old_token = Plaque.objects.get(center=center).token
    evidence = tmp_path / "营业执照变更.pdf"
    evidence.write_bytes(PDF)

    log_in(page, "applicant_laoshan", DEMO_PASSWORD)
    # 第十二条: a training and a 数字化诊断书, entered from the center's workspace.
    page.goto(f"{portal}/center/{center.pk}/")
    page.get_by_role("link", name="服务记录").first.click()
    page.locator("#record-new-links").get_by_role("link", name="数字化转型培训").click()
    page.get_by_label("日期").fill("2026-11-03")
    page.get_by_label("培训主题").fill("中小企业数字化转型专题培训")
    page.get_by_label("学时（小时）").fill("6")
    page.get_by_label("参训人数").fill("45")
    page.locator("#id_ent-0-name").fill("青岛海川机械有限公司")
    page.locator("#id_ent-0-uscc").fill(ENTERPRISE_USCC)
    page.locator("#record-submit").click()
    expect(page.get_by_text("中小企业数字化转型专题培训").first).to_be_visible()
    page.goto(f"{portal}/center/{center.pk}/records/")
    page.locator("#record-new-links").get_by_role("link", name="数字化诊断书").click()
    page.get_by_label("日期").fill("2026-11-05")
    page.get_by_label("诊断书名称").fill("青岛海川机械有限公司数字化诊断书")
    page.locator("#id_ent-0-name").fill("青岛海川机械有限公司")
    page.locator("#id_ent-0-uscc").fill(ENTERPRISE_USCC.lower())
    page.locator("#record-submit").click()
    expect(page.get_by_text("青岛海川机械有限公司数字化诊断书").first).to_be_visible()
    assert english_words(page.content()) == []
    assert set(center.service_records.values_list("kind", flat=True)) == {"training",
                                                                          "diagnosis"}
    page.goto(f"{portal}/center/{center.pk}/progress/")
    expect(page.locator("body")).to_contain_text("数字化转型培训")

    page.goto(f"{portal}/center/{center.pk}/changes/")
    page.get_by_role("link", name="报告变更").click()
    page.get_by_label("依托法人实体重大调整", exact=True).check()
    page.get_by_label("法人实体调整事项（依托法人实体重大调整时填写）").select_option("rename")
    page.get_by_label("营业执照变更（注销）日期").fill("2026-11-02")
    page.get_by_label("变更后的赋能中心名称（更名时填写）").fill(NEW_NAME)
    page.locator("#id_summary").fill("依托法人实体更名，赋能中心名称随之变更。")
    page.locator("input[name=files]").set_input_files(str(evidence))
    page.get_by_role("button", name="报主管部门").click()
    expect(page.locator("#change-status")).to_have_text("已报主管部门")
    expect(page.locator("#change-due")).to_contain_text("剩余")
    assert english_words(page.content()) == []
    log_out(page)

    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#district-changes-link").click()
    page.get_by_role("link", name=center.name).click()
    page.locator("#id_opinion").fill("经核实，依托法人实体已完成更名登记，同意报送。")
    page.get_by_role("button", name="报送市发展改革委").click()
    expect(page.locator("#change-status")).to_have_text("已报送市发展改革委")
    log_out(page)

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#change-overview-link").click()
    page.get_by_role("link", name=center.name).click()
    page.get_by_label("同意变更", exact=True).check()
    page.locator("#id_reason").fill("同意更名，换发牌匾。")
    page.get_by_role("button", name="提交办理结果").click()
    expect(page.locator("#change-status")).to_have_text("已同意")
    assert english_words(page.content()) == []
    save_screenshot(page, "change-rename-accepted")

    page.goto(f"{portal}/centers/")
    expect(page.get_by_text(NEW_NAME).first).to_be_visible()
    page.goto(f"{portal}/verify/{old_token}/")
    expect(page.locator("#verify-status")).to_contain_text("换发")
