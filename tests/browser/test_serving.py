"""The running server's headers in Chromium: another site cannot frame the page, and the
app's static files carry no wildcard CORS header; a link far too long opens the page, cut,
with a notice."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import MAP_FRAME


def test_another_site_cannot_show_the_page_in_a_frame(browser, server):
    context = browser.new_context()
    page = context.new_page()
    response = page.request.get(server + "/")
    assert response.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    static = page.request.get(
        server + "/app/static/leaflet/leaflet.js", headers={"Origin": "https://evil.example"}
    )
    assert static.ok
    assert "access-control-allow-origin" not in static.headers
    # A page of another origin (here: a document with no origin) framing the dashboard.
    page.set_content(f"<iframe id='f' src='{server}/' width='800' height='600'></iframe>")
    deadline = time.monotonic() + 20
    framed = None
    while time.monotonic() < deadline:
        framed = next((f for f in page.frames if f != page.main_frame), None)
        if framed is not None and framed.url not in ("", "about:blank"):
            break
        time.sleep(0.2)  # polling the frame's navigation, not waiting on the page
    assert framed is not None
    assert framed.url.startswith("chrome-error://"), framed.url  # refused by the browser
    context.close()


def test_a_link_of_thousands_of_parameters_opens_the_page_and_says_what_was_dropped(
    browser, server
):
    # Issue 22: 5,000 parameters and a 20,000-value list (about 160 KB) once got a bare HTTP
    # 400 from the server's parser; they open the page, cut, with a notice.
    many = "&".join(f"x{k}=1" for k in range(5_000))
    cats = ",".join(f"c{k}" for k in range(20_000))
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        response = page.goto(f"{server}/?date=2022-09-20&window=7&cat={cats}&{many}")
        assert response.ok, response.status
        notice = page.locator(".st-key-link_notices")
        expect(notice).to_contain_text(
            re.compile(r"the link was too long: 4,?9\d\d of its parameters were dropped"),
            timeout=60_000,
        )
        expect(notice).to_contain_text("cat: more than 50 values; the first 50 are read")
        page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
        assert "date=2022-09-20" in page.url and len(page.url) < 20_000  # the page's own link
    finally:
        context.close()
