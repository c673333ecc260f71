"""The assignments page in Chromium: its one withdraw form. Each expert not yet scored has a
reason box and a 撤回 button outside the form (the form attribute); the button pressed
withdraws that expert, with the reason typed in that row, and nobody else."""

import pytest
from playwright.sync_api import expect

from experts.demo import OPEN_ROUND_TITLE
from experts.enums import AssignmentStatus
from experts.models import Assignment, ReviewRound
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_row_button_withdraws_its_expert_with_its_reason(page, portal, log_in):
    round_ = ReviewRound.objects.get(title=OPEN_ROUND_TITLE)
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/rounds/{round_.pk}/assignments/")
    buttons = page.locator("button[form=withdraw-form]")
    assert buttons.count() >= 2
    first, second = (int(buttons.nth(i).get_attribute("value")) for i in range(2))
    page.locator(f"input[name=reason_{second}]").fill("另一行的理由")
    page.locator(f"input[name=reason_{first}]").fill("专家临时出差")
    buttons.nth(0).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_contain_text("已撤回")
    withdrawn = Assignment.objects.get(pk=first)
    assert withdrawn.status == AssignmentStatus.WITHDRAWN
    assert Assignment.objects.get(pk=second).status != AssignmentStatus.WITHDRAWN
    # The page is served again with one form and a fresh token: the next row can be withdrawn.
    expect(page.locator("form#withdraw-form")).to_have_count(1)
