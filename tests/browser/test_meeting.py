"""Two failures a briefer met in a meeting, in Chromium: leaving presentation, and one link
opened by several people at once."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.browser.test_briefing import BANNER, leaflet_view, map_frame, sized_page

MEETING_LINK = "/?date=2022-09-18&window=7&present=1&lat=47.9&lon=36.6&zoom=7"


def test_exit_presentation_leaves_it_at_once_by_button_and_by_esc(browser, server):
    context, page = sized_page(browser, 1280, 720)
    try:
        page.goto(server + "/?date=2022-09-18&window=7&present=1")
        map_frame(page)
        expect(page.locator(BANNER)).to_be_visible()
        page.get_by_role("button", name="Exit presentation").click()
        expect(page.locator(BANNER)).to_have_count(0, timeout=5_000)
        expect(page.locator("h1")).to_have_count(1, timeout=5_000)  # the page's title is back
        # the address bar follows within a moment (the map's own report may rerun the page)
        page.wait_for_function("() => !window.location.search.includes('present=1')", timeout=5_000)
        assert "present" not in parse_qs(urlparse(page.url).query)
        # Esc, from the page and from inside the map, leaves too.
        for where in ("page", "map"):
            page.goto(server + "/?date=2022-09-18&window=7&present=1")
            map_frame(page)
            expect(page.locator(BANNER)).to_be_visible()
            # Esc is heard once the page's listener is in (its zero-size frame loads after
            # the map; CI, 30 Nov: an Esc pressed before it was lost and the banner stayed)
            page.wait_for_function("() => window.__oemEscape === true", timeout=15_000)
            if where == "map":
                page.frame_locator("iframe[title='streamlit_folium.st_folium']").locator(
                    ".leaflet-container"
                ).focus()
            else:
                page.locator(BANNER).click()
            page.keyboard.press("Escape")
            # 10 s, not 5: on a loaded CI machine (fresh clone, 30 Nov) one Esc took over 5 s
            # to come back as a full page; locally it takes under 2 s
            expect(page.locator(BANNER)).to_have_count(0, timeout=10_000)
    finally:
        context.close()


def test_one_link_opened_by_four_people_at_once_shows_four_identical_views(browser, server):
    for _round in range(3):
        opened = [sized_page(browser, 1280, 720) for _ in range(4)]
        try:
            for _context, page in opened:  # all four within a second
                page.goto(server + MEETING_LINK, wait_until="commit")
            for _context, page in opened:
                map_frame(page)
                expect(page.locator(BANNER)).to_contain_text("18 September 2022")
                expect(page.locator(BANNER)).to_contain_text("(7 days)")
                query = parse_qs(urlparse(page.url).query)
                assert query.get("window") == ["7"] and query.get("present") == ["1"], page.url
                assert "speed" not in query, page.url
                lat, lon, zoom = leaflet_view(page)
                assert zoom == 7 and abs(lat - 47.9) < 0.05 and abs(lon - 36.6) < 0.05
        finally:
            for context, _page in opened:
                context.close()
