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

Client → page, as the streamlit-folium component value (``st_folium``'s return):

- ``center``: ``{"lat", "lng"}`` and ``zoom``: where the user left the map.
- ``oem``: ``{"date": "YYYY-MM-DD", "id": "<client>:<sequence>"}``: the date the time bar
  stepped to. A report is new when its id differs from the last one taken.

Client → page window, by ``postMessage``: ``{"oem": "escape"}`` when Esc is pressed in the map
with no popup open (the page leaves presentation).
"""

from __future__ import annotations

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
