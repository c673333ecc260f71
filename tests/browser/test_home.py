"""The public home page is in Chinese and works offline: vendored Bootstrap, icons and scripts."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SITE_NAME = "青岛市重点产业数字化转型赋能中心管理平台"


def test_home_page_renders_with_vendored_assets(page, portal, save_screenshot):
    failed, foreign, errors = [], [], []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("request", lambda r: urlsplit(r.url).netloc != urlsplit(portal).netloc
            and foreign.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(portal + "/")
    page.evaluate("document.fonts.ready")

    expect(page).to_have_title(SITE_NAME)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text(SITE_NAME)
    for section in ("#open-calls", "#notices", "#centers"):
        expect(page.locator(section)).to_be_visible()
    expect(page.get_by_role("link", name="申报单位注册").first).to_be_visible()

    # Bootstrap's stylesheet and bundle are applied, and the icon font has loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    assert page.evaluate("typeof window.bootstrap?.Dropdown") == "function"
    assert page.evaluate(
        "Array.from(document.fonts).some(f => f.family.replace(/\"/g, '') === 'bootstrap-icons'"
        " && f.status === 'loaded')"
    )
    assert failed == []
    assert foreign == [], "the portal must not load anything from a CDN"
    assert errors == []
    save_screenshot(page, "home")
