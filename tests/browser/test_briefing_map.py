"""Issue 17 in Chromium, offline: the frame fits the five oblasts with no clipped neighbour,
town names at the default zoom never overlap (English and Ukrainian), settlement control on
the dates the issue names, the laptop layout, and an analyst's dated control areas."""

import json

import pytest

from tests.browser.conftest import MAP_FRAME, screenshot
from tests.browser.test_briefing import map_frame, sized_page

# The five oblasts' union on screen, the map's box, the view's bounds and the clip box.
FRAME_JS = """() => {
  const map = OEM.state.map, box = map.getContainer().getBoundingClientRect();
  let l = 1e9, t = 1e9, r = -1e9, b = -1e9;
  Object.values(OEM.state.oblasts).forEach(layer => {
    const q = layer.getElement().getBoundingClientRect();
    l = Math.min(l, q.left); t = Math.min(t, q.top);
    r = Math.max(r, q.right); b = Math.max(b, q.bottom);
  });
  const v = map.getBounds();
  return {w: (r - l) / box.width, h: (b - t) / box.height,
          view: [v.getSouth(), v.getWest(), v.getNorth(), v.getEast()]};
}"""

# Every name shown: its box on screen (oblast names and towns alike).
NAMES_JS = """() => Array.from(document.querySelectorAll('.oem-label, .oem-town'))
  .filter(e => e.style.visibility === 'visible')
  .map(e => { const r = e.getBoundingClientRect();
              return [e.textContent, r.left, r.top, r.right, r.bottom, e.className]; })"""

CLIP_BOX = (25.0, -10.0, 72.0, 80.0)  # scripts/build_geo.py CONTEXT_BBOX (south, west, north, east)


def iframe(page):
    return page.locator(MAP_FRAME).element_handle().content_frame()


def test_presentation_fills_the_screen_with_the_five_oblasts(browser, server):
    context, page = sized_page(browser, 1920, 1080)
    page.goto(f"{server}/?present=1&date=2022-09-30&window=7")
    map_frame(page)
    page.wait_for_timeout(1500)
    got = iframe(page).evaluate(FRAME_JS)
    assert max(got["w"], got["h"]) >= 0.6, got  # at least 60 % of the width or the height
    south, west, north, east = got["view"]
    assert south > CLIP_BOX[0] and west > CLIP_BOX[1] and north < CLIP_BOX[2] and east < CLIP_BOX[3]
    # the map's own fit (made again when the frame settles) is not a view the link carries
    page.wait_for_timeout(1500)
    assert "lat=" not in page.url and "zoom=" not in page.url, page.url
    screenshot(page, "present-fit-1920", full_page=False)
    context.close()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_town_names_at_the_default_zoom_never_overlap(browser, server, lang):
    context, page = sized_page(browser, 1920, 1080)
    page.goto(f"{server}/?lang={lang}&date=2022-09-10&window=30")
    map_frame(page)
    page.wait_for_timeout(1500)
    names = iframe(page).evaluate(NAMES_JS)
    towns = [n for n in names if "oem-town" in n[5]]
    centres = {
        "en": {"Kherson", "Zaporizhzhia", "Donetsk", "Luhansk", "Kharkiv"},
        "uk": {"Херсон", "Запоріжжя", "Донецьк", "Луганськ", "Харків"},
    }[lang]
    shown = {n[0] for n in towns}
    assert centres <= shown, centres - shown
    assert len(shown - centres) >= 10, shown
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a, b)
    screenshot(page, f"page-names-{lang}", full_page=False)
    context.close()


@pytest.mark.parametrize(
    ("day", "settlement", "colour"),
    [
        ("2022-09-10", "Balakliia", "#1f5aa6"),  # under Ukrainian control
        ("2022-09-10", "Lyman", "#b2182b"),  # occupied
        ("2022-11-12", "Kherson", "#1f5aa6"),
        ("2022-11-12", "Nova Kakhovka", "#b2182b"),
    ],
)
def test_settlement_control_on_the_dates_issue_17_names(browser, server, day, settlement, colour):
    context, page = sized_page(browser, 1600, 1000)
    page.goto(f"{server}/?date={day}&window=30")
    map_frame(page)
    found = iframe(page).evaluate(
        """(name) => OEM.state.squares
           .filter(s => s.getTooltip().getContent().startsWith(name + ':'))
           .map(s => s.getElement().querySelector('.oem-ctl').style.background)""",
        settlement,
    )
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert found == [f"rgb({rgb[0]}, {rgb[1]}, {rgb[2]})"], found
    context.close()


def test_a_laptop_sees_the_map_high_and_the_ukrainian_summary_whole(browser, server):
    context, page = sized_page(browser, 1366, 768)
    page.goto(f"{server}/?lang=uk&data=ucdp&date=2022-09-30&window=30&metric=fatalities")
    map_frame(page)
    top = page.locator(MAP_FRAME).bounding_box()["y"]
    assert top <= 320, top
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    headers = grid.locator("th")
    for i in range(headers.count()):
        cell = headers.nth(i).bounding_box()
        if cell is not None and cell["width"] > 0:
            assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1, headers.nth(
                i
            ).inner_text()
    screenshot(page, "laptop-uk-1366", full_page=False)
    context.close()


def test_a_users_dated_control_areas_show_the_polygon_in_force(offline_page, server, tmp_path):
    areas = {
        "type": "FeatureCollection",
        "name": "Test areas",
        "source": "written by the test",
        "licence": "CC0",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "valid_from": "2022-03-02",
                    "valid_to": "2022-11-10",
                    "status": "occupied",
                },
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[32.4, 46.5], [33.0, 46.5], [33.0, 46.8], [32.4, 46.8], [32.4, 46.5]]
                    ],
                },
            }
        ],
    }
    page = offline_page
    page.goto(f"{server}/?date=2022-11-09&window=7")
    map_frame(page)
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(areas))
    page.locator(".st-key-areas_upload input[type='file']").set_input_files(str(path))
    frame = page.frame_locator(MAP_FRAME)
    area = frame.locator(".leaflet-oemAreas-pane path")
    area.first.wait_for(timeout=30_000)
    assert area.count() == 1
    assert (
        "Test areas"
        in page.locator(".oem-legend, [data-testid='stHtml']").all_inner_texts().__str__()
    )
    screenshot(page, "page-control-areas", full_page=False)
    # two days on, with the map's own time bar: 11 Nov is past the area's valid_to
    for _ in range(2):
        frame.locator(".oem-tb-next").click()
    frame.locator("[data-oem-date='2022-11-11']").wait_for(timeout=30_000)
    assert frame.locator(".leaflet-oemAreas-pane path").count() == 0


def test_an_open_popup_keeps_clear_of_the_time_bar_and_no_tooltip_covers_it(browser, server):
    context, page = sized_page(browser, 1366, 768)
    page.goto(f"{server}/?date=2022-09-10&window=30")
    map_frame(page)
    frame = iframe(page)
    frame.evaluate(
        """() => { const m = Object.values(OEM.state.markers)[0]; m.openPopup();
                   m.openTooltip(); }"""
    )
    page.wait_for_timeout(800)  # the map pans the popup into view
    popup = frame.evaluate(
        "() => document.querySelector('.leaflet-popup').getBoundingClientRect().toJSON()"
    )
    bar = frame.evaluate(
        "() => document.querySelector('.oem-timebar').getBoundingClientRect().toJSON()"
    )
    apart = popup["top"] >= bar["bottom"] or popup["right"] <= bar["left"]
    assert apart, (popup, bar)
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-tooltip').length") == 0
    context.close()
