"""The public base layout in a real browser: the menu on a phone, keyboard use, and the
low-vision and language switches without JavaScript (WCAG 2.1 AA and valid HTML of every page
type: test_portal_demo.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core and the Nu checker on every page type, home, sections and the 404 page included, run
# on the demo site: test_portal_demo.py.


def test_narrow_screen_folds_the_menu_behind_a_button(page, demo_site, axe_violations):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo_site["home"])
    menu = page.get_by_role("navigation", name="Головне меню")
    toggle = menu.get_by_role("button", name="Меню")

    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="Громада").is_visible()

    toggle.click()

    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Громада").is_visible()
    assert axe_violations(page) == []


def test_narrow_screen_without_javascript_shows_the_whole_menu(browser, demo_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(demo_site["home"])

    menu = page.get_by_role("navigation", name="Головне меню")
    assert menu.get_by_role("link", name="Громада").is_visible()
    assert menu.get_by_role("button").count() == 0
    context.close()


def test_skip_link_is_the_first_focusable_element_and_focus_is_visible(page, demo_site):
    page.goto(demo_site["section"])

    page.keyboard.press("Tab")

    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.inner_text() == "Перейти до основного вмісту"
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    style = focused.evaluate(
        "(el) => { const s = getComputedStyle(el);"
        " return {shadow: s.boxShadow, outline: s.outlineStyle, background: s.backgroundColor}; }"
    )
    assert style["shadow"] != "none" or style["outline"] != "none"
    assert style["background"] == "rgb(255, 213, 0)"

    page.keyboard.press("Enter")

    assert page.url.endswith("#main")


def test_low_vision_switch_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site["section"])
    assert "low-vision" not in (page.locator("html").get_attribute("class") or "")

    page.get_by_role("link", name="Версія для людей з порушеннями зору").click()

    assert page.url == demo_site["section"]
    assert "low-vision" in page.locator("html").get_attribute("class")
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["low_vision"]["value"] == "1"
    assert cookies["low_vision"]["sameSite"] == "Lax"

    page.get_by_role("link", name="Звичайна версія").click()

    assert page.url == demo_site["section"]
    assert "low-vision" not in (page.locator("html").get_attribute("class") or "")
    context.close()


def test_language_switch_works_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(demo_site["section"])
    assert page.locator("html").get_attribute("lang") == "uk"

    page.get_by_role("button", name="English").click()

    assert page.url == demo_site["section"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation", name="Main menu").is_visible()

    page.get_by_role("button", name="Українська").click()

    assert page.locator("html").get_attribute("lang") == "uk"
    context.close()
