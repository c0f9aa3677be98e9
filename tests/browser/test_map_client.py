"""The map client (dashboard/web/oem-map.js) in Chromium, on pages built here with no Streamlit:
density modes (points, clusters, heat) and switching between them, the plugins loaded only when
a payload needs them, drawing an area (what the page is told), the page's area and flights.

The payloads are the real scene's (``scene.build.make`` on the bundled events) with the keys
the issue adds (``dm``, ``m[7]``, ``h``, ``hmax``, ``area``, ``fly``) put in by hand. Each page
is served by a small local HTTP server (the app's static files at /app/static/); the map sits
in a frame of a parent page that records what the client posts, as Streamlit's page would.
"""

from __future__ import annotations

import copy
import json
import math
import re
import threading
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import folium
import pytest

from dashboard.config import EVENTS_CSV
from dashboard.geo.regions import load_regions
from dashboard.i18n import tr
from dashboard.ingest.events import load_events
from dashboard.render import assets, html, leaflet
from dashboard.scene import build
from tests.browser.conftest import CHROMIUM, LOCAL_HOSTS, screenshot

WIDTH, HEIGHT = 1366, 768  # the laptop the issue names
MARKERS = ".leaflet-oemMarkers-pane path.leaflet-interactive"
CLUSTERS = ".oem-cluster"
HEAT_CANVAS = "canvas.leaflet-heatmap-layer"
DRAWN = ".leaflet-oemDrawn-pane path"

PARENT = """<!doctype html><html><head><meta charset="utf-8">
<style>html,body{margin:0}iframe{border:0;display:block}</style></head><body>
<iframe id="map" src="%s" width="%d" height="%d"></iframe>
<script>
window.messages = [];
window.addEventListener("message", function (e) { window.messages.push(e.data); });
</script></body></html>"""


# --- payloads ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def scene_payload(regions):
    """A real payload with many places, several events at most of them (all of 2022 up to
    14 November), each marker row with its count (``m[7]``)."""
    events = load_events(EVENTS_CSV, regions).events
    payload = copy.deepcopy(build.make(events, regions, date(2022, 11, 14), None).layers.payload)
    payload.pop("dm", None)
    for row in payload["m"]:
        if len(row) < 8:
            row.append(len(row[5]))
    assert len(payload["m"]) >= 20 and any(row[7] > 1 for row in payload["m"])
    return payload


def variant(payload: dict, mode: str, day: str, **keys) -> dict:
    """The payload drawn as ``mode`` on ``day`` (a heat payload carries no markers)."""
    p = copy.deepcopy(payload)
    p["date"] = day
    if mode != "points":
        p["dm"] = mode
    if mode == "heat":
        p["h"] = [[row[0], row[1], row[7]] for row in p["m"]]
        counts = sorted(row[7] for row in p["m"])
        p["hmax"] = counts[int(0.95 * (len(counts) - 1))]  # as the server: the 95th percentile
        p["m"], p["e"] = [], []
    p.update(keys)
    return p


def page_steps() -> dict:
    """The time bar's keys a page payload carries (its files are never fetched here)."""
    return {
        "url": "/steps/none/",
        "first": "2022-02-24",
        "last": "2022-12-31",
        "label": "Date",
        "prev": "Back",
        "next": "Forward",
        "locale": "en-GB",
    }


# --- pages ---------------------------------------------------------------------------------


def map_html(regions, payload: dict, lang: str = "en", inline: bool = True, **view) -> str:
    """The map page with ``payload`` as its first date. Inline: Leaflet, both plugins and the
    client in the page (as the standalone file); otherwise from the app's static URLs, as the
    Streamlit page has them (plugins loaded by the client when needed)."""
    m = leaflet.base_map(regions, lang=lang, inline=inline, **view)  # view: center, zoom
    if inline:
        m.default_js, m.default_css = [], []
        scripts = html.inline_scripts(("clusters", "heat"))
        m.get_root().header.add_child(leaflet.Raw(scripts), name="inline", index=0)
    group = folium.FeatureGroup(name="events")
    leaflet.DateLayer(payload).add_to(group)
    group.add_to(m)
    return m.get_root().render()


