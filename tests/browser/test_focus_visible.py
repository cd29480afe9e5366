"""Whoever moves through the page with Tab can always see where they are."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_styled, describe_focus, send_button

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSABLE = 'a[href], input:not([type=hidden]), select, textarea, button, summary, [tabindex]:not([tabindex="-1"])'

# The indicator of every focusable element, in document order: its outline and box-shadow.
STYLES = f"""() => [...document.querySelectorAll('{FOCUSABLE}')].map(e => {{
  const s = getComputedStyle(e);
  return {{outline: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0 ? 'none'
            : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          shadow: s.boxShadow, background: s.backgroundColor}};
}})"""
FOCUSED_INDEX = f"() => [...document.querySelectorAll('{FOCUSABLE}')].indexOf(document.activeElement)"
KIND = """() => { const e = document.activeElement;
  return e.tagName === 'INPUT' ? e.type : e.tagName.toLowerCase(); }"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_control_of_the_answering_page_shows_keyboard_focus(live_server, demo, page, language):
    page.goto(f"{live_server.url}/{language}/consultations/cyberbullying/answer/")
    assert_styled(page)
    unfocused = page.evaluate(STYLES)
    seen_kinds = set()
    invisible = []
    for _ in range(len(unfocused) + 5):
        page.keyboard.press("Tab")
        index = page.evaluate(FOCUSED_INDEX)
        if index < 0:  # focus left the page for the browser's own interface: every stop was visited
            break
        seen_kinds.add(page.evaluate(KIND))
        now = page.evaluate(STYLES)[index]
        before = unfocused[index]
        shows_outline = now["outline"] != "none"
        shows_shadow = now["shadow"] != "none" and now["shadow"] != before["shadow"]
        if not (shows_outline or shows_shadow) or now == before:
            invisible.append(f"{describe_focus(page)}: focused {now}, unfocused {before}")
    assert not invisible, "no visible focus indicator on:\n" + "\n".join(invisible)
    assert {"a", "radio", "checkbox", "select", "textarea", "button"} <= seen_kinds, seen_kinds


def test_the_start_now_link_and_the_share_link_field_show_keyboard_focus(live_server, demo, page):
    page.goto(f"{live_server.url}/fr/consultations/digital-skills/")
    unfocused = page.evaluate(STYLES)
    for _ in range(len(unfocused) + 5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('button')"):
            break
    else:
        raise AssertionError("the Start now button-link was not reached by Tab")
    index = page.evaluate(FOCUSED_INDEX)
    focused_style = page.evaluate(STYLES)[index]
    assert focused_style != unfocused[index]
    assert focused_style["outline"] != "none" or focused_style["shadow"] != unfocused[index]["shadow"]

    # The thank-you page's read-only share field is focusable too.
    page.keyboard.press("Enter")
    page.wait_for_url("**/answer/")
    with page.expect_navigation():
        send_button(page, "fr").click()
    assert page.locator(".panel-success").is_visible()
    unfocused = page.evaluate(STYLES)
    for _ in range(len(unfocused) + 5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "share-link":
            break
    else:
        raise AssertionError("the share link field was not reached by Tab")
    index = page.evaluate(FOCUSED_INDEX)
    focused_style = page.evaluate(STYLES)[index]
    assert focused_style != unfocused[index]
    assert focused_style["outline"] != "none"
