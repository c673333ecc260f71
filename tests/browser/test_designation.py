"""第九条（四）in Chromium, the whole course: a member of the public reads the open demo notice
and files an objection; the commission dismisses it on its handling page (and the demo's
other objection in admin); the period ends (the notice's dates moved back in the database) and
the sweep closes it; the commission finalises in admin; the center appears in the public
directory, and its plaque certificate, downloaded from the center's page, reads the center's
name and plaque number (`pdftotext`)."""

import datetime
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from centers.enums import NoticeStatus, ObjectionStatus
from centers.models import Center, Objection, PublicNotice
from core.sweep import run_deadline_sweep
from reviews.demo import PAST_CALL_TITLE
from tests.test_english import english_words

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]

FACTS = "该中心申报材料所列服务企业数量与实际不符，部分服务合同签订于申报截止日之后，请予核实。"
PASSWORD = "Demo@2026"


def _current_notice():
    notice = (PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED)
              .exclude(call__title=PAST_CALL_TITLE).first())
    if notice is None:
        # Late in December the demo's period reaches next year: once the commission has
        # confirmed that year's schedule, the notice is published.
        from centers.demo import seed_notice
        from core.models import WorkdayYear

        WorkdayYear.objects.get_or_create(year=timezone.localdate().year + 1,
                                          defaults={"is_complete": True})
        notice = seed_notice()
    return notice


def test_objection_decided_notice_finalised_center_listed_with_its_certificate(
        page, portal, log_in, save_screenshot, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian poppler-utils)")
    # Rate limits and lookups count in the cache, which other tests share.
    cache.clear()
    page.on("dialog", lambda dialog: dialog.accept())
    notice = _current_notice()

    # The public, not signed in: reads the notice and objects.
    page.goto(f"{portal}/notices/")
    page.get_by_role("link", name=notice.title).first.click()
    expect(page.locator("#notice-entries")).to_be_visible()
    page.get_by_role("link", name="提出异议").click()
    form = page.locator("#objection-form")
    form.locator("input[name=entries]").first.check()
    page.get_by_label("真实姓名").fill("李建华")
    page.get_by_label("联系电话").fill("13955551234")
    page.get_by_label("异议事实和理由").fill(FACTS)
    form.locator("input[name=truthful]").check()
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("#objection-number")).to_be_visible()
    filed = Objection.objects.get(phone="13955551234")

    # The commission dismisses it on its handling page, with the reason.
    log_in(page, "commission", PASSWORD)
    page.goto(f"{portal}/commission/objections/{filed.pk}/")
    expect(page.locator("#objector")).to_contain_text("李建华")
    decision = page.locator("#decision-form")
    decision.get_by_label("异议不成立").check()
    decision.get_by_label("理由").fill("经调查核实，所涉服务合同均签订于申报截止日之前，异议不成立。")
    decision.get_by_role("button", name="作出处理结论").click()
    expect(page.locator("#objection-status")).to_have_text("异议不成立")
    assert english_words(page.content()) == []

    # The demo's own objection to this notice: dismissed in admin, by the same service.
    others = list(notice.objections.exclude(pk=filed.pk)
                  .exclude(status__in=(ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)))
    page.goto(f"{portal}/admin/centers/objection/")
    for other in others:
        page.locator(f"input[name=_selected_action][value='{other.pk}']").check()
    if others:
        page.locator("select[name=action]").select_option("dismiss_objections")
        page.locator("button[name=index]").click()
        page.get_by_label("理由").fill("经核实，所反映情况与事实不符。")
        page.get_by_role("button", name="认定异议不成立").click()
        expect(page.locator(".messagelist")).to_contain_text("已办结")

    # The period ends: its dates moved back, and the sweep closes it as every 15 minutes.
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=13))
    assert run_deadline_sweep()["centers.notices.close_ended_notices"] == 1

    # The commission finalises in admin.
    page.goto(f"{portal}/admin/centers/publicnotice/")
    page.locator(f"input[name=_selected_action][value='{notice.pk}']").check()
    page.locator("select[name=action]").select_option("finalise_notices")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("已确定认定结果")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FINALISED
    center = Center.objects.get(notice=notice)
    plaque = center.plaques.get()

    # The public directory lists it; its page offers the certificate to the commission.
    page.goto(f"{portal}/centers/")
    page.get_by_role("link", name=center.name).first.click()
    expect(page.get_by_text(plaque.number).first).to_be_visible()
    assert english_words(page.content()) == []
    save_screenshot(page, "center-designated")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载授牌证书").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert center.name in text.replace(" ", "") and plaque.number in text
