"""第九条（三）in Chromium, as an expert does it: log in, open the assignment from the list,
confirm the 回避与保密承诺, read the application, score every criterion, save a draft (a score
out of bounds is refused with the typed text kept), and submit."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from experts.enums import AssignmentStatus, RoundStatus, SheetStatus
from experts.models import Assignment, ReviewRound, RoundEntry, ScoreSheet
from experts.rubrics import rubric_install_default
from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.test_english import english_words

from ..experts.conftest import make_expert

pytestmark = pytest.mark.browser


def _chinese_only(page):
    page.wait_for_load_state()
    assert english_words(page.content()) == [], page.url


@pytest.fixture
def assignment(portal):
    """The demo expert 赵敏 (expert_zhao) assigned, not yet committed, in an open round."""
    user = User.objects.get(username="expert_zhao")
    expert = getattr(user, "expert_profile", None) or make_expert("赵敏", user=user)
    from experts.conflicts import conflicts_of

    # An application she has no conflict with (the demo upholds a 回避申请 naming her).
    application = next(
        a for a in Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(
            attachments__isnull=False).distinct().order_by("pk")
        if not conflicts_of(expert=expert, application=a, on=timezone.localdate()))
    commission = User.objects.filter(role_assignments__role="commission_staff").first()
    round_ = ReviewRound.objects.create(
        call=application.call, title="浏览器测试材料评审", status=RoundStatus.OPEN,
        deadline=timezone.now() + datetime.timedelta(days=3), created_by=commission)
    rubric_install_default(round_)
    RoundEntry.objects.create(round=round_, application=application)
    return Assignment.objects.create(round=round_, application=application, expert=expert,
                                     assigned_by=commission)


def test_expert_commits_scores_saves_and_submits(page, portal, log_in, assignment):
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, "expert_zhao", DEMO_PASSWORD)
    # The dashboard lists the assignment and links the full list.
    page.goto(f"{portal}/dashboard/")
    row = page.locator(f"#expert-assignments tr[data-assignment='{assignment.pk}']")
    expect(row).to_contain_text("待确认承诺")
    _chinese_only(page)
    page.locator("#expert-full-list").click()
    page.locator(f"tr[data-assignment='{assignment.pk}'] a").click()

    # The commitment: the box must be ticked.
    expect(page.locator("#commitment-text")).to_contain_text("保密")
    _chinese_only(page)
    page.locator("#commit-button").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("请先阅读并勾选")
    page.check("#id_accept")
    page.locator("#commit-button").click()
    expect(page.locator("#sheet-form")).to_be_visible()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.COMMITTED

    # The application, then back to the sheet.
    page.locator("#to-application").click()
    expect(page.locator("#application-content")).to_contain_text(
        assignment.application.center_name)
    _chinese_only(page)
    page.locator("#to-sheet").click()

    criteria = list(assignment.round.criteria.order_by("order"))
    for c in criteria:
        page.fill(f"#score_{c.pk}", "8")
    page.fill(f"#score_{criteria[0].pk}", "11")  # over the maximum of 10
    page.fill(f"#comment_{criteria[1].pk}", "团队配置合理。")
    page.fill("#id_overall_comment", "总体符合评定条件。")
    page.locator("#save-draft").click()
    expect(page.locator(f"tr[data-criterion='{criteria[0].pk}']")).to_contain_text(
        "得分须在 0 至 10 分之间")
    expect(page.locator(f"#score_{criteria[0].pk}")).to_have_value("11")
    expect(page.locator(f"#comment_{criteria[1].pk}")).to_have_value("团队配置合理。")
    _chinese_only(page)

    page.fill(f"#score_{criteria[0].pk}", "9.5")
    page.locator("#save-draft").click()
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == SheetStatus.DRAFT and sheet.version >= 1

    page.locator("#submit-sheet").click()
    expect(page.locator("#sheet-submitted")).to_be_visible()
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    # 9.5/10×12 + 8/10×88 = 11.4 + 70.4
    assert sheet.total == Decimal("81.80")
    _chinese_only(page)
