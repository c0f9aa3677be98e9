"""Build the folium base map and the per-date layers. No Streamlit.

The base map is deterministic (same data -> same JavaScript), so streamlit-folium never reloads
its iframe; everything that changes with the date or filters lives in one FeatureGroup passed
as ``feature_group_to_add``. Every piece of text from a data file is HTML-escaped here.
"""

from __future__ import annotations

import json
from html import escape

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard import assets
from dashboard.config import (
    CATEGORY,
    CLAIMED_BY,
    DESCRIPTION,
    END,
    FIVE_OBLASTS,
    LAT,
    LON,
    PLACED_OBLAST,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    TITLE,
    VERIFICATION,
)
from dashboard.palette import ACTIVE_OUTLINE, category_colour, count_colour
from dashboard.regions import Regions

CENTER = (48.2, 35.6)  # degrees: the five oblasts in view
ZOOM = 6
MAX_POPUP_EVENTS = 25
TILES = {
    "none": None,
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "carto-light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}
MAP_CSS = """<style>
.oem-label{font:600 13px/1.1 system-ui,sans-serif;color:#333;text-align:center;
  text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;pointer-events:none}
.oem-pop{font:13px/1.35 system-ui,sans-serif;max-height:320px;overflow-y:auto}
.oem-pop h4{margin:0 0 4px;font-size:14px}
.oem-ev{border-top:1px solid #ddd;padding:5px 0}
.oem-chip{display:inline-block;padding:0 5px;border-radius:3px;color:#fff;font-size:11px}
.oem-claim{color:#8a1c1c;font-weight:600}
.oem-nothold{color:#555;font-weight:600}
.oem-now{background:#111;color:#fff;padding:0 4px;border-radius:3px;font-size:11px}
.leaflet-container{background:#dfe9f2}
</style>"""


class GeoJsonLayer(MacroElement):
    """A GeoJSON layer styled, labelled and bound from per-feature properties.

    Properties read by the JavaScript: ``_style`` (Leaflet path options), ``_popup`` and
    ``_tooltip`` (HTML, already escaped), ``_label`` (HTML for a text label at a point).
    Written here rather than with folium.Popup, which needs jQuery.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
  interactive: {{ this.interactive|tojson }},
  style: function (f) { return f.properties._style || {}; },
  pointToLayer: function (f, latlng) {
    if (f.properties._label) {
      return L.marker(latlng, {interactive: false, keyboard: false,
        icon: L.divIcon({className: "oem-label", html: f.properties._label,
                         iconSize: [140, 18], iconAnchor: [70, 9]})});
    }
    return L.circleMarker(latlng, f.properties._style || {});
  },
  onEachFeature: function (f, layer) {
    if (f.properties._popup) { layer.bindPopup(f.properties._popup, {maxWidth: 380}); }
    if (f.properties._tooltip) { layer.bindTooltip(f.properties._tooltip, {sticky: true}); }
  }
}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, data: dict, name: str, interactive: bool = True) -> None:
        super().__init__()
        self._name = name
        self.data = data
        self.interactive = interactive


def _feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _geojson_of(frame) -> list[dict]:
    return json.loads(frame.to_json(drop_id=True))["features"]


_STATIC: dict[int, dict[str, dict]] = {}


def _static_features(regions: Regions) -> dict[str, dict]:
    """Context and label FeatureCollections, built once per Regions (read-only afterwards)."""
    cached = _STATIC.get(id(regions))
    if cached is not None and cached["regions"] is regions:
        return cached
    context_features = []
    for f in _geojson_of(regions.context):
        kind = f["properties"]["kind"]
        if kind == "country" and f["properties"]["iso_code"] != "UKR":
            style = {"color": "#9a9a9a", "weight": 1, "fillColor": "#ececec", "fillOpacity": 1}
        elif kind == "country":  # Ukraine's outline, over its oblasts
            style = {"color": "#4d4d4d", "weight": 2, "fill": False}
        else:
            style = {"color": "#b5b5b5", "weight": 0.8, "fillColor": "#fbfbf8", "fillOpacity": 1}
        context_features.append(_feature(f["geometry"], _style=style))
    # Draw neighbours first, then Ukraine's oblasts, then the national outline on top.
    order = {"#ececec": 0, "#fbfbf8": 1}
    context_features.sort(key=lambda f: order.get(f["properties"]["_style"].get("fillColor"), 2))
    labels = []
    for code in FIVE_OBLASTS:
        point = regions.display.loc[code, "geometry"].representative_point()
        label = escape(regions.display.loc[code, "name_en"])
        labels.append(_feature({"type": "Point", "coordinates": [point.x, point.y]}, _label=label))
    cached = {
        "regions": regions,
        "context": {"type": "FeatureCollection", "features": context_features},
        "labels": {"type": "FeatureCollection", "features": labels},
    }
    _STATIC[id(regions)] = cached
    return cached


def base_map(regions: Regions, tiles: str = "none") -> folium.Map:
    """The map that never changes with the date: context, oblast outlines, labels, assets."""
    m = folium.Map(
        location=CENTER,
        zoom_start=ZOOM,
        tiles=None,
        control_scale=True,
        min_zoom=4,
        max_zoom=13,
    )
    # Offline: Leaflet from the app's own static files, and no jQuery/Bootstrap/CDN fonts.
    m.default_js = [("leaflet", assets.LEAFLET_JS)]
    m.default_css = [("leaflet_css", assets.LEAFLET_CSS)]
    m.get_root().header.add_child(Element(MAP_CSS), name="oem_css")
    if TILES.get(tiles):
        url, attribution = TILES[tiles]
        folium.TileLayer(url, attr=attribution, name=tiles, max_zoom=19).add_to(m)

    static = _static_features(regions)
    GeoJsonLayer(static["context"], "context", interactive=False).add_to(m)
    GeoJsonLayer(static["labels"], "labels", False).add_to(m)
    return m


def oblast_tooltip(
    name_en: str, name_uk: str, counts: pd.Series, active_titles: list[str], date_label: str
) -> str:
    """Tooltip HTML for one oblast: both names, total, counts by category, what is under way."""
    lines = [
        f"<b>{escape(name_en)}</b> · {escape(name_uk)}",
        f"Events in window: {counts['total']}",
    ]
    parts = [f"{escape(c.replace('_', ' '))}: {n}" for c, n in counts.items() if c != "total" and n]
    if parts:
        lines.append("<br>".join(parts))
    if active_titles:
        shown = "<br>".join(f"• {escape(t)}" for t in active_titles[:5])
        lines.append(f"<span class='oem-now'>Under way on {escape(date_label)}</span><br>{shown}")
    return "<br>".join(lines)


def choropleth_layer(
    regions: Regions,
    counts: pd.DataFrame,
    breaks: list[int],
    active: dict[str, list[tuple[str, str]]],
    date_label: str,
) -> GeoJsonLayer:
    """The five oblasts filled by count; those with an event under way get a heavy outline."""
    features = []
    for f in _geojson_of(regions.display):
        code = f["properties"]["iso_code"]
        row = counts.loc[code]
        is_active = bool(active.get(code))
        style = {
            "fillColor": count_colour(int(row["total"]), breaks),
            "fillOpacity": 0.85,
            "color": ACTIVE_OUTLINE if is_active else "#555555",
            "weight": 4 if is_active else 1.2,
            "dashArray": None,
        }
        under_way = active.get(code, [])
        tip = oblast_tooltip(
            f["properties"]["name_en"],
            f["properties"]["name_uk"],
            row,
            [title for _, title in under_way],
            date_label,
        )
        features.append(
            _feature(
                f["geometry"],
                iso_code=code,
                count=int(row["total"]),
                active=is_active,
                active_categories=sorted({cat for cat, _ in under_way}),
                _style=style,
                _tooltip=tip,
            )
        )
    return GeoJsonLayer({"type": "FeatureCollection", "features": features}, "oblasts")


def _verification_html(ev) -> str:
    verification = ev[VERIFICATION]
    if verification == "claimed":
        return f"<span class='oem-claim'>Claim by {escape(str(ev[CLAIMED_BY]))}</span>"
    if verification == "not_held":
        return "<span class='oem-nothold'>Planned, not held</span>"
    return escape(str(verification).capitalize())


def _dates_html(ev) -> str:
    start = ev[START].strftime("%d %b %Y")
    if pd.notna(ev[END]) and ev[END] != ev[START]:
        return f"{start} – {ev[END].strftime('%d %b %Y')}"
    return start


def event_html(ev, active: bool) -> str:
    """One event in a popup: dates, category, title, description, claim status, source link."""
    colour = category_colour(ev[CATEGORY])
    now = " <span class='oem-now'>under way</span>" if active else ""
    url = escape(str(ev[SOURCE_URL]), quote=True)
    source = escape(str(ev[SOURCE_NAME]) or str(ev[SOURCE_URL]))
    return (
        "<div class='oem-ev'>"
        f"<div>{_dates_html(ev)} <span class='oem-chip' style='background:{colour}'>"
        f"{escape(str(ev[CATEGORY]).replace('_', ' '))}</span>{now}</div>"
        f"<b>{escape(str(ev[TITLE]))}</b>"
        f"<div>{escape(str(ev[DESCRIPTION]))}</div>"
        f"<div>{_verification_html(ev)} · Source: "
        f"<a href='{url}' target='_blank' rel='noopener noreferrer'>{source}</a></div>"
        "</div>"
    )


def place_popup(settlement: str, events: pd.DataFrame, active_ids: set) -> str:
    """Popup HTML for all events at one place, newest first."""
    head = f"<h4>{escape(settlement) or 'Unnamed place'} · {len(events)} event(s)</h4>"
    body = [
        event_html(ev, ev.name in active_ids) for _, ev in events.head(MAX_POPUP_EVENTS).iterrows()
    ]
    more = len(events) - MAX_POPUP_EVENTS
    if more > 0:
        body.append(f"<div class='oem-ev'>… and {more} more: see the events table.</div>")
    return f"<div class='oem-pop'>{head}{''.join(body)}</div>"


def markers_layer(events: pd.DataFrame, active_mask: pd.Series) -> GeoJsonLayer:
    """One circle per place; colour of its newest event's category; heavy outline if under way."""
    located = events[events[LAT].notna() & events[LON].notna()]
    located = located.sort_values(START, ascending=False, kind="stable")
    active_ids = set(located.index[active_mask.reindex(located.index, fill_value=False)])
    features = []
    keyed = located.assign(_lat=located[LAT].round(5), _lon=located[LON].round(5))
    for (lat, lon), group in keyed.groupby(["_lat", "_lon"], sort=True):
        newest = group.iloc[0]
        is_active = bool(active_ids & set(group.index))
        n = len(group)
        settlement = str(newest[SETTLEMENT])
        style = {
            "radius": min(16, 6 + 2 * (n**0.5)) + (3 if is_active else 0),
            "color": ACTIVE_OUTLINE if is_active else "#ffffff",
            "weight": 3 if is_active else 1.5,
            "fillColor": category_colour(newest[CATEGORY]),
            "fillOpacity": 0.95,
        }
        tip = f"{escape(settlement) or 'Event'}: {n} event(s)" + (
            " · under way" if is_active else ""
        )
        features.append(
            _feature(
                {"type": "Point", "coordinates": [float(lon), float(lat)]},
                count=n,
                active=is_active,
                category=str(newest[CATEGORY]),
                _style=style,
                _tooltip=tip,
                _popup=place_popup(settlement, group, active_ids),
            )
        )
    return GeoJsonLayer({"type": "FeatureCollection", "features": features}, "events")


def date_layers(
    regions: Regions,
    events: pd.DataFrame,
    counts: pd.DataFrame,
    breaks: list[int],
    active_mask: pd.Series,
    date_label: str,
) -> folium.FeatureGroup:
    """Everything that changes with the date and filters, as one FeatureGroup."""
    active_events = events[active_mask.reindex(events.index, fill_value=False)]
    active: dict[str, list[tuple[str, str]]] = {}
    for code, cat, title in zip(
        active_events[PLACED_OBLAST], active_events[CATEGORY], active_events[TITLE], strict=True
    ):
        if code in FIVE_OBLASTS:
            active.setdefault(code, []).append((str(cat), str(title)))
    group = folium.FeatureGroup(name="events")
    choropleth_layer(regions, counts, breaks, active, date_label).add_to(group)
    markers_layer(events, active_mask).add_to(group)
    return group