class Handler(SimpleHTTPRequestHandler):
    """Files of one folder at /, the app's static files at /app/static/ (as Streamlit)."""

    def translate_path(self, path: str) -> str:
        path = unquote(urlparse(path).path)
        if path.startswith(assets.URL_PREFIX + "/"):
            return str(assets.STATIC_DIR / path.removeprefix(assets.URL_PREFIX + "/"))
        return str(Path(self.directory) / path.lstrip("/"))

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A local web server for the pages this module writes: (folder, base URL)."""
    assets.ensure_static()
    root = tmp_path_factory.mktemp("map-client")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def open_map(browser, site):
    """Open a map page in a parent frame, offline: returns (page, map frame); page errors and
    requests that left this machine are checked at the end."""
    root, base = site
    made = []

    def opener(name: str, text: str):
        if not Path(CHROMIUM).exists():
            pytest.fail("Debian chromium is required for the browser tests")
        (root / f"{name}.html").write_text(text, encoding="utf-8")
        (root / f"{name}-parent.html").write_text(
            PARENT % (f"{name}.html", WIDTH, HEIGHT), encoding="utf-8"
        )
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        page = context.new_page()
        page.errors, page.external = [], []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))

        def guard(route):
            if (urlparse(route.request.url).hostname or "") in LOCAL_HOSTS:
                route.continue_()
            else:
                page.external.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        made.append((context, page))
        page.goto(f"{base}/{name}-parent.html")
        frame = page.locator("#map").element_handle().content_frame()
        frame.wait_for_function("document.documentElement.getAttribute('data-oem-ready') === '1'")
        return page, frame

    yield opener
    for context, page in made:
        assert page.errors == [], page.errors
        assert page.external == [], page.external
        context.close()


def add(frame, payload: dict) -> None:
    """A payload as the page sends it: a new date layer on the map."""
    # returns nothing: Playwright would spend seconds serialising the Leaflet layer it returns
    frame.evaluate("(p) => { new OEM.DateLayer(p).addTo(OEM.state.map); }", payload)


def wait_drawn(frame, mode: str, day: str) -> None:
    frame.wait_for_function(
        """([mode, day]) => {
          const box = OEM.state.map.getContainer();
          return box.getAttribute('data-oem-density') === mode && OEM.state.drawn &&
            OEM.state.drawn.date === day && !OEM.state.densityLater;
        }""",
        arg=[mode, day],
    )


def messages(page, kind: str) -> list:
    """What the map posted to its parent: component values carrying ``kind`` (e.g. area)."""
    return [
        m["value"]
        for m in page.evaluate("window.messages")
        if isinstance(m, dict) and kind in (m.get("value") or {})
    ]


# --- density -------------------------------------------------------------------------------

# Every cluster drawn: its number, the events of its markers (from the payload, by place) and
# how many markers it holds.
CLUSTER_JS = """(rows) => {
  const count = {};
  rows.forEach(r => { const k = r[0] + ',' + r[1]; count[k] = (count[k] || 0) + r[7]; });
  const out = [];
  document.querySelectorAll('.oem-cluster').forEach(el => {
    const cluster = Object.values(OEM.state.map._layers).find(l => l._icon === el);
    const markers = cluster.getAllChildMarkers();
    const events = markers.reduce((n, m) => {
      const ll = m.getLatLng(); return n + count[ll.lat + ',' + ll.lng]; }, 0);
    out.push([el.textContent, events, markers.length]);
  });
  return out;
}"""


def test_clusters_are_numbered_by_the_events_of_their_markers(open_map, regions, scene_payload):
    page, frame = open_map("clusters", map_html(regions, variant(scene_payload, "points", "p1")))
    n = len(scene_payload["m"])
    frame.wait_for_function(f"document.querySelectorAll('{MARKERS}').length === {n}")
    add(frame, variant(scene_payload, "clusters", "c1"))
    wait_drawn(frame, "clusters", "c1")
    frame.wait_for_function(f"document.querySelectorAll('{CLUSTERS}').length > 0")
    clusters = frame.evaluate(CLUSTER_JS, scene_payload["m"])
    assert all(label == str(events) for label, events, _ in clusters), clusters
    # the number is the events, not the markers: some cluster holds places with several events
    assert any(events != markers for _, events, markers in clusters), clusters
    alone = frame.locator(MARKERS).count()
    assert alone + sum(markers for *_, markers in clusters) == n  # every place, once
    assert alone < n
    # the markers were kept from the points date (restyled, not made again)
    assert frame.evaluate("Object.keys(OEM.state.markers).length") == n
    # a cluster opens with a click (zooms in), and the names are placed again without error
    zoom = frame.evaluate("OEM.state.map.getZoom()")
    frame.locator(CLUSTERS).first.click()
    frame.wait_for_function(f"OEM.state.map.getZoom() > {zoom} && !OEM.state.map._animatingZoom")
    frame.evaluate("OEM.placeLabels()")
    screenshot(page, "client-clusters", full_page=False)


def test_heat_draws_a_canvas_without_markers_and_points_remove_it(open_map, regions, scene_payload):
    page, frame = open_map("heat", map_html(regions, variant(scene_payload, "clusters", "c1")))
    wait_drawn(frame, "clusters", "c1")
    ramp = {"0.2": "#2c7bb6", "0.6": "#ffffbf", "1": "#d7191c"}  # the page's (``hg``)
    add(frame, variant(scene_payload, "heat", "h1", hg=ramp))
    wait_drawn(frame, "heat", "h1")
    canvas = frame.locator(f".leaflet-oemHeat-pane {HEAT_CANVAS}")
    assert canvas.count() == 1
    assert frame.evaluate("OEM.state.density.layer.options.gradient") == ramp
    frame.wait_for_function(
        """(sel) => { const c = document.querySelector(sel), d = c.getContext('2d')
             .getImageData(0, 0, c.width, c.height).data;
           for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false; }""",
        arg=HEAT_CANVAS,
    )
    # nothing of the clusters stays: no marker, no cluster number
    assert frame.locator(MARKERS).count() == 0
    assert frame.locator(CLUSTERS).count() == 0
    assert frame.evaluate("Object.keys(OEM.state.markers).length") == 0
    frame.evaluate("OEM.placeLabels()")
    screenshot(page, "client-heat", full_page=False)

    add(frame, variant(scene_payload, "points", "p1"))
    wait_drawn(frame, "points", "p1")
    assert frame.locator(HEAT_CANVAS).count() == 0
    assert frame.locator(CLUSTERS).count() == 0
    assert frame.locator(MARKERS).count() == len(scene_payload["m"])


def test_plugins_load_only_when_a_payload_needs_them_and_the_newest_wins(
    open_map, regions, scene_payload
):
    page, frame = open_map(
        "lazy", map_html(regions, variant(scene_payload, "points", "p1"), inline=False)
    )
    wait_drawn(frame, "points", "p1")
    loaded = """() => performance.getEntriesByType('resource').map(e => e.name)
      .filter(u => /markercluster|leaflet-heat/.test(u))"""
    assert frame.evaluate(loaded) == []  # the first visit downloads neither plugin
    # a clusters date waits for Leaflet.markercluster, then is drawn
    add(frame, variant(scene_payload, "clusters", "c1"))
    wait_drawn(frame, "clusters", "c1")
    frame.wait_for_function(f"document.querySelectorAll('{CLUSTERS}').length > 0")
    # a heat date, then (while leaflet.heat loads) a points date: the points date is what ends
    # up drawn, with nothing of the other two
    frame.evaluate(
        """(ps) => ps.forEach(p => new OEM.DateLayer(p).addTo(OEM.state.map))""",
        [variant(scene_payload, "heat", "h1"), variant(scene_payload, "points", "p2")],
    )
    frame.wait_for_function("!!window.L.HeatLayer")
    wait_drawn(frame, "points", "p2")
    assert frame.locator(HEAT_CANVAS).count() == 0 and frame.locator(CLUSTERS).count() == 0
    assert frame.locator(MARKERS).count() == len(scene_payload["m"])
    # two clusters dates in a row (the plugin is there now), then a heat one
    fewer = variant(scene_payload, "clusters", "c3")
    fewer["m"] = fewer["m"][: len(fewer["m"]) // 2]
    add(frame, variant(scene_payload, "clusters", "c2"))
    add(frame, fewer)
    wait_drawn(frame, "clusters", "c3")
    assert frame.evaluate("Object.keys(OEM.state.markers).length") == len(fewer["m"])
    add(frame, variant(scene_payload, "heat", "h2"))
    wait_drawn(frame, "heat", "h2")
    assert frame.locator(HEAT_CANVAS).count() == 1
    scripts = frame.evaluate(
        "() => Array.from(document.scripts).map(s => s.src).filter(u => /cluster|heat/.test(u))"
    )
    origin = page.url.rsplit("/", 1)[0]
    assert sorted(scripts) == sorted([origin + assets.CLUSTER_JS, origin + assets.HEAT_JS]), (
        scripts
    )  # each injected once


# --- drawing an area -------------------------------------------------------------------------


def map_box(page, frame) -> dict:
    """The map's box in the top page's pixels."""
    inner = frame.evaluate(
        "() => { const r = OEM.state.map.getContainer().getBoundingClientRect();"
        " return {x: r.left, y: r.top, w: r.width, h: r.height}; }"
    )
    outer = page.locator("#map").bounding_box()
    return {
        "x": outer["x"] + inner["x"],
        "y": outer["y"] + inner["y"],
        "w": inner["w"],
        "h": inner["h"],
    }


def rounded(value: float) -> bool:
    return round(value, 4) == value


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_drawing_a_rectangle_posts_the_area_and_clear_posts_none(
    open_map, regions, scene_payload, lang
):
    page, frame = open_map(
        f"rect-{lang}", map_html(regions, variant(scene_payload, "points", "p1"), lang)
    )
    T = tr(lang)
    button = frame.locator(".oem-draw-rect")
    assert button.get_attribute("title") == T("draw_rect")
    assert button.get_attribute("aria-label") == T("draw_rect")
    assert frame.locator(".oem-draw-poly").get_attribute("title") == T("draw_poly")
    assert frame.locator(".oem-draw-clear").get_attribute("title") == T("draw_clear")
    before = frame.evaluate("[OEM.state.map.getCenter(), OEM.state.map.getZoom()]")
    button.click()
    hint = frame.locator(".oem-draw-hint")
    assert hint.is_visible() and hint.inner_text() == T("draw_hint_rect")
    assert button.get_attribute("aria-pressed") == "true"
    box = map_box(page, frame)
    x0, y0 = box["x"] + 0.40 * box["w"], box["y"] + 0.40 * box["h"]
    x1, y1 = box["x"] + 0.60 * box["w"], box["y"] + 0.65 * box["h"]
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=4)
    page.mouse.move(x1, y1, steps=4)
    page.mouse.up()
    page.wait_for_function("window.messages.some(m => m.value && m.value.area)")
    (value,) = messages(page, "area")
    assert set(value) == {"center", "zoom", "area"} and set(value["center"]) == {"lat", "lng"}
    assert re.fullmatch(r"[a-z0-9]+:\d+", value["area"]["id"])
    pts = value["area"]["pts"]
    assert len(pts) == 4 and all(rounded(lat) and rounded(lon) for lat, lon in pts)
    corners = frame.evaluate(
        """([a, b]) => [OEM.state.map.containerPointToLatLng(a),
                        OEM.state.map.containerPointToLatLng(b)]""",
        [[x0 - box["x"], y0 - box["y"]], [x1 - box["x"], y1 - box["y"]]],
    )
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    assert abs(max(lats) - corners[0]["lat"]) < 2e-3 and abs(min(lats) - corners[1]["lat"]) < 2e-3
    assert abs(min(lons) - corners[0]["lng"]) < 2e-3 and abs(max(lons) - corners[1]["lng"]) < 2e-3
    # drawn at once, and the map did not pan while the pointer dragged
    assert frame.locator(DRAWN).count() == 1
    assert frame.evaluate("[OEM.state.map.getCenter(), OEM.state.map.getZoom()]") == before
    assert hint.is_hidden() and button.get_attribute("aria-pressed") == "false"
    assert frame.evaluate("OEM.state.map.dragging.enabled()")
    screenshot(page, f"client-area-{lang}", full_page=False)

    frame.locator(".oem-draw-clear").click()
    page.wait_for_function("window.messages.filter(m => m.value && m.value.area).length === 2")
    cleared = messages(page, "area")[1]
    assert cleared["area"]["pts"] == [] and cleared["area"]["id"] != value["area"]["id"]
    assert frame.locator(DRAWN).count() == 0


def test_a_polygon_by_clicks_enter_double_click_backspace_and_esc(open_map, regions, scene_payload):
    page, frame = open_map("poly", map_html(regions, variant(scene_payload, "points", "p1")))
    box = map_box(page, frame)

    def at(fx: float, fy: float) -> tuple[float, float]:
        return box["x"] + fx * box["w"], box["y"] + fy * box["h"]

    def corners() -> int:
        return frame.evaluate("OEM.state.drawing ? OEM.state.drawing.pts.length : -1")

    poly = frame.locator(".oem-draw-poly")
    # click three corners, then the first again: a triangle
    poly.click()
    assert frame.locator(".oem-draw-hint").inner_text() == tr("en")("draw_hint_poly")
    for spot in ((0.4, 0.3), (0.6, 0.3), (0.55, 0.6)):
        page.mouse.click(*at(*spot))
    assert corners() == 3
    page.mouse.click(*at(0.4, 0.3))
    page.wait_for_function("window.messages.filter(m => m.value && m.value.area).length === 1")
    assert len(messages(page, "area")[0]["area"]["pts"]) == 3
    # Backspace takes the last corner back; Enter ends it
    poly.click()
    for spot in ((0.4, 0.3), (0.6, 0.3), (0.55, 0.6), (0.7, 0.5)):
        page.mouse.click(*at(*spot))
    page.keyboard.press("Backspace")
    assert corners() == 3
    page.keyboard.press("Enter")
    page.wait_for_function("window.messages.filter(m => m.value && m.value.area).length === 2")
    pts = messages(page, "area")[1]["area"]["pts"]
    far = frame.evaluate(
        "(p) => OEM.state.map.containerPointToLatLng(p)", [0.7 * box["w"], 0.5 * box["h"]]
    )
    assert len(pts) == 3 and all(abs(lon - far["lng"]) > 0.05 for _, lon in pts)
    # a double click ends it, and does not zoom the map
    zoom = frame.evaluate("OEM.state.map.getZoom()")
    poly.click()
    page.mouse.click(*at(0.4, 0.3))
    page.mouse.click(*at(0.6, 0.3))
    page.mouse.dblclick(*at(0.55, 0.6))
    page.wait_for_function("window.messages.filter(m => m.value && m.value.area).length === 3")
    assert len(messages(page, "area")[2]["area"]["pts"]) == 3
    assert frame.evaluate("OEM.state.map.getZoom()") == zoom
    assert not frame.evaluate("OEM.state.map._animatingZoom")
    # Esc cancels a drawing: nothing posted, the area drawn stays, presentation is not left
    poly.click()
    page.mouse.click(*at(0.5, 0.5))
    assert corners() == 1
    page.keyboard.press("Escape")
    assert corners() == -1
    assert frame.locator(DRAWN).count() == 1
    assert [m for m in page.evaluate("window.messages") if m.get("oem") == "escape"] == []
    page.keyboard.press("Escape")  # with no drawing, Esc asks the page to leave presentation
    page.wait_for_function("window.messages.some(m => m.oem === 'escape')")
    assert len(messages(page, "area")) == 3


def test_the_pages_area_replaces_the_drawing_and_static_dates_keep_it(
    open_map, regions, scene_payload
):
    page, frame = open_map("page-area", map_html(regions, variant(scene_payload, "points", "p1")))
    square = [[47.0, 36.0], [47.5, 36.0], [47.5, 37.0], [47.0, 37.0]]
    add(frame, variant(scene_payload, "points", "p2", steps=page_steps(), area=square))
    frame.wait_for_function(f"document.querySelectorAll('{DRAWN}').length === 1")
    drawn = frame.evaluate("OEM.state.area.getLatLngs()[0].map(q => [q.lat, q.lng])")
    assert drawn == square
    # a date from the time bar's files has no area key: the area stays
    add(frame, variant(scene_payload, "points", "p3"))
    wait_drawn(frame, "points", "p3")
    assert frame.locator(DRAWN).count() == 1
    # a page payload without an area: none is in force
    add(frame, variant(scene_payload, "points", "p4", steps=page_steps()))
    frame.wait_for_function(f"document.querySelectorAll('{DRAWN}').length === 0")


# --- flights -------------------------------------------------------------------------------


def view(frame) -> dict:
    return frame.evaluate(
        "() => { const m = OEM.state.map, c = m.getCenter();"
        " return {lat: c.lat, lng: c.lng, zoom: m.getZoom(), touched: !!OEM.state.touched}; }"
    )


def test_a_fly_moves_the_map_once_per_number(open_map, regions, scene_payload):
    first = variant(
        scene_payload, "points", "p1", fly={"n": 1, "initial": True, "c": [47.1, 37.55], "z": 9}
    )
    page, frame = open_map("fly", map_html(regions, first))
    fitted = view(frame)
    assert fitted["zoom"] < 9 and not fitted["touched"]  # the first, initial flight: stay
    add(frame, variant(scene_payload, "points", "p2", steps=page_steps(),
                       fly={"n": 2, "c": [47.1, 37.55], "z": 9}))  # fmt: skip
    frame.wait_for_function("OEM.state.map.getZoom() === 9 && !OEM.state.map._animatingZoom")
    frame.wait_for_function(
        "Math.abs(OEM.state.map.getCenter().lat - 47.1) < 0.01 &&"
        " Math.abs(OEM.state.map.getCenter().lng - 37.55) < 0.01"
    )
    assert view(frame)["touched"]  # the refit when the frame settles keeps the flight
    # the same number again (another rerun of the page): no flight
    frame.evaluate(
        "OEM.state.map.setView([48.0, 38.0], 8, {animate: false});"
        " OEM.state.map.once('movestart', () => { window.moved = true; }); void 0"
    )
    add(frame, variant(scene_payload, "points", "p3", steps=page_steps(),
                       fly={"n": 2, "c": [47.1, 37.55], "z": 9}))  # fmt: skip
    assert frame.evaluate("!window.moved") and view(frame)["zoom"] == 8
    # a new number with bounds: the map shows them
    kherson = [[46.55, 32.45], [46.75, 32.75]]
    add(frame, variant(scene_payload, "points", "p4", steps=page_steps(),
                       fly={"n": 3, "b": kherson}))  # fmt: skip
    frame.wait_for_function(
        """(b) => { const m = OEM.state.map;
           return !m._animatingZoom && m.getZoom() > 8 && m.getBounds().contains(b); }""",
        arg=kherson,
    )


def test_the_first_fly_without_initial_flies(open_map, regions, scene_payload):
    first = variant(scene_payload, "points", "p1", fly={"n": 5, "c": [48.0, 37.8], "z": 10})
    page, frame = open_map("fly-first", map_html(regions, first))
    frame.wait_for_function("OEM.state.map.getZoom() === 10 && !OEM.state.map._animatingZoom")
    got = view(frame)
    assert abs(got["lat"] - 48.0) < 0.01 and abs(got["lng"] - 37.8) < 0.01


def test_the_standalone_file_carries_the_plugin_its_payload_needs(regions, scene_payload):
    """A file opened from disk has no server: the plugin its payload draws with is inside it,
    and nothing points at the app's URLs."""
    events = load_events(EVENTS_CSV, regions).events
    made = build.make(events, regions, date(2022, 11, 14), None, overlay="full")
    made.layers.payload.update(variant(scene_payload, "heat", made.layers.payload["date"]))
    text = html.standalone_html(made, regions).decode("utf-8")
    assert "window.simpleheat" in text  # leaflet.heat's own code
    assert "_defaultIconCreateFunction" not in text  # markercluster's: not needed here
    assert "/app/static" not in text
    assert json.dumps(leaflet.draw_words("en")["rect"]) in text


