"""The map's own time bar in Chromium: arrow keys step the map through dates the server wrote
ahead, with no page rerun; once the user pauses, the page (slider, banner, link) follows. A date
not written yet is drawn by the server instead."""

from playwright.sync_api import expect

from tests.browser.conftest import MAP_FRAME, screenshot, wait_complete

BAR = ".oem-timebar input[type=range]"
MARKERS = "path.leaflet-interactive[fill-opacity='0.95']"
PREPARED_JS = """async (day) => {
  const bar = window.OEM && OEM.state.bar;
  if (!bar) { return false; }
  const r = await fetch(bar.steps.url + day + '.json', {cache: 'no-store'});
  return r.ok;
}"""

PAYLOAD_MARKERS_JS = """async (day) => {
  const r = await fetch(OEM.state.bar.steps.url + day + '.json', {cache: 'no-store'});
  return (await r.json()).m.length;
}"""


def open_page(page, url, query):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{url}/?{query}")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(BAR).wait_for(timeout=60_000)
    wait_complete(page)
    iframe = page.locator(MAP_FRAME).element_handle().content_frame()
    return frame, iframe, sent


def map_shows(frame, day: str, timeout_ms: int = 30_000) -> None:
    frame.locator(f".leaflet-container[data-oem-date='{day}']").wait_for(
        state="attached", timeout=timeout_ms
    )


def test_arrow_keys_on_the_time_bar_step_the_map_and_the_page_follows(offline_page, server):
    page = offline_page
    frame, iframe, sent = open_page(page, server, "date=2022-09-20&window=30")
    map_shows(frame, "2022-09-20")
    iframe.wait_for_function(PREPARED_JS, arg="2022-09-23", timeout=60_000)
    slider = page.get_by_role("slider").first
    assert slider.get_attribute("aria-valuetext") == "20 Sep 2022"
    frame.locator(BAR).focus()
    sent.clear()
    for day in ("2022-09-21", "2022-09-22", "2022-09-23"):
        page.keyboard.press("ArrowRight")
        map_shows(frame, day)
    # three dates drawn by the client: the page was not asked to rerun
    assert sent == []
    assert "23 September 2022" in frame.locator(".oem-timebar output").inner_text()
    assert frame.locator(BAR).get_attribute("aria-valuetext") == "23 September 2022"
    # what the client drew is the date's payload: the five oblasts and one circle per marker
    markers = iframe.evaluate(PAYLOAD_MARKERS_JS, "2022-09-23")
    assert markers >= 3
    assert iframe.evaluate("document.querySelectorAll('path.leaflet-interactive').length") == (
        5 + markers
    )
    # once the user pauses, the page follows: slider, banner, link
    expect(page.get_by_role("slider").first).to_have_attribute(
        "aria-valuetext", "23 Sep 2022", timeout=30_000
    )
    assert len(sent) >= 1
    page.locator(".oem-date-banner", has_text="23 September 2022").wait_for(timeout=30_000)
    page.wait_for_url("**date=2022-09-23**", timeout=30_000)
    map_shows(frame, "2022-09-23")
    # a marker of a date the client drew opens its popup with the source link
    wait_complete(page)
    frame.locator(MARKERS).first.click(force=True)
    link = frame.locator(".leaflet-popup-content a[target='_blank']").first
    link.wait_for(timeout=10_000)
    assert link.get_attribute("href").startswith(("https://", "http://"))
    screenshot(page, "time-bar-stepped")
    # the page's own slider still moves the map once the page has caught up
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    map_shows(frame, "2022-09-24")
    assert "24 September 2022" in frame.locator(".oem-timebar output").inner_text()
    assert page.external == []


def test_a_date_not_prepared_is_drawn_by_the_server(offline_page, server):
    page = offline_page
    frame, iframe, _ = open_page(page, server, "date=2022-10-20&window=0")
    map_shows(frame, "2022-10-20")
    first = iframe.evaluate("OEM.state.bar.steps.first")
    assert not iframe.evaluate(PREPARED_JS, first)  # months before: not written ahead
    frame.locator(BAR).focus()
    page.keyboard.press("Home")  # the first date of the data
    map_shows(frame, first)
    page.wait_for_url(f"**date={first}**", timeout=30_000)
    wait_complete(page)
    expect(page.get_by_role("slider").first).to_have_attribute(
        "aria-valuetext", "21 Feb 2022", timeout=30_000
    )
    assert first == "2022-02-21"
    assert page.locator("[data-testid='stException']").count() == 0
