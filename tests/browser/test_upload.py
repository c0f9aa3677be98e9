"""Uploading a file in Chromium: its events reach the map; injected HTML stays text."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import samples
from tests.browser.conftest import MAP_FRAME, screenshot, start_server
from tests.browser.test_briefing import download
from tests.browser.test_map_page import MARKERS, OBLAST_PATHS, open_map

OUTSIDE_MARKERS = "path.leaflet-interactive[fill-opacity='0.55']"
FILE_INPUT = ".st-key-upload input[type='file']"


def upload(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.locator(FILE_INPUT).set_input_files(str(path))


def wait_for_count(page, selector: str, n: int) -> None:
    # A locator (not a handle): the map may be re-mounted when new data arrives.
    expect(page.frame_locator(MAP_FRAME).locator(selector)).to_have_count(n, timeout=30_000)


def test_uploaded_acled_events_appear_on_the_map(offline_page, server, tmp_path):
    frame = open_map(offline_page, server)
    upload(offline_page, tmp_path, "acled_current.csv", samples.acled_current())
    offline_page.get_by_text("Validation report: acled_current.csv").wait_for(timeout=30_000)
    # Six accepted events at six places; Kyiv lies outside the five oblasts and is hidden.
    wait_for_count(offline_page, MARKERS, 5)
    wait_for_count(offline_page, OBLAST_PATHS, 5)  # styled once the geometry is in
    # Events, not mouse positions: the page may still be settling its layout around the map.
    frame.locator(MARKERS).first.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "ACLED" in popup.inner_text()
    screenshot(offline_page, "upload-acled")
    offline_page.get_by_text("Show events outside the five oblasts").click()
    wait_for_count(offline_page, OUTSIDE_MARKERS, 1)
    # The report opens on request and names each rejected record's reason.
    offline_page.get_by_text("Validation report: acled_current.csv").click()
    offline_page.get_by_text("Download all 5 rejected records (CSV)").wait_for(timeout=10_000)
    # made when clicked (a callable: not on every run of the page), and read back whole
    # (the helper waits for an idle page: a rerun replacing the button lost the click, CI)
    got = download(offline_page, "Download all 5 rejected records (CSV)")
    rows = list(csv.DictReader(io.StringIO(Path(got).read_text("utf-8-sig"))))
    assert [int(r["record"]) for r in rows] == [8, 9, 10, 11, 12] and all(r["reason"] for r in rows)
    offline_page.get_by_text("Validation report: acled_current.csv").scroll_into_view_if_needed()
    screenshot(offline_page, "upload-report", full_page=False)
    assert offline_page.external == []


def test_injected_html_shows_as_text_and_never_runs(offline_page, server, tmp_path):
    dialogs: list[str] = []
    offline_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    frame = open_map(offline_page, server)
    upload(offline_page, tmp_path, "hostile.csv", samples.native_hostile())
    offline_page.get_by_text("Validation report: hostile.csv").wait_for(timeout=30_000)
    wait_for_count(offline_page, MARKERS, 1)  # the one event with coordinates
    marker = frame.locator(MARKERS).first
    marker.dispatch_event("mouseover")
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=10_000)
    assert "<script>" in tooltip.inner_text()
    marker.dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert samples.HOSTILE_TEXT in popup.inner_text()  # shown as text, verbatim
    assert popup.locator("img, script").count() == 0
    screenshot(offline_page, "upload-hostile")
    assert dialogs == []


@pytest.fixture
def small_limit_server():
    proc, url = start_server({"OEM_MAX_UPLOAD_MB": "1"})
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_file_over_the_limit_is_refused_with_a_message(offline_page, small_limit_server, tmp_path):
    open_map(offline_page, small_limit_server)
    big = samples.acled_current() * 400  # ~1.5 MB
    upload(offline_page, tmp_path, "big.csv", big)
    offline_page.get_by_text("1.0MB or smaller", exact=False).or_(
        offline_page.get_by_text("over the 1 MB limit", exact=False)
    ).first.wait_for(timeout=30_000)
    screenshot(offline_page, "upload-too-big")
