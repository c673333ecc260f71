"""第九条（三）in Chromium: the commission opens a closed round's results from its dashboard,
sees the ranking, resolves a disagreement flag, exports the summary (a download happens) and
decides and freezes the proposed list (拟评定名单)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from applications import services as application_services
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from experts.enums import ProposedListStatus, RoundStatus
from experts.models import ProposedList, ReviewRound, RoundEntry
from experts.rubrics import rubric_install_default
from experts.scoring import round_results_compute
from portal.management.commands.seed_demo import DEMO_PASSWORD
from reviews.demo import SENT_CALL_TITLE
from tests.experts.results_helpers import sheet_for
from tests.test_english import english_words

pytestmark = pytest.mark.browser

RESOLUTION = "经专家组复议，维持原评分。"


def _closed_round():
    """Last year's call: its recommended applications in a closed round, one flagged."""
    commission = User.objects.get(username="commission")
    call = Call.objects.get(title=SENT_CALL_TITLE)
    for application in Application.objects.filter(call=call,
                                                  status=ApplicationStatus.RECOMMENDED):
        application_services.application_start_expert_review(application=application,
                                                             actor=commission)
    apps = list(Application.objects.filter(call=call, status=ApplicationStatus.EXPERT_REVIEW)
                .order_by("pk"))
    round_ = ReviewRound.objects.create(
        call=call, title="浏览器测试评审", deadline=timezone.now() - datetime.timedelta(days=1),
        experts_per_application=3, created_by=commission)
    rubric_install_default(round_)
    RoundEntry.objects.bulk_create(RoundEntry(round=round_, application=a) for a in apps)
    for total in (84, 86, 88):
        sheet_for(round_, apps[0], total=total)
    for total in (60, 92, 75):
        sheet_for(round_, apps[1], total=total)
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED,
                                                    closed_at=timezone.now())
    round_.refresh_from_db()
    round_results_compute(round=round_)
    return round_, apps


def test_commission_ranks_resolves_exports_and_freezes(page, portal, log_in, save_screenshot):
    page.on("dialog", lambda dialog: dialog.accept())
    round_, (first, flagged) = _closed_round()

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/commission/")
    panel = page.locator("#expert-rounds")
    expect(panel).to_contain_text("浏览器测试评审")
    panel.locator("tr", has_text="浏览器测试评审").get_by_role("link", name="查看").click()
    page.wait_for_load_state()

    # The ranking: 86.00 first, then the flagged one (75.67 by the trimmed-mean rule's mean).
    rows = page.locator("#ranking tr.entry-row")
    expect(rows.nth(0)).to_contain_text("86.00")
    expect(rows.nth(1)).to_contain_text("75.67")
    expect(rows.nth(1)).to_contain_text("待处理")
    assert english_words(page.content()) == [], page.url

    # Resolve the flag.
    page.locator(f"#note-{round_.entries.get(application=flagged).pk}").fill(RESOLUTION)
    page.get_by_role("button", name="记录处理意见").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已记录分歧处理意见")
    expect(page.locator("#ranking")).to_contain_text(RESOLUTION)
    expect(rows.nth(1)).to_contain_text("已处理")

    # Export: the summary workbook downloads.
    with page.expect_download() as download_info:
        page.locator("#export-summary").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")

    # The proposed list: top by rank ticked by default; both chosen, frozen with one click.
    page.locator("#proposed-link").click()
    page.wait_for_load_state()
    expect(page.locator(f"#chosen-{first.pk}")).to_be_checked()
    page.locator(f"#chosen-{flagged.pk}").check()
    page.locator(f"input[name=note_{first.pk}]").fill("得分第一。")
    page.locator("#freeze").dblclick()
    page.wait_for_load_state()
    expect(page.locator("#proposed-frozen")).to_be_visible()
    expect(page.locator("#proposed-entries")).to_contain_text("得分第一。")
    save_screenshot(page, "expert-results-proposed")

    proposed = ProposedList.objects.get(call=round_.call)
    assert proposed.status == ProposedListStatus.FROZEN
    assert proposed.entries.count() == 2
    first.refresh_from_db()
    assert first.status == ApplicationStatus.PROPOSED
