"""The form's own button pressed while an autosave is on its way (static/js/autosave.js).

The autosave's answer moves the form's hidden `version` (and draft token) on; a form sent with
the old ones would be refused as an edit conflict with the user's own autosave. The page waits
for the answer (正在保存，请稍候…), then sends the form once, by the button pressed.

The 典型案例 form (第十九条) is the one here: its save refuses any version but the stored one.
The autosave reaches the server at once; only its answer is held back (page.route), so the
stored version has moved on while the page still holds the old one.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from applications.services import organisation_members
from centers import publicity as service
from centers.enums import CaseStudyStatus
from centers.models import CaseStudy, Center
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

STALE = "已在其他页面或窗口中保存过"


@pytest.fixture(autouse=True)
def _page_quiet_before_the_database_is_flushed(page, portal):
    yield
    page.unroute_all(behavior="ignoreErrors")
    page.route("**/*", lambda route: route.abort())
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("about:blank")


@pytest.fixture
def case(portal, settings):
    settings.AUTOSAVE_INTERVAL_SECONDS = 600  # the first change saves at once, no second one
    user = User.objects.get(username="applicant_ls_designated2")
    center = next(c for c in Center.objects.filter(status="active")
                  if user in organisation_members(c.application.organisation_id))
    return service.case_create(center=center, actor=user, title="智能家电产线改造案例",
                               summary="原摘要", body="<p>原正文</p>")


def _type_the_title_until_the_autosave_is_held(page, held):
    """Types the title and waits (up to 10 s) until the autosave it starts is held."""
    page.locator("#id_title").fill("智能家电产线数字化改造案例")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1


def _open_with_the_autosave_answer_held(page, portal, log_in, case):
    """Signs in, opens the case, types the title: the autosave is saved on the server, its
    answer held. Returns (the held answers, the posts of the form itself)."""
    held, posts = [], []
    edit_url = f"{portal}/center/{case.center_id}/cases/{case.pk}/"
    page.on("request", lambda request: posts.append(request.post_data)
            if request.method == "POST" and request.url == edit_url else None)
    page.route(f"**/center/{case.center_id}/cases/{case.pk}/autosave/",
               lambda route: held.append((route, route.fetch())))
    log_in(page, "applicant_ls_designated2", DEMO_PASSWORD)
    page.goto(edit_url)
    _type_the_title_until_the_autosave_is_held(page, held)
    loaded = case.version
    case.refresh_from_db()
    assert case.title == "智能家电产线数字化改造案例"  # saved; the page does not know yet
    assert case.version == loaded + 1
    expect(page.locator("input[name=version]")).to_have_value(str(loaded))
    return held, posts


def test_saving_while_an_autosave_is_in_flight_waits_for_it(page, portal, log_in, case):
    loaded = case.version
    held, posts = _open_with_the_autosave_answer_held(page, portal, log_in, case)
    page.locator("#id_summary").fill("为家电企业提供产线数字化诊断。")  # not autosaved yet

    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_timeout(500)
    page.wait_for_load_state()
    expect(page.locator("main")).not_to_contain_text(STALE)  # sent at once, it is refused
    expect(page.locator("#autosave-status")).to_have_text("正在保存，请稍候…")
    save = page.get_by_role("button", name="保存草稿")
    expect(save).to_have_attribute("aria-disabled", "true")
    page.evaluate("document.querySelector('button[value=save]').click()")  # pressed again
    page.wait_for_timeout(300)
    assert posts == []  # nothing sent while the autosave is out

    route, response = held[0]
    with page.expect_navigation():
        route.fulfill(response=response)
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("已保存。")
    expect(page.locator("main")).not_to_contain_text(STALE)
    assert len(posts) == 1 and "intent=save" in posts[0]
    case.refresh_from_db()
    assert case.summary == "为家电企业提供产线数字化诊断。"
    assert case.title == "智能家电产线数字化改造案例"
    assert case.version == loaded + 2


def test_submitting_while_an_autosave_is_in_flight_asks_once_and_sends_once(
        page, portal, log_in, case):
    held, posts = _open_with_the_autosave_answer_held(page, portal, log_in, case)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.locator("#case-submit").click()
    page.wait_for_timeout(500)
    page.wait_for_load_state()
    expect(page.locator("main")).not_to_contain_text(STALE)
    expect(page.locator("#autosave-status")).to_have_text("正在保存，请稍候…")
    page.evaluate("document.getElementById('case-submit').click()")  # pressed again
    page.wait_for_timeout(300)
    assert posts == []

    route, response = held[0]
    with page.expect_navigation():
        route.fulfill(response=response)
    page.wait_for_load_state()
    expect(page.locator("#case-status")).to_have_text("待审核")
    expect(page.locator("main")).not_to_contain_text(STALE)
    assert len(dialogs) == 1 and "确定提交吗" in dialogs[0]
    assert len(posts) == 1 and "intent=submit" in posts[0]  # the button that was pressed
    case.refresh_from_db()
    assert case.status == CaseStudyStatus.SUBMITTED
    assert case.title == "智能家电产线数字化改造案例"


def test_a_failed_autosave_still_lets_the_form_go(page, portal, log_in, case):
    """The autosave answers 500 (nothing saved): the form goes with what it holds."""
    loaded = case.version
    held, posts = [], []
    edit_url = f"{portal}/center/{case.center_id}/cases/{case.pk}/"
    page.on("request", lambda request: posts.append(request.post_data)
            if request.method == "POST" and request.url == edit_url else None)
    page.route(f"**/center/{case.center_id}/cases/{case.pk}/autosave/",
               lambda route: held.append(route))
    log_in(page, "applicant_ls_designated2", DEMO_PASSWORD)
    page.goto(edit_url)
    page.locator("#id_title").fill("智能家电产线数字化改造案例")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#autosave-status")).to_have_text("正在保存，请稍候…")

    with page.expect_navigation():
        held[0].fulfill(status=500, content_type="application/json",
                        body='{"message": "服务器错误"}')
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("已保存。")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    assert len(posts) == 1
    case.refresh_from_db()
    assert case.title == "智能家电产线数字化改造案例" and case.version == loaded + 1


def test_leaving_while_an_autosave_is_in_flight_keeps_the_last_typing(page, portal, log_in,
                                                                      case):
    """The page is left (a link, back) while an autosave is out: the last save on leaving
    carried the version the page held before that autosave moved it on, and was refused as an
    edit conflict with the user's own autosave: what was typed meanwhile was lost."""
    edit_url = f"{portal}/center/{case.center_id}/cases/{case.pk}/"
    autosave = f"**/center/{case.center_id}/cases/{case.pk}/autosave/"
    held = []

    page.route(autosave, lambda route: held.append((route, route.fetch())) if not held
               else route.continue_())
    log_in(page, "applicant_ls_designated2", DEMO_PASSWORD)
    page.goto(edit_url)
    _type_the_title_until_the_autosave_is_held(page, held)
    page.locator("#id_summary").fill("离开前最后填写的摘要。")
    page.on("dialog", lambda dialog: dialog.accept())  # 离开此页？
    page.goto(f"{portal}/center/{case.center_id}/cases/")
    loaded = case.version
    for _ in range(50):  # the leaving save is a keepalive request the route does not see
        case.refresh_from_db()
        if case.version > loaded + 1:
            break
        page.wait_for_timeout(100)
    assert case.summary == "离开前最后填写的摘要。"
    assert case.title == "智能家电产线数字化改造案例"
