"""An applicant unit registers itself, confirms its e-mail and logs in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Organisation, User
from accounts.validators import uscc_check_character

pytestmark = pytest.mark.browser

WRONG_USCC = "91370212MA3C1A2B31"  # the check character of 91370212MA3C1A2B3 is 0
VALID_USCC = "91370203MA3F7G8H9" + uscc_check_character("91370203MA3F7G8H9")
PASSWORD = "Qd@Center2026"

UNIT = {
    "name": "青岛海洋数智科技有限公司",
    "kind": "research_institute",
    "district": "市北区发展和改革局",
    "real_name": "林海",
    "mobile": "13912345678",
    "email": "linhai@haiyang-shuzhi.example",
    "username": "haiyang_admin",
}


def fill_registration(page, *, uscc, unit):
    page.locator("#id_name").fill(unit["name"])
    page.locator("#id_uscc").fill(uscc)
    page.locator("#id_kind").select_option(unit["kind"])
    page.locator("#id_registered_in_qingdao").check()
    page.locator("#id_located_in_qingdao").check()
    page.locator("#id_competent_department").select_option(label=unit["district"])
    page.locator("#id_real_name").fill(unit["real_name"])
    page.locator("#id_mobile").fill(unit["mobile"])
    page.locator("#id_email").fill(unit["email"])
    page.locator("#id_username").fill(unit["username"])
    fill_passwords(page)


def fill_passwords(page):
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)


def submit(page):
    page.get_by_role("button", name="提交注册").click()
    page.wait_for_load_state()


# celery_eager: the confirmation mail must reach this process's outbox even when REDIS_URL is set.
def test_register_confirm_and_log_in(
    page, portal, log_in, log_out, celery_eager, save_screenshot
):
    page.goto(portal + "/accounts/register/")
    fill_registration(page, uscc=WRONG_USCC, unit=UNIT)
    submit(page)

    expect(page).to_have_url(portal + "/accounts/register/")
    expect(page.locator("#id_uscc")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_uscc_error")).to_have_text("统一社会信用代码校验位不正确，请核对营业执照上的代码。")
    expect(page.locator(".is-invalid")).to_have_count(1)
    # Everything typed is still there, so only the code needs correcting. Passwords are never
    # sent back to the browser.
    expect(page.locator("#id_uscc")).to_have_value(WRONG_USCC)
    for field in ("name", "kind", "real_name", "mobile", "email", "username"):
        expect(page.locator(f"#id_{field}")).to_have_value(UNIT[field])
    expect(page.locator("#id_competent_department option:checked")).to_have_text(UNIT["district"])
    expect(page.locator("#id_registered_in_qingdao")).to_be_checked()
    expect(page.locator("#id_located_in_qingdao")).to_be_checked()
    expect(page.locator("#id_is_city_level")).not_to_be_checked()
    expect(page.locator("#id_is_central_or_provincial")).not_to_be_checked()
    expect(page.locator("#id_password1")).to_have_value("")
    save_screenshot(page, "registration-error")
    assert not Organisation.objects.filter(name=UNIT["name"]).exists()

    page.locator("#id_uscc").fill(VALID_USCC)
    fill_passwords(page)
    submit(page)

    expect(page).to_have_url(portal + "/accounts/register/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("注册信息已提交")
    organisation = Organisation.objects.get(uscc=VALID_USCC)
    assert organisation.name == UNIT["name"]
    assert organisation.competent_department.name == UNIT["district"]
    # The outbox also holds whatever the demo data sent; only this unit's mail matters here.
    sent_to_unit = [m for m in mail.outbox if UNIT["email"] in m.to]
    assert sent_to_unit, "the confirmation e-mail was not sent"
    (confirmation,) = sent_to_unit
    link = re.search(r"https?://\S+/accounts/register/confirm/\S+/", confirmation.body).group()
    assert link.startswith(portal)

    # The account stays inactive until the link is opened.
    log_in(page, UNIT["username"], PASSWORD)
    expect(page.locator("[data-testid=dashboard]")).to_have_count(0)

    page.goto(link)

    expect(page).to_have_url(portal + "/accounts/login/")
    expect(page.locator(".alert-success")).to_contain_text("邮箱已确认，账号已激活，请登录。")
    log_in(page, UNIT["username"], PASSWORD)
    expect(page).to_have_url(portal + "/dashboard/applicant/")
    dashboard = page.locator("[data-testid=dashboard]")
    expect(dashboard).to_have_attribute("data-role", "applicant")
    expect(dashboard).to_contain_text(UNIT["name"])
    log_out(page)

    # A colleague registering the same unit again is sent to its administrator.
    page.goto(portal + "/accounts/register/")
    colleague = {**UNIT, "real_name": "王晓", "username": "haiyang_wx",
                 "email": "wangxiao@haiyang-shuzhi.example", "mobile": "13812345678"}
    fill_registration(page, uscc=VALID_USCC.lower(), unit=colleague)
    submit(page)

    expect(page.locator("#id_uscc_error")).to_contain_text(f"已由“{UNIT['name']}”注册")
    duplicate = page.locator("#duplicate-organisation")
    expect(duplicate).to_be_visible()
    expect(duplicate).to_contain_text(UNIT["real_name"][0] + "*")
    expect(duplicate).to_contain_text(UNIT["email"][0] + "***@" + UNIT["email"].split("@")[1])
    expect(duplicate).not_to_contain_text(UNIT["email"])
    assert not User.objects.filter(username=colleague["username"]).exists()
    assert Organisation.objects.filter(uscc=VALID_USCC).count() == 1
    assert not [m for m in mail.outbox if colleague["email"] in m.to]
