"""The protocol between the page and the map client (``web/oem-map.js``): the only module that
knows the keys the page adds to a date's payload and the shape of what the client reports. No
Streamlit.

Page → client, on top of a date's payload (``scene.layers`` documents the drawing keys):

- ``k``: the scene's name. Dates of one scene (same data, filters, window, metric, language,
  basemap, breaks, overlay) share it; the time bar steps only within a scene.
- ``steps``: the time bar: ``url`` (folder of the scene's date files, ``<url><date>.json``),
  ``first`` and ``last`` (ISO dates), ``label``, ``prev``, ``next`` (escaped words) and
  ``locale`` (BCP 47, for the date shown while a file loads).
- ``seen``: the id of the last report the page has taken (None before any).
- ``area``: the area drawn on the map that filters the view, ``[[lat, lon], ...]`` (empty:
  none). The time bar's files have no ``area``: the client keeps what it drew.
- ``ann``: the slide shown's annotations (``scene.annotations``); kept over the time bar's
  files like ``area``.
- ``deck``: ``{"n": slide, "of": slides}`` while a deck is presented: the client then posts
  ←/→ and Page Up/Down as ``{oem: "slide", dir: 1 | -1}`` to the page.
- ``fly``: ``{"n": <request number>, "b": [[s, w], [n, e]]}`` or ``{"n", "c": [lat, lon],
  "z": zoom}``: the user asked to go there (``geo.places``); the client flies once per ``n``.

Client → page, as the streamlit-folium component value (``st_folium``'s return):

- ``center``: ``{"lat", "lng"}`` and ``zoom``: where the user left the map.
- ``oem``: ``{"date": "YYYY-MM-DD", "id": "<client>:<sequence>"}``: the date the time bar
  stepped to. A report is new when its id differs from the last one taken.

- ``area``: ``{"id": "<client>:<sequence>", "pts": [[lat, lon], ...]}``: the user drew an
  area (``pts`` empty: cleared it). New when its id differs from the last one taken.

Client → page window, by ``postMessage``: ``{"oem": "escape"}`` when Esc is pressed in the map
with no popup open (the page leaves presentation); ``{"oem": "slide", "dir": 1 | -1}`` for
→/Page Down and ←/Page Up while a deck is presented (``page.deck`` steps the deck).
"""

from __future__ import annotations

import math
from datetime import date as Date
from html import escape

REPORT_ID_CHARS = 64  # longer ids from the browser are cut
ESCAPE_MESSAGE = "escape"


def client_keys(
    url: str, key: str, first: Date, last: Date, words: dict[str, str], seen: str | None
) -> dict:
    """The keys the page adds to the payload it draws: the scene's name, its time bar and the
    last report taken. ``words``: label, prev, next (plain text) and locale."""
    return {
        "k": key,
        "steps": {
            "url": url,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "label": escape(words["label"]),
            "prev": escape(words["prev"]),
            "next": escape(words["next"]),
            "locale": words["locale"],
        },
        "seen": seen,
    }


def view_keys(fly, area, ann=(), deck=None) -> dict:
    """The page's own keys about the map's view: the last fly request (``(n, target)`` or
    None), the drawn area in force, the slide's annotations (``scene.annotations.payload``)
    and, while a deck is presented, ``{"n": slide, "of": slides}``."""
    out: dict = {"area": [[lat, lon] for lat, lon in area], "ann": list(ann)}
    if deck is not None:
        out["deck"] = deck
    if fly is not None:
        out["fly"] = {"n": int(fly[0]), **fly[1]}
    return out


MAX_AREA_POINTS = 60  # vertices the client may send (it simplifies to this many)


def parse_area(value: object) -> tuple[str, tuple[tuple[float, float], ...]] | None:
    """An area drawn on the map (its id and finite vertices, rounded to 4 places), or None
    when the value has none. Anything malformed is taken as "no area" (a clear); the page
    checks the vertices against the link's bounds (``permalink.check_area``)."""
    area = value.get("area") if isinstance(value, dict) else None
    if not isinstance(area, dict):
        return None
    area_id = str(area.get("id", ""))[:REPORT_ID_CHARS]
    if not area_id:
        return None
    points = area.get("pts")
    if not isinstance(points, list) or not 3 <= len(points) <= MAX_AREA_POINTS:
        return area_id, ()
    out = []
    for point in points:
        try:
            lat, lon = (round(float(v), 4) for v in point)
        except (TypeError, ValueError, OverflowError):
            return area_id, ()
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return area_id, ()
        out.append((lat, lon))
    return area_id, tuple(out)


def parse_report(value: object) -> tuple[str, Date | None] | None:
    """A time bar report in the map's value: (its id, its date or None if not an ISO date), or
    None when there is none. The value comes from the browser: anything else is ignored."""
    report = value.get("oem") if isinstance(value, dict) else None
    if not isinstance(report, dict):
        return None
    report_id = str(report.get("id", ""))[:REPORT_ID_CHARS]
    if not report_id:
        return None
    text = report.get("date")
    try:
        day = Date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        day = None
    return report_id, day


def parse_fit(value: object) -> tuple[float, float, int] | None:
    """The view the map's client gave itself by fitting the five oblasts (its ``fit`` key:
    lat, lng, zoom), as ``parse_view`` rounds it; None when the value has none."""
    if not isinstance(value, dict) or not isinstance(value.get("fit"), dict):
        return None
    fit = value["fit"]
    return parse_view(
        {"center": {"lat": fit.get("lat"), "lng": fit.get("lng")}, "zoom": fit.get("zoom")}
    )


def parse_view(value: object) -> tuple[float, float, int] | None:
    """Where the user left the map (lat, lon rounded to 4 places, zoom), or None."""
    if not isinstance(value, dict):
        return None
    centre, zoom = value.get("center"), value.get("zoom")
    if not isinstance(centre, dict) or zoom is None:
        return None
    try:
        return round(float(centre["lat"]), 4), round(float(centre["lng"]), 4), int(zoom)
    except (KeyError, TypeError, ValueError):
        return None
