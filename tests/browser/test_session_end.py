"""The session ends while a step is being written: nothing typed is lost.

The session is ended on the server (what 30 idle minutes do) while the page stays open; the
browser keeps its stale cookie, exactly as after a long pause.
"""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from applications.models import Application
from portal.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]

PLAN_TEXT = "（一）单位概况：本单位成立于2015年，长期为青岛市智能家电企业提供数字化诊断服务。\n" * 20


@pytest.fixture(autouse=True)
def _page_quiet_before_the_database_is_flushed(page, portal):
    """The step page talks to the server on its own (autosave, the session clock): leave it
    before the live server's database is flushed under it."""
    yield
    page.route("**/*", lambda route: route.abort())  # nothing new reaches the server
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("about:blank")


def demo_draft():
    return Application.objects.get(organisation__uscc="91370212MA3C1A2B30")


def plan_url(portal, application):
    return f"{portal}/applications/{application.pk}/step/plan/"


def sign_in_again(page):
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.locator("#id_username").fill("applicant_laoshan")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def test_a_save_after_the_session_ended_keeps_the_text_through_login(page, portal, log_in):
    log_in(page, "applicant_laoshan", DEMO_PASSWORD)
    application = demo_draft()
    page.goto(plan_url(portal, application))

    # Typing autosaves; the page says when.
    page.fill("#id_plan_unit_overview", PLAN_TEXT)
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"已自动保存 \d\d:\d\d"))
    application.refresh_from_db()
    assert application.plan_unit_overview.replace("\r\n", "\n") == PLAN_TEXT.strip()
    assert application.current_step == "plan"

    # A long pause: the session ends; the user writes on and saves.
    page.fill("#id_plan_organisation", "组织架构：设理事会、专家委员会和运营中心。")
    Session.objects.all().delete()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()

    expect(page.locator("main")).to_contain_text("登录已超时")
    expect(page.locator("main")).to_contain_text("已为您保留")
    sign_in_again(page)

    # Back on the step, with the text in the form and a message saying so.
    expect(page).to_have_url(plan_url(portal, application))
    expect(page.locator("main")).to_contain_text("已恢复您在登录超时前填写")
    expect(page.locator("#id_plan_organisation")).to_have_value("组织架构：设理事会、专家委员会和运营中心。")
    application.refresh_from_db()
    assert application.plan_organisation == ""  # in the form, not yet in the application

    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("已保存草稿")
    application.refresh_from_db()
    assert application.plan_organisation == "组织架构：设理事会、专家委员会和运营中心。"


def test_the_page_warns_before_the_session_ends_and_autosave_keeps_the_text_after(
        page, portal, log_in, settings):
    settings.SESSION_COOKIE_AGE = 12
    settings.SESSION_WARNING_SECONDS = 6
    settings.AUTOSAVE_INTERVAL_SECONDS = 1
    log_in(page, "applicant_laoshan", DEMO_PASSWORD)
    application = demo_draft()
    page.goto(plan_url(portal, application))

    # A few "minutes" before the end: a warning and a way to stay signed in.
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text("登录将在")
    page.get_by_role("button", name="保持登录").click()
    expect(warning).to_be_hidden()
    expect(page.locator("#autosave-status")).to_have_text("已保持登录。")

    # The session ends on the server; the autosave of what is typed next is held for the user.
    Session.objects.all().delete()
    page.fill("#id_plan_site", "建设地点：崂山区科苑纬一路。")
    expired = page.locator("#session-expired")
    expect(expired).to_be_visible()
    expect(expired).to_contain_text("登录已超时")
    expect(expired).to_contain_text("已为您保留")

    # Nothing unsaved is left on the page, so the link to the login page does not ask.
    expired.get_by_role("link", name="重新登录").click()
    sign_in_again(page)
    expect(page).to_have_url(plan_url(portal, application))
    expect(page.locator("#id_plan_site")).to_have_value("建设地点：崂山区科苑纬一路。")
    # Put back as unsaved typing, it is autosaved like anything typed.
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    application.refresh_from_db()
    assert application.plan_site == "建设地点：崂山区科苑纬一路。"


def test_leaving_with_unsaved_changes_asks_first(page, portal, log_in, settings):
    settings.AUTOSAVE_INTERVAL_SECONDS = 600  # the first change saves at once, the next waits
    log_in(page, "applicant_laoshan", DEMO_PASSWORD)
    application = demo_draft()
    page.goto(plan_url(portal, application))
    page.fill("#id_plan_other", "第一次输入。")
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存")
    page.fill("#id_plan_other", "第二次输入，尚未保存。")

    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator(".breadcrumb a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page).to_have_url(plan_url(portal, application))

    # Leaving for real sends the unsaved text on its way out.
    page.remove_listener("dialog", answer)
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".breadcrumb a").first.click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(plan_url(portal, application))
    for _ in range(50):
        application.refresh_from_db()
        if application.plan_other == "第二次输入，尚未保存。":
            break
        page.wait_for_timeout(100)
    assert application.plan_other == "第二次输入，尚未保存。"


def test_the_officials_review_text_survives_the_session_end(page, portal, log_in):
    """第九条（二）: the district official's opinion, typed when the session ended, is back in
    the review form after signing in again; nothing was decided meanwhile."""
    from reviews.models import DistrictReview

    application = (Application.objects.filter(routed_department__short_name="崂山区",
                                              status="submitted").order_by("pk").first())
    log_in(page, "official_laoshan", DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/{application.pk}/")
    opinion = "服务案例翔实，技术团队稳定，建议推荐。"
    page.fill("#id_opinion", opinion)
    Session.objects.all().delete()
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#decide-recommend").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("已为您保留")
    page.locator("#id_username").fill("official_laoshan")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#id_opinion")).to_have_value(opinion)
    expect(page.locator("main")).to_contain_text("已恢复您在登录超时前填写")
    assert not DistrictReview.objects.filter(application=application,
                                             status="decided").exists()