def test_a_missing_npm_install_is_an_error_naming_the_make_target(tmp_path, monkeypatch):
    """Never a map that quietly lacks its heat mode: the app stops with what to run."""
    monkeypatch.setattr(assets, "HEAT_SOURCE", tmp_path / "nowhere" / "leaflet-heat.js")
    with pytest.raises(assets.MissingAsset, match=re.escape(f"`{assets.NPM_TARGET}`")):
        assets.ensure_static(tmp_path / "static")
    assert assets.NPM_TARGET == "make venv"


# --- a slide's annotations ---------------------------------------------------------------------

ANN_PANE = ".leaflet-oemAnnotations-pane"
HOSTILE = "<img src=x onerror=window.__xss=1>"
ARROW = {"k": "arrow", "p": [[47.3, 34.2], [47.3, 35.6]], "t": "<b>Dnipro</b> & bridge"}
CIRCLE = {"k": "circle", "p": [[47.1, 37.55]], "r": 25000.0, "t": "Mariupol"}
LABEL = {"k": "label", "p": [[48.0, 37.8]], "t": HOSTILE}


def test_the_js_annotation_style_mirrors_scene_annotations():
    """The client's ANN object holds the same values as dashboard/scene/annotations.py."""
    from dashboard.scene import annotations

    text = Path(assets.CLIENT_SOURCE).read_text(encoding="utf-8")
    body = re.search(r"var ANN = \{(.*?)\};", text, re.S).group(1)
    js = {k: json.loads(v) for k, v in re.findall(r"(\w+): (\"[^\"]*\"|[\d.]+)", body)}
    assert js == {name: getattr(annotations, name) for name in js}
    assert set(js) >= {"INK", "CASING", "LINE_WIDTH", "CASING_WIDTH", "HEAD_LENGTH"}
    assert set(js) >= {"HEAD_ANGLE", "TEXT_SIZE", "TEXT_HALO"}


