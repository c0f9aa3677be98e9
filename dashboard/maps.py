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
    ACTOR1,
    ACTOR2,
    CATEGORY,
    CLAIMED_BY,
    DATASET,
    DESCRIPTION,
    END,
    EVENT_TYPE,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    FIVE_OBLASTS,
    FORMAT,
    ID,
    IN_FIVE,
    LAT,
    LON,
    PLACED_OBLAST,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    SUB_EVENT_TYPE,
    TITLE,
    VERIFICATION,
    category_label,
)
from dashboard.palette import ACTIVE_OUTLINE, category_colour, count_colour
from dashboard.regions import Regions

CENTER = (48.2, 35.6)  # degrees: the five oblasts in view
ZOOM = 6
MAX_POPUP_EVENTS = 25
MAX_PLACES = 600  # more distinct places than this: markers are grouped on a grid
GRID_STEPS = (0.05, 0.1, 0.2, 0.5, 1.0)  # degrees, finest first
AREA_POPUP_EVENTS = 5  # newest events listed in a grid cell's popup
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
.oem-meta{color:#444;font-size:12px}
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
    if counts.get(FATALITIES, 0):
        lines.append(f"Fatalities reported in window: {counts[FATALITIES]}")
    parts = [
        f"{escape(category_label(c))}: {n}"
        for c, n in counts.items()
        if c not in ("total", FATALITIES) and n
    ]
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
    metric_column: str = "total",
) -> GeoJsonLayer:
    """The five oblasts filled by count (or fatalities); an event under way: heavy outline."""
    features = []
    for f in _geojson_of(regions.display):
        code = f["properties"]["iso_code"]
        row = counts.loc[code]
        is_active = bool(active.get(code))
        style = {
            "fillColor": count_colour(int(row[metric_column]), breaks),
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
                value=int(row[metric_column]),
                active=is_active,
                active_categories=sorted({cat for cat, _ in under_way}),
                _style=style,
                _tooltip=tip,
            )
        )
    return GeoJsonLayer({"type": "FeatureCollection", "features": features}, "oblasts")


DATASET_NAMES = {"acled": "ACLED", "ucdp": "UCDP GED"}


def _verification_html(ev) -> str:
    if ev.get(FORMAT) in DATASET_NAMES:  # not checked by us: say who coded it
        return f"As coded by {DATASET_NAMES[ev[FORMAT]]}"
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


def _dataset_html(ev) -> str:
    """ACLED/UCDP details: type, actors or sides, fatalities; and which file the row is from."""
    parts = []
    fmt = ev.get(FORMAT, "native")
    if fmt in ("acled", "ucdp"):
        kind = " · ".join(escape(str(v)) for v in (ev[EVENT_TYPE], ev[SUB_EVENT_TYPE]) if v)
        parts.append(kind)
        who = " vs ".join(escape(str(v)) for v in (ev[ACTOR1], ev[ACTOR2]) if v)
        if who:
            parts.append(("Sides: " if fmt == "ucdp" else "Actors: ") + who)
    if pd.notna(ev.get(FATALITIES)):
        deaths = f"Fatalities: {int(ev[FATALITIES])}"
        if pd.notna(ev.get(FATALITIES_LOW)) and pd.notna(ev.get(FATALITIES_HIGH)):
            deaths += f" (low {int(ev[FATALITIES_LOW])}, high {int(ev[FATALITIES_HIGH])})"
        parts.append(deaths)
    if ev.get(DATASET):
        parts.append(f"{escape(str(ev[DATASET]))}, record {escape(str(ev[ID]))}")
    return "".join(f"<div class='oem-meta'>{p}</div>" for p in parts if p)


def event_html(ev, active: bool) -> str:
    """One event in a popup: dates, category, title, description, claim status, source link."""
    colour = category_colour(ev[CATEGORY])
    now = " <span class='oem-now'>under way</span>" if active else ""
    url = escape(str(ev[SOURCE_URL]), quote=True)
    source = escape(str(ev[SOURCE_NAME]) or str(ev[SOURCE_URL]))
    return (
        "<div class='oem-ev'>"
        f"<div>{_dates_html(ev)} <span class='oem-chip' style='background:{colour}'>"
        f"{escape(category_label(str(ev[CATEGORY])))}</span>{now}</div>"
        f"<b>{escape(str(ev[TITLE]))}</b>"
        f"<div>{escape(str(ev[DESCRIPTION]))}</div>"
        f"{_dataset_html(ev)}"
        f"<div>{_verification_html(ev)} · Source: "
        f"<a href='{url}' target='_blank' rel='noopener noreferrer'>{source}</a></div>"
        "</div>"
    )


def place_popup(title: str, events: list[dict], active: list[bool], total: int) -> str:
    """Popup HTML for the events at one place (or grid cell), newest first."""
    head = f"<h4>{escape(title) or 'Unnamed place'} · {total} event(s)</h4>"
    body = [event_html(ev, is_active) for ev, is_active in zip(events, active, strict=True)]
    more = total - len(events)
    if more > 0:
        body.append(f"<div class='oem-ev'>… and {more} more: see the events table.</div>")
    return f"<div class='oem-pop'>{head}{''.join(body)}</div>"


