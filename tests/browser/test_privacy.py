"""Answering loads nothing from elsewhere and leaves no cookie, even with JavaScript on."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from consultations.models import Response
from tests.browser.conftest import assert_styled, send_button, ui

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_whole_journey_stays_on_the_site_and_sets_no_cookie(live_server, demo, new_context, language):
    context = new_context(java_script_enabled=True)
    requested: list[str] = []
    set_cookie: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on(
        "response",
        lambda response: set_cookie.append(response.url) if response.header_value("set-cookie") is not None else None,
    )
    page = context.new_page()

    page.goto(f"{live_server.url}/{language}/")
    assert_styled(page)
    with page.expect_navigation():
        page.locator(".card a").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name=ui(language, "Start now")).click()
    page.locator("#id_age_band_2").check()
    page.locator("#id_sex_0").check()
    page.locator("#id_country").select_option("FR")
    page.locator("input[type=checkbox]").first.check()
    page.locator("textarea").first.fill("Écris-moi : kid@example.com")
    with page.expect_navigation():
        send_button(page, language).click()
    assert page.locator("h1").inner_text().strip() == ui(language, "Thank you!")
    page.goto(f"{live_server.url}/{language}/privacy/")
    assert Response.objects.count() == 1

    site = urlsplit(live_server.url)
    assert any(urlsplit(url).path.startswith("/static/") for url in requested), "the stylesheet request was seen"
    elsewhere = [url for url in requested if (urlsplit(url).scheme, urlsplit(url).netloc) != (site.scheme, site.netloc)]
    assert not elsewhere, "requests to other hosts:\n" + "\n".join(elsewhere)
    assert not set_cookie, "responses that set a cookie:\n" + "\n".join(set_cookie)
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