def ann_paths(frame) -> list[dict]:
    """The annotation pane's SVG paths: class, stroke, stroke width and fill."""
    return frame.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' path')).map(p => ({
             cls: p.getAttribute('class'), stroke: p.getAttribute('stroke'),
             width: p.getAttribute('stroke-width'), fill: p.getAttribute('fill')}))""",
        ANN_PANE,
    )


def ann_texts(frame) -> list[str]:
    return frame.evaluate(
        "(sel) => Array.from(document.querySelectorAll(sel + ' .oem-ann-text'))"
        ".map(e => e.textContent)",
        ANN_PANE,
    )


def box_of(frame, selector: str) -> dict:
    return frame.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return {x: r.left, y: r.top, w: r.width, h: r.height}; }",
        selector,
    )


def test_annotations_are_drawn_ink_over_casing_with_their_text_as_text(
    open_map, regions, scene_payload
):
    first = variant(scene_payload, "points", "p1", steps=page_steps(), ann=[ARROW, CIRCLE, LABEL])
    page, frame = open_map("ann", map_html(regions, first))
    frame.wait_for_function("OEM.state.map.getContainer().getAttribute('data-oem-ann') === '3'")
    paths = ann_paths(frame)
    ink = [p for p in paths if "oem-ann-ink" in p["cls"]]
    casing = [p for p in paths if "oem-ann-casing" in p["cls"]]
    # arrow: shaft and head; circle: its ring. Each ink mark over a wider white casing
    assert len(ink) == len(casing) == 3
    lines = [p for p in ink if "oem-ann-head" not in p["cls"]]
    assert [(p["stroke"], p["width"], p["fill"]) for p in lines] == [("#111111", "3.5", "none")] * 2
    (head,) = [p for p in ink if "oem-ann-head" in p["cls"]]
    assert head["fill"] == "#111111" and head["stroke"] == "none"
    rings = [p for p in casing if "oem-ann-head" not in p["cls"]]
    assert [(p["stroke"], p["width"]) for p in rings] == [("#ffffff", "7")] * 2
    # the circle's radius is metres on the ground
    radius = frame.evaluate(
        "Object.values(OEM.state.ann._layers).filter(l => l.getRadius).map(l => l.getRadius())"
    )
    assert radius == [25000.0, 25000.0]
    # the text is text: the hostile one shown literally, no element made from it
    assert sorted(ann_texts(frame)) == sorted([ARROW["t"], CIRCLE["t"], HOSTILE])
    assert frame.locator("img").count() == 0
    assert frame.locator(f"{ANN_PANE} b").count() == 0
    assert frame.evaluate("window.__xss") is None
    style = frame.evaluate(
        """(sel) => { const s = getComputedStyle(document.querySelector(sel + ' .oem-ann-text'));
             return [s.color, s.fontSize, s.fontWeight, s.textShadow, s.pointerEvents]; }""",
        ANN_PANE,
    )
    assert style[:3] == ["rgb(17, 17, 17)", "16px", "700"]
    assert "rgb(255, 255, 255)" in style[3] and style[4] == "none"
    # over the markers (450), squares (460) and names (600); under tooltips and popups
    z = frame.evaluate(
        """() => Object.fromEntries(['oemAnnotations', 'oemMarkers', 'oemControl',
             'markerPane', 'tooltipPane', 'popupPane'].map(n => [n,
             +getComputedStyle(OEM.state.map.getPane(n)).zIndex]))"""
    )
    assert max(z["oemMarkers"], z["oemControl"], z["markerPane"]) < z["oemAnnotations"]
    assert z["oemAnnotations"] < min(z["tooltipPane"], z["popupPane"])
    # the arrow's text beside its tail (west of it: the arrow points east), clear of the shaft
    texts = frame.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' .oem-ann-text')).map(e => {
             const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.right, r.top,
             r.bottom]; })""",
        ANN_PANE,
    )
    tail, tip = frame.evaluate(
        "(ps) => ps.map(p => OEM.state.map.latLngToContainerPoint(p))", ARROW["p"]
    )
    (arrow_text,) = [t for t in texts if t[0] == ARROW["t"]]
    assert arrow_text[2] < tail["x"] and arrow_text[3] < tail["y"] < arrow_text[4]
    # the circle's text above its top edge
    top = frame.evaluate(
        "(c) => OEM.state.map.latLngToContainerPoint([c[0] + 25000 / L.CRS.Earth.R * 180 /"
        " Math.PI, c[1]])",
        CIRCLE["p"][0],
    )
    (circle_text,) = [t for t in texts if t[0] == CIRCLE["t"]]
    assert circle_text[4] <= top["y"] and circle_text[1] < top["x"] < circle_text[2]
    # the place names are put clear of the annotations' text
    frame.evaluate("OEM.placeLabels()")
    overlaps = frame.evaluate(
        """() => { const boxes = s => Array.from(document.querySelectorAll(s))
             .filter(e => getComputedStyle(e.parentNode).visibility !== 'hidden')
             .map(e => e.getBoundingClientRect());
           const texts = boxes('.oem-ann-text'), names = boxes('.oem-town span, .oem-label span');
           return names.filter(n => texts.some(t => n.left < t.right && t.left < n.right &&
             n.top < t.bottom && t.top < n.bottom)).length; }"""
    )
    assert overlaps == 0
    screenshot(page, "client-annotations", full_page=False)