def grid_step(lat: pd.Series, lon: pd.Series, max_places: int = MAX_PLACES) -> float | None:
    """None when the distinct places fit; else the finest grid step (degrees) that fits."""
    if len(pd.unique(lat.round(5) * 1000 + lon.round(5))) <= max_places:
        return None
    for step in GRID_STEPS:
        cells = (lat / step).round().astype("int64") * 100_000 + (lon / step).round()
        if cells.nunique() <= max_places:
            return step
    return GRID_STEPS[-1]


def markers_layer(
    events: pd.DataFrame, active_mask: pd.Series, show_outside: bool = False
) -> GeoJsonLayer:
    """One circle per place; colour of its newest event's category; heavy outline if under way.

    Places outside the five oblasts are drawn only with ``show_outside``, paler and smaller,
    as context. When there are more than MAX_PLACES places, events are grouped on a grid of
    ``step`` degrees instead (one circle per cell, sized by its events): the layer property
    ``grid_step`` says which is drawn.
    """
    located = events[events[LAT].notna() & events[LON].notna()]
    if not show_outside:
        located = located[located[IN_FIVE]]
    located = located.sort_values(START, ascending=False, kind="stable")
    active = active_mask.reindex(located.index, fill_value=False).astype(bool)
    step = grid_step(located[LAT], located[LON])
    if step is None:
        keys = [located[LAT].round(5), located[LON].round(5)]
        per_popup = MAX_POPUP_EVENTS
    else:
        keys = [(located[LAT] / step).round(), (located[LON] / step).round()]
        per_popup = AREA_POPUP_EVENTS
    group_id = located.groupby(keys, sort=True).ngroup()
    by_group = located.groupby(group_id.to_numpy(), sort=True)
    sizes = by_group.size()
    any_active = active.groupby(group_id.to_numpy()).any()
    newest = by_group.head(1).set_index(group_id[by_group.head(1).index].to_numpy())
    where = by_group[[LAT, LON]].mean() if step else newest[[LAT, LON]]
    if step is None:
        colour_by = newest[CATEGORY]
    else:  # a cell's colour: its most common category (ties: the newest of them)
        pairs = pd.DataFrame({"g": group_id.to_numpy(), "c": located[CATEGORY].to_numpy()})
        colour_by = (
            pairs.groupby(["g", "c"], sort=False)
            .size()
            .sort_values(ascending=False, kind="stable")
            .reset_index()
            .drop_duplicates("g")
            .set_index("g")["c"]
        )
        biggest = int(sizes.max())
        max_radius = min(20.0, max(6.0, step * 40))
    top = by_group.head(per_popup)
    top_ids = group_id[top.index].to_numpy()
    top_records = top.to_dict("records")
    top_active = active[top.index].tolist()
    popups: dict[int, tuple[list, list]] = {}
    for gid, record, is_active in zip(top_ids, top_records, top_active, strict=True):
        entry = popups.setdefault(int(gid), ([], []))
        entry[0].append(record)
        entry[1].append(is_active)
    # Per-group values as plain dicts: label-based lookups per feature are slow at scale.
    inside_of = newest[IN_FIVE].astype(bool).to_dict()
    settlement_of = newest[SETTLEMENT].astype(str).to_dict()
    colour_of = colour_by.astype(str).to_dict()
    active_of = any_active.to_dict()
    lon_of, lat_of = where[LON].to_dict(), where[LAT].to_dict()
    features = []
    for gid, n in sizes.items():
        is_active = bool(active_of[gid])
        inside = inside_of[gid]
        name = settlement_of[gid] if step is None else f"Area of about {step}°"
        if step is None:
            radius = min(16, 6 + 2 * (n**0.5))
        else:  # area ~ events, the largest cell filling about its grid square
            radius = 3 + (max_radius - 3) * (n / biggest) ** 0.5
        style = {
            "radius": (radius if inside else 5) + (3 if is_active else 0),
            "color": ACTIVE_OUTLINE if is_active else ("#ffffff" if inside else "#555555"),
            "weight": 3 if is_active else (1.5 if inside else 1),
            "fillColor": category_colour(colour_of[gid]),
            "fillOpacity": 0.95 if inside else 0.55,
        }
        tip = f"{escape(name) or 'Event'}: {n} event(s)" + (" · under way" if is_active else "")
        records, flags = popups[int(gid)]
        features.append(
            _feature(
                {
                    "type": "Point",
                    "coordinates": [round(float(lon_of[gid]), 5), round(float(lat_of[gid]), 5)],
                },
                count=int(n),
                active=is_active,
                inside=inside,
                category=colour_of[gid],
                _style=style,
                _tooltip=tip,
                _popup=place_popup(name, records, flags, int(n)),
            )
        )
    layer = GeoJsonLayer({"type": "FeatureCollection", "features": features}, "events")
    layer.grid_step = step
    return layer


def date_layers(
    regions: Regions,
    events: pd.DataFrame,
    counts: pd.DataFrame,
    breaks: list[int],
    active_mask: pd.Series,
    date_label: str,
    metric_column: str = "total",
    show_outside: bool = False,
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
    choropleth_layer(regions, counts, breaks, active, date_label, metric_column).add_to(group)
    markers = markers_layer(events, active_mask, show_outside)
    markers.add_to(group)
    group.grid_step = markers.grid_step  # for the legend: None = one circle per place
    return group
