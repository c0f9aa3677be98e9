"""Issue 18 in Chromium, offline, on the running page: search as you type in Latin and Cyrillic,
going to a place, drawing an area, brushing a date range on the weekly chart (kept in the link),
and clusters and heat drawn with no internet."""

from __future__ import annotations

import re

from tests.browser.conftest import MAP_FRAME, screenshot
from tests.browser.test_briefing import map_frame, sized_page

MATCHED = re.compile(r"Filters keep (\d+) of 105 events")


def iframe(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()


def matched(page) -> int:
    text = page.get_by_text(MATCHED).first.inner_text(timeout=30_000)
    return int(MATCHED.search(text).group(1))


def search(page, text: str) -> int:
    box = page.get_by_role("textbox", name="Search", exact=True)
    box.fill(text)  # no Enter: the count follows the typing
    page.get_by_text(MATCHED).first.wait_for(timeout=30_000)
    page.wait_for_function(
        "q => new URL(location).searchParams.get('q') === q", arg=text, timeout=30_000
    )
    page.locator("[data-test-script-state='notRunning']").wait_for(state="attached")
    return matched(page)


def test_search_finds_the_same_events_in_every_spelling_as_you_type(browser, server):
    context, page = sized_page(browser, 1600, 1000)
    page.goto(f"{server}/?date=2022-11-14")
    map_frame(page)
    counts = {q: search(page, q) for q in ("zaporizhia", "Запоріжжя", "Zaporizhzhia")}
    assert len(set(counts.values())) == 1 and counts["zaporizhia"] > 0, counts
    # the table's heading says how many of the window's rows the filters keep
    assert page.get_by_text(re.compile(r"^Events shown \(\d+ of \d+ in the window")).count()
    assert page.external == []
    context.close()


def test_go_to_a_place_flies_there_and_the_link_keeps_it(browser, server):
    context, page = sized_page(browser, 1600, 1000)
    page.goto(f"{server}/?date=2022-09-30&window=7")
    map_frame(page)
    before = iframe(page).evaluate("() => OEM.state.map.getZoom()")
    page.get_by_role("combobox", name="Go to").click()
    page.keyboard.type("Izium")
    page.get_by_role("option", name=re.compile("^Izium")).first.click()
    page.wait_for_function("() => /[?&]zoom=(9|1[01])/.test(location.search)", timeout=30_000)
    lat, lon, zoom = iframe(page).evaluate(
        "() => [OEM.state.map.getCenter().lat, OEM.state.map.getCenter().lng,"
        " OEM.state.map.getZoom()]"
    )
    assert zoom > before and abs(lat - 49.21) < 0.2 and abs(lon - 37.26) < 0.3
    assert "lat=49.2" in page.url and "lon=37.2" in page.url
    screenshot(page, "go-to-izium", full_page=False)
    context.close()


def test_drawing_a_rectangle_filters_the_table_and_counts_and_enters_the_link(browser, server):
    context, page = sized_page(browser, 1600, 1000)
    page.goto(f"{server}/?date=2022-11-14")
    frame = map_frame(page)
    box = page.locator(MAP_FRAME).bounding_box()
    # a rectangle around Zaporizhzhia city and Enerhodar, in screen pixels of the map
    corners = iframe(page).evaluate(
        "() => [[47.95, 34.4], [47.3, 35.5]].map(c => {"
        " const p = OEM.state.map.latLngToContainerPoint(c); return [p.x, p.y]; })"
    )
    frame.locator(".oem-draw button").first.click()
    (x0, y0), (x1, y1) = corners
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=6)
    page.mouse.up()
    page.wait_for_function("() => /[?&]area=/.test(location.search)", timeout=30_000)
    page.locator("[data-test-script-state='notRunning']").wait_for(state="attached")
    shown = page.get_by_text(re.compile(r"^Events shown \(\d+ of \d+")).first
    got = re.search(r"(\d+) of (\d+)", shown.inner_text(timeout=30_000))
    assert 0 < int(got.group(1)) < int(got.group(2))
    kept = matched(page)
    assert 0 < kept < 105
    assert page.get_by_text("Area drawn on the map: only the events inside it").count()
    screenshot(page, "drawn-area", full_page=False)
    # the link reopens the area: same count in a new browser context
    link = page.url
    context.close()
    context, page = sized_page(browser, 1600, 1000)
    page.goto(link)
    map_frame(page)
    assert matched(page) == kept
    area = "() => OEM.state.map.getContainer().getAttribute('data-oem-area')"
    assert iframe(page).evaluate(area) == "4"  # the rectangle's four corners, drawn again
    page.get_by_role("button", name="Clear the drawn area").click()
    page.wait_for_function("() => !/[?&]area=/.test(location.search)", timeout=30_000)
    context.close()


def test_brushing_the_weekly_chart_sets_a_range_the_link_reopens(browser, server):
    context, page = sized_page(browser, 1600, 2400)
    page.goto(f"{server}/?date=2022-09-30&window=7")
    map_frame(page)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    y = box["y"] + box["height"] * 0.45
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.66, y, steps=8)
    page.mouse.up()
    page.wait_for_function("() => /[?&]from=.*&to=/.test(location.search)", timeout=30_000)
    page.locator("[data-test-script-state='notRunning']").wait_for(state="attached")
    first = re.search(r"from=([\d-]+)", page.url).group(1)
    last = re.search(r"to=([\d-]+)", page.url).group(1)
    assert first < last
    # the map counts from the range's first day; its time bar runs inside the range
    banner = page.locator(".oem-date-banner").inner_text()
    assert "range to" in banner, banner
    bar = iframe(page).evaluate("() => [OEM.state.bar.steps.first, OEM.state.bar.steps.last]")
    assert bar == [first, last], (bar, first, last)
    screenshot(page, "brushed-range", full_page=True)
    link = page.url
    context.close()
    context, page = sized_page(browser, 1600, 1000)
    page.goto(link)
    map_frame(page)
    assert page.locator(".oem-date-banner").inner_text() == banner
    context.close()


def test_clusters_and_heat_draw_offline_and_the_legend_says_which(browser, server):
    context, page = sized_page(browser, 1600, 1000)
    for density, selector, words in (
        ("clusters", ".oem-cluster", "grouped into clusters"),
        ("heat", "canvas.leaflet-heatmap-layer", "Heat: where the events drawn"),
    ):
        page.goto(f"{server}/?data=ucdp&date=2022-09-30&window=90&density={density}")
        frame = map_frame(page)
        frame.locator(selector).first.wait_for(timeout=30_000)
        assert page.get_by_text(words).count(), density
        screenshot(page, f"density-{density}", full_page=False)
    assert iframe(page).evaluate("() => Object.keys(OEM.state.markers || {}).length") == 0
    assert page.external == []
    context.close()