def test_a_page_payload_replaces_the_annotations_and_static_dates_keep_them(
    open_map, regions, scene_payload
):
    page, frame = open_map("ann-replace", map_html(regions, variant(scene_payload, "points", "p1")))
    count = "OEM.state.map.getContainer().getAttribute('data-oem-ann')"
    add(frame, variant(scene_payload, "points", "p2", steps=page_steps(), ann=[ARROW, LABEL]))
    frame.wait_for_function(f"{count} === '2'")
    assert sorted(ann_texts(frame)) == sorted([ARROW["t"], HOSTILE])
    # another slide: its annotations only
    add(frame, variant(scene_payload, "points", "p3", steps=page_steps(), ann=[CIRCLE]))
    frame.wait_for_function(f"{count} === '1'")
    assert ann_texts(frame) == [CIRCLE["t"]]
    assert len(ann_paths(frame)) == 2  # the circle's casing and ink; nothing of the arrow
    # a date from the time bar's files (no ``ann``, no ``steps``): they stay
    add(frame, variant(scene_payload, "points", "p4"))
    wait_drawn(frame, "points", "p4")
    assert ann_texts(frame) == [CIRCLE["t"]] and len(ann_paths(frame)) == 2
    # an empty list clears them; so does a page payload without the key
    add(frame, variant(scene_payload, "points", "p5", ann=[]))
    frame.wait_for_function(f"{count} === '0'")
    assert ann_texts(frame) == [] and ann_paths(frame) == []
    add(frame, variant(scene_payload, "points", "p6", steps=page_steps(), ann=[LABEL]))
    frame.wait_for_function(f"{count} === '1'")
    add(frame, variant(scene_payload, "points", "p7", steps=page_steps()))
    frame.wait_for_function(f"{count} === '0'")
    assert ann_texts(frame) == []


