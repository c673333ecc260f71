"""第九条（四）in Chromium: a member of the public, not signed in, reads the open demo notice,
files an objection with the truthful statement, gets the acknowledgement number and looks the
objection up with it and the phone."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from centers.models import Objection, PublicNotice
from tests.test_english import english_words

pytestmark = pytest.mark.browser

FACTS = "该中心申报材料所列应用场景中有两个尚未落地，与申报材料所述不符，现提供合同复印件，请予核实。"


def test_the_public_files_an_objection_and_looks_it_up(page, portal, save_screenshot):
    # Lookups are counted per address in the cache, which other tests share.
    cache.clear()
    notice = PublicNotice.objects.filter(status="published").first()
    if notice is None:
        # Late in December the demo's period reaches next year: once the commission has
        # confirmed that year's schedule, the notice is published.
        from centers.demo import seed_notice
        from core.models import WorkdayYear

        WorkdayYear.objects.get_or_create(year=timezone.localdate().year + 1,
                                          defaults={"is_complete": True})
        notice = seed_notice()
    page.goto(f"{portal}/notices/")
    page.get_by_role("link", name=notice.title).first.click()
    expect(page.locator("#notice-entries")).to_be_visible()
    page.get_by_role("link", name="提出异议").click()

    form = page.locator("#objection-form")
    form.locator("input[name=entries]").first.check()
    page.get_by_label("真实姓名").fill("王建国")
    page.get_by_label("联系电话").fill("13966668888")
    page.get_by_label("异议事实和理由").fill(FACTS)
    form.locator("input[name=truthful]").check()
    page.get_by_role("button", name="提交异议").click()

    number = page.locator("#objection-number")
    expect(number).to_be_visible()
    filed = Objection.objects.get(phone="13966668888")
    expect(number).to_have_text(filed.number)
    assert english_words(page.content()) == []
    save_screenshot(page, "objection-filed")

    page.get_by_role("link", name="异议查询").click()
    page.get_by_label("受理编号").fill(filed.number)
    page.get_by_label("联系电话").fill("139 6666 8888")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#lookup-result")).to_contain_text("已受理")
    expect(page.locator("#lookup-result")).not_to_contain_text("王建国")
