"""The mapping form in Chromium: a table in no known format is mapped from the keyboard alone,
and its events reach the map with the count the command line gives."""

import json

from playwright.sync_api import expect

from dashboard.validate import main
from tests.browser.conftest import MAP_FRAME, screenshot
from tests.browser.test_map_page import MARKERS, open_map
from tests.browser.test_upload import upload

# Column names the guesses cannot place for the date: the user picks it.
MONITOR = (
    b"reported,latitude,longitude,headline,url,region\n"
    b"23/09/2022 10:00,47.0971,37.5434,Shelling reported,https://example.org/a,Donets'ka oblast\n"
    b"05/09/2022,46.8489,35.3675,Explosion,https://example.org/b,Zaporizhzhya oblast\n"
    b"10/09/2022,49.5,36.9,Village retaken,,Kharkivs'ka oblast\n"
    b"11/09/2022,,,No place given,https://example.org/d,\n"
)


def test_a_table_is_mapped_from_the_keyboard(offline_page, server, tmp_path, capsys):
    open_map(offline_page, server)
    upload(offline_page, tmp_path, "monitor.csv", MONITOR)
    offline_page.get_by_text("Map the columns of monitor.csv").wait_for(timeout=30_000)
    offline_page.get_by_text("Choose at least the start date and a place").wait_for()
    # Keyboard only: focus the date box, type the column's name, Enter.
    box = offline_page.locator(".st-key-map_start_date input")
    box.focus()
    offline_page.keyboard.type("reported")
    offline_page.get_by_role("option", name="reported").wait_for(timeout=10_000)
    offline_page.keyboard.press("Enter")
    expect(offline_page.get_by_role("combobox", name="Start date")).to_have_count(1)
    path = tmp_path / "monitor.csv"
    main([str(path), "--json", "--map", "start_date=reported", "--map", "lat=latitude",
          "--map", "lon=longitude", "--map", "title=headline", "--map", "source_url=url",
          "--map", "oblast=region"])  # fmt: skip
    cli = json.loads(capsys.readouterr().out)
    assert (cli["accepted"], cli["rows"]) == (3, 4)
    offline_page.get_by_text("3 of 4 records would be accepted with this mapping.").wait_for(
        timeout=30_000
    )
    frame = offline_page.frame_locator(MAP_FRAME)
    expect(frame.locator(MARKERS)).to_have_count(3, timeout=30_000)
    offline_page.get_by_text("Map the columns of monitor.csv").scroll_into_view_if_needed()
    screenshot(offline_page, "mapping-form", full_page=False)
    assert offline_page.external == []