def test_an_arrow_head_keeps_its_size_in_pixels_when_zooming(open_map, regions, scene_payload):
    from dashboard.scene.annotations import HEAD_ANGLE, HEAD_LENGTH

    first = variant(scene_payload, "points", "p1", steps=page_steps(), ann=[ARROW])
    page, frame = open_map("ann-zoom", map_html(regions, first))
    head, shaft = f"{ANN_PANE} .oem-ann-ink.oem-ann-head", f"{ANN_PANE} .oem-ann-ink.oem-ann-arrow"
    frame.wait_for_selector(head)
    before, shaft_before = box_of(frame, head), box_of(frame, shaft)
    # a horizontal arrow: the head HEAD_LENGTH long, its sides HEAD_ANGLE either side
    assert abs(before["w"] - HEAD_LENGTH) < 1
    assert abs(before["h"] - 2 * HEAD_LENGTH * math.tan(math.radians(HEAD_ANGLE))) < 1
    zoom = frame.evaluate("OEM.state.map.getZoom()")
    frame.evaluate("(z) => { OEM.state.map.setView([47.3, 34.9], z, {animate: false}); }", zoom + 1)
    frame.wait_for_function(f"OEM.state.map.getZoom() === {zoom + 1}")
    after, shaft_after = box_of(frame, head), box_of(frame, shaft)
    assert abs(after["w"] - before["w"]) < 0.5 and abs(after["h"] - before["h"]) < 0.5
    # the shaft did grow with the map (the head is not simply the same drawing)
    assert shaft_after["w"] > 1.8 * shaft_before["w"]
    # and the tip is still on the arrow's point
    tip = frame.evaluate("(p) => OEM.state.map.latLngToContainerPoint(p)", ARROW["p"][1])
    box = frame.evaluate("OEM.state.map.getContainer().getBoundingClientRect().left")
    assert abs(after["x"] + after["w"] - (box + tip["x"])) < 1


