"""The running server's headers in Chromium: another site cannot frame the page, and the
app's static files carry no wildcard CORS header."""

from __future__ import annotations

import time


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