# A marker in the middle of the map that is the top element at its centre: [lat, lng, x, y].
MIDDLE_MARKER_JS = """() => {
  const map = OEM.state.map, size = map.getSize(), box = map.getContainer().getBoundingClientRect();
  for (const m of Object.values(OEM.state.markers)) {
    const p = map.latLngToContainerPoint(m.getLatLng());
    if (p.x < 0.3 * size.x || p.x > 0.7 * size.x || p.y < 0.3 * size.y || p.y > 0.7 * size.y) {
      continue;
    }
    if (document.elementFromPoint(box.left + p.x, box.top + p.y) === m._path) {
      return [m.getLatLng().lat, m.getLatLng().lng, p.x, p.y];
    }
  }
  return null;
}"""


def test_a_marker_under_annotations_still_opens_its_popup(open_map, regions, scene_payload):
    page, frame = open_map("ann-click", map_html(regions, variant(scene_payload, "points", "p1")))
    frame.wait_for_function(f"document.querySelectorAll('{MARKERS}').length > 0")
    lat, lng, *_ = frame.evaluate(MIDDLE_MARKER_JS)
    over = [
        {"k": "label", "p": [[lat, lng]], "t": "WWWWWWWW"},
        {"k": "arrow", "p": [[lat, lng - 0.5], [lat, lng + 0.5]], "t": ""},
        {"k": "circle", "p": [[lat, lng]], "r": 3000.0, "t": ""},
    ]
    add(frame, variant(scene_payload, "points", "p2", steps=page_steps(), ann=over))
    frame.wait_for_function("OEM.state.map.getContainer().getAttribute('data-oem-ann') === '3'")
    x, y = frame.evaluate(
        "(q) => { const p = OEM.state.map.latLngToContainerPoint(q); return [p.x, p.y]; }",
        [lat, lng],
    )
    # the label and the arrow's shaft are drawn over the marker's centre...
    text = frame.evaluate(
        "(sel) => document.querySelector(sel + ' .oem-ann-text').getBoundingClientRect()",
        ANN_PANE,
    )
    left = frame.evaluate("OEM.state.map.getContainer().getBoundingClientRect().left")
    top = frame.evaluate("OEM.state.map.getContainer().getBoundingClientRect().top")
    assert text["left"] < left + x < text["right"] and text["top"] < top + y < text["bottom"]
    # ...and a click there reaches the marker
    box = map_box(page, frame)
    page.mouse.click(box["x"] + x, box["y"] + y)
    frame.wait_for_selector(".leaflet-popup")
    source = frame.evaluate(
        "() => { const q = OEM.state.map._popup._source.getLatLng(); return [q.lat, q.lng]; }"
    )
    assert source == [lat, lng]


# --- slide keys ------------------------------------------------------------------------------


def slides(page) -> list[int]:
    return [m["dir"] for m in page.evaluate("window.messages") if m.get("oem") == "slide"]


def test_slide_keys_while_a_deck_is_presented(open_map, regions, scene_payload):
    first = variant(scene_payload, "points", "p1", steps=page_steps(), deck={"n": 2, "of": 5})
    page, frame = open_map("deck-keys", map_html(regions, first))
    container = frame.locator(".leaflet-container")
    container.focus()
    before = view(frame)
    frame.evaluate("OEM.state.map.on('movestart', () => { window.moved = true; }); void 0")
    for key in ("ArrowRight", "PageDown", "ArrowLeft", "PageUp"):
        container.press(key)
    page.wait_for_function("window.messages.filter(m => m.oem === 'slide').length === 4")
    assert slides(page) == [1, 1, -1, -1]
    assert frame.evaluate("!window.moved")
    assert view(frame)["lat"] == before["lat"] and view(frame)["lng"] == before["lng"]
    # with a modifier: the browser's, not a slide
    container.press("Control+ArrowRight")
    # the time bar's date keeps its keys: the arrows and Page Up/Down step the date
    slider = frame.locator(".oem-timebar input")
    start = int(slider.input_value())
    slider.press("ArrowRight")
    slider.press("PageUp")
    assert int(slider.input_value()) == start + 8
    # while an area is drawn, the keys are the drawing's
    frame.locator(".oem-draw-poly").click()
    container.press("ArrowLeft")
    container.press("Escape")
    assert frame.evaluate("OEM.state.drawing") is None
    # a date from the time bar's files keeps the deck (it may not be drawn: the page has not
    # answered the dates stepped to above yet)
    add(frame, variant(scene_payload, "points", "p2"))
    assert frame.evaluate("OEM.state.map.getContainer().getAttribute('data-oem-deck')") == "2/5"
    container.press("PageDown")
    page.wait_for_function("window.messages.filter(m => m.oem === 'slide').length === 5")
    assert slides(page) == [1, 1, -1, -1, 1]


def test_without_a_deck_the_arrows_pan_the_map(open_map, regions, scene_payload):
    first = variant(scene_payload, "points", "p1", steps=page_steps(), deck={"n": 1, "of": 3})
    page, frame = open_map("no-deck-keys", map_html(regions, first))
    # the page leaves the deck: its next payload has no ``deck``
    add(frame, variant(scene_payload, "points", "p2", steps=page_steps()))
    frame.wait_for_function("OEM.state.map.getContainer().getAttribute('data-oem-deck') === ''")
    container = frame.locator(".leaflet-container")
    container.focus()
    before = view(frame)
    container.press("ArrowRight")
    frame.wait_for_function(f"OEM.state.map.getCenter().lng > {before['lng']} + 0.01")
    # no slide message: the Esc posted after it arrives alone (messages keep their order)
    container.press("PageDown")
    container.press("Escape")
    page.wait_for_function("window.messages.some(m => m.oem === 'escape')")
    assert slides(page) == []


LATE_PARENT = """<!doctype html><html><head><meta charset="utf-8">
<style>html,body{margin:0}iframe{border:0;display:block}</style></head><body>
<iframe id="map" src="late.html" width="%d" height="0"></iframe></body></html>"""
CENTRE_JS = "() => [OEM.state.map.getCenter().lat, OEM.state.map.getCenter().lng]"


def test_a_links_centre_is_kept_when_the_frame_is_sized_late_and_grows(
    browser, site, regions, scene_payload
):
    """A map made with a link's view before its frame had a height (a busy machine), then
    grown (presentation fills the screen): the centre stays the link's. Leaflet keeps the
    top-left corner unless told to pan: CI saw a centre 2.87 degrees off in one of four
    contexts opening one link at once."""
    root, base = site
    (root / "late.html").write_text(
        map_html(regions, scene_payload, center=(47.9, 36.6), zoom=7), encoding="utf-8"
    )
    (root / "late-parent.html").write_text(LATE_PARENT % WIDTH, encoding="utf-8")
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(f"{base}/late-parent.html")
        frame = page.locator("#map").element_handle().content_frame()
        frame.wait_for_function("() => window.OEM && OEM.state.map")
        assert frame.evaluate("() => document.documentElement.clientHeight") == 0
        for height in (600, 760):  # its height at last, then grown
            page.evaluate("(h) => { document.getElementById('map').height = h; }", height)
            frame.wait_for_function("(h) => OEM.state.map.getSize().y === h", arg=height)
            page.wait_for_timeout(400)  # the client's resize settles after 150 ms
            lat, lon = frame.evaluate(CENTRE_JS)
            assert abs(lat - 47.9) < 0.01 and abs(lon - 36.6) < 0.01, (height, lat, lon)
    finally:
        context.close()
