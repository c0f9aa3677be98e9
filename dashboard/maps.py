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
)
from dashboard.i18n import (
    category_name,
    dataset_label,
    map_label,
    oblast_name,
    short_date,
    side_claim,
    tr,
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
html,body{height:100%;margin:0}
#map_div{height:100vh !important}
.oem-legend{background:#fff;color:#000;border:2px solid #000;border-radius:4px;
  padding:10px 14px;font:16px/1.35 system-ui,'DejaVu Sans',sans-serif;max-width:340px}
.oem-legend b{font-weight:700}
.oem-legend .sw{display:inline-block;width:26px;height:16px;border:1px solid #000;
  margin-right:8px;vertical-align:middle}
.oem-legend .dot{display:inline-block;width:14px;height:14px;border-radius:50%;
  border:1px solid #000;margin-right:8px;vertical-align:middle}
.oem-legend .row{white-space:nowrap}
.oem-legend .sec{margin-top:8px}
.oem-banner{background:#111;color:#fff;padding:8px 14px;border-radius:4px;
  font:700 26px/1.2 system-ui,'DejaVu Sans',sans-serif}
.oem-banner small{display:block;font-weight:400;font-size:15px}
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


_STATIC: dict[tuple[int, str], dict[str, dict]] = {}
FILL_OPACITY = 1.0  # no tiles: nothing to see through, so colours are exactly the legend's
FILL_OPACITY_TILES = 0.85


def static_features(regions: Regions, lang: str = "en") -> dict[str, dict]:
    """Context and label FeatureCollections, built once per Regions and language (read-only
    afterwards)."""
    cached = _STATIC.get((id(regions), lang))
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
        label = escape(map_label(code, lang))
        labels.append(_feature({"type": "Point", "coordinates": [point.x, point.y]}, _label=label))
    cached = {
        "regions": regions,
        "context": {"type": "FeatureCollection", "features": context_features},
        "labels": {"type": "FeatureCollection", "features": labels},
    }
    _STATIC[(id(regions), lang)] = cached
    return cached


def base_map(
    regions: Regions,
    tiles: str = "none",
    lang: str = "en",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> folium.Map:
    """The map that never changes with the date: context, oblast outlines, labels, assets.
    ``center`` (lat, lon) and ``zoom`` are where it opens (default: the five oblasts)."""
    m = folium.Map(
        location=center or CENTER,
        zoom_start=zoom if zoom is not None else ZOOM,
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

    static = static_features(regions, lang)
    GeoJsonLayer(static["context"], "context", interactive=False).add_to(m)
    GeoJsonLayer(static["labels"], "labels", False).add_to(m)
    return m


def oblast_tooltip(
    code: str, counts: pd.Series, active_titles: list[str], date_label: str, lang: str = "en"
) -> str:
    """Tooltip HTML for one oblast: its name in both languages (the page's first), the total,
    counts by category, and what is under way."""
    T = tr(lang)
    other = "uk" if lang == "en" else "en"
    lines = [
        f"<b>{escape(oblast_name(code, lang, full=True))}</b> · "
        f"{escape(oblast_name(code, other, full=True))}",
        T("tip_events", n=counts["total"]),
    ]
    if counts.get(FATALITIES, 0):
        lines.append(T("tip_fatalities", n=counts[FATALITIES]))
    parts = [
        f"{escape(category_name(c, lang))}: {n}"
        for c, n in counts.items()
        if c not in ("total", FATALITIES) and n
    ]
    if parts:
        lines.append("<br>".join(parts))
    if active_titles:
        shown = "<br>".join(f"• {escape(t)}" for t in active_titles[:5])
        now = escape(T("tip_under_way", date=date_label))
        lines.append(f"<span class='oem-now'>{now}</span><br>{shown}")
    return "<br>".join(lines)


def choropleth_layer(
    regions: Regions,
    counts: pd.DataFrame,
    breaks: list[int],
    active: dict[str, list[tuple[str, str]]],
    date_label: str,
    metric_column: str = "total",
    lang: str = "en",
    fill_opacity: float = FILL_OPACITY,
) -> GeoJsonLayer:
    """The five oblasts filled by count (or fatalities); an event under way: heavy outline."""
    features = []
    for f in _geojson_of(regions.display):
        code = f["properties"]["iso_code"]
        row = counts.loc[code]
        is_active = bool(active.get(code))
        style = {
            "fillColor": count_colour(int(row[metric_column]), breaks),
            "fillOpacity": fill_opacity,
            "color": ACTIVE_OUTLINE if is_active else "#555555",
            "weight": 4 if is_active else 1.2,
            "dashArray": None,
        }
        under_way = active.get(code, [])
        tip = oblast_tooltip(code, row, [title for _, title in under_way], date_label, lang)
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


def _verification_html(ev, lang: str = "en") -> str:
    T = tr(lang)
    if ev.get(FORMAT) in DATASET_NAMES:  # not checked by us: say who coded it
        return escape(T("as_coded_by", dataset=DATASET_NAMES[ev[FORMAT]]))
    verification = ev[VERIFICATION]
    if verification == "claimed":
        return f"<span class='oem-claim'>{escape(side_claim(str(ev[CLAIMED_BY]), lang))}</span>"
    if verification == "not_held":
        return f"<span class='oem-nothold'>{escape(T('not_held'))}</span>"
    if verification == "confirmed":
        return escape(T("confirmed"))
    return escape(str(verification).capitalize())


def _dates_html(ev, lang: str = "en") -> str:
    start = short_date(ev[START], lang)
    if pd.notna(ev[END]) and ev[END] != ev[START]:
        return f"{start} – {short_date(ev[END], lang)}"
    return start


def _dataset_html(ev, lang: str = "en") -> str:
    """ACLED/UCDP details: type, actors or sides, fatalities; and which file the row is from."""
    T = tr(lang)
    parts = []
    fmt = ev.get(FORMAT, "native")
    if fmt in ("acled", "ucdp"):
        kind = " · ".join(escape(str(v)) for v in (ev[EVENT_TYPE], ev[SUB_EVENT_TYPE]) if v)
        parts.append(kind)
        who = T("vs").join(escape(str(v)) for v in (ev[ACTOR1], ev[ACTOR2]) if v)
        if who:
            parts.append(T("sides" if fmt == "ucdp" else "actors") + ": " + who)
    if pd.notna(ev.get(FATALITIES)):
        deaths = T("fatalities_n", n=int(ev[FATALITIES]))
        if pd.notna(ev.get(FATALITIES_LOW)) and pd.notna(ev.get(FATALITIES_HIGH)):
            deaths += T(
                "fatalities_range", low=int(ev[FATALITIES_LOW]), high=int(ev[FATALITIES_HIGH])
            )
        parts.append(deaths)
    if ev.get(DATASET):
        label = dataset_label(str(ev[DATASET]), lang)
        parts.append(escape(T("record", dataset=label, id=str(ev[ID]))))
    return "".join(f"<div class='oem-meta'>{p}</div>" for p in parts if p)


def event_html(ev, active: bool, lang: str = "en") -> str:
    """One event in a popup: dates, category, title, description, claim status, source link."""
    T = tr(lang)
    colour = category_colour(ev[CATEGORY])
    now = f" <span class='oem-now'>{escape(T('under_way'))}</span>" if active else ""
    url = escape(str(ev[SOURCE_URL]), quote=True)
    source = escape(str(ev[SOURCE_NAME]) or str(ev[SOURCE_URL]))
    return (
        "<div class='oem-ev'>"
        f"<div>{_dates_html(ev, lang)} <span class='oem-chip' style='background:{colour}'>"
        f"{escape(category_name(str(ev[CATEGORY]), lang))}</span>{now}</div>"
        f"<b>{escape(str(ev[TITLE]))}</b>"
        f"<div>{escape(str(ev[DESCRIPTION]))}</div>"
        f"{_dataset_html(ev, lang)}"
        f"<div>{_verification_html(ev, lang)} · {escape(T('source'))}: "
        f"<a href='{url}' target='_blank' rel='noopener noreferrer'>{source}</a></div>"
        "</div>"
    )


def place_popup(
    title: str, events: list[dict], active: list[bool], total: int, lang: str = "en"
) -> str:
    """Popup HTML for the events at one place (or grid cell), newest first."""
    T = tr(lang)
    head = f"<h4>{escape(title) or escape(T('unnamed_place'))} · {T('n_events', n=total)}</h4>"
    body = [event_html(ev, is_active, lang) for ev, is_active in zip(events, active, strict=True)]
    more = total - len(events)
    if more > 0:
        body.append(f"<div class='oem-ev'>{escape(T('more_events', n=more))}</div>")
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
    events: pd.DataFrame, active_mask: pd.Series, show_outside: bool = False, lang: str = "en"
) -> GeoJsonLayer:
    """One circle per place; colour of its newest event's category; heavy outline if under way.

    Places outside the five oblasts are drawn only with ``show_outside``, paler and smaller,
    as context. When there are more than MAX_PLACES places, events are grouped on a grid of
    ``step`` degrees instead (one circle per cell, sized by its events): the layer property
    ``grid_step`` says which is drawn.
    """
    T = tr(lang)
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
        name = settlement_of[gid] if step is None else T("area", step=step)
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
        tip = f"{escape(name) or escape(T('event'))}: {T('n_events', n=int(n))}" + (
            f" · {escape(T('under_way'))}" if is_active else ""
        )
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
                _popup=place_popup(name, records, flags, int(n), lang),
            )
        )
    layer = GeoJsonLayer({"type": "FeatureCollection", "features": features}, "events")
    layer.grid_step = step
    return layer


class MapControl(MacroElement):
    """Fixed HTML over the map (legend, title banner) that comes and goes with its layer group.

    A plain Leaflet control would outlive the per-date FeatureGroup that streamlit-folium swaps
    on every step; this layer adds the control when the group is added and removes it with it.
    The HTML must already be escaped.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
  onAdd: function (map) {
    var html = {{ this.html|tojson }}, cls = {{ this.css_class|tojson }};
    this._control = L.control({position: {{ this.position|tojson }}});
    this._control.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    this._control.addTo(map);
  },
  onRemove: function (map) { if (this._control) { map.removeControl(this._control); } }
}))();
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, html: str, position: str = "bottomleft", css_class: str = "oem-legend"):
        super().__init__()
        self._name = "map_control"
        self.html = html
        self.position = position
        self.css_class = css_class


def active_by_oblast(events: pd.DataFrame, active_mask: pd.Series) -> dict[str, list]:
    """(category, title) of the events under way, per oblast of the five."""
    active_events = events[active_mask.reindex(events.index, fill_value=False)]
    active: dict[str, list[tuple[str, str]]] = {}
    for code, cat, title in zip(
        active_events[PLACED_OBLAST], active_events[CATEGORY], active_events[TITLE], strict=True
    ):
        if code in FIVE_OBLASTS:
            active.setdefault(code, []).append((str(cat), str(title)))
    return active


def date_layers(
    regions: Regions,
    events: pd.DataFrame,
    counts: pd.DataFrame,
    breaks: list[int],
    active_mask: pd.Series,
    date_label: str,
    metric_column: str = "total",
    show_outside: bool = False,
    lang: str = "en",
    fill_opacity: float = FILL_OPACITY,
    controls: tuple[MapControl, ...] = (),
) -> folium.FeatureGroup:
    """Everything that changes with the date and filters, as one FeatureGroup.

    The group keeps its two layers as ``.oblasts`` and ``.markers`` (their ``.data`` is what the
    slide renderer draws) and ``.grid_step`` for the legend (None = one circle per place).
    """
    active = active_by_oblast(events, active_mask)
    group = folium.FeatureGroup(name="events")
    oblasts = choropleth_layer(
        regions, counts, breaks, active, date_label, metric_column, lang, fill_opacity
    )
    oblasts.add_to(group)
    markers = markers_layer(events, active_mask, show_outside, lang)
    markers.add_to(group)
    for control in controls:
        control.add_to(group)
    group.oblasts = oblasts
    group.markers = markers
    group.grid_step = markers.grid_step
    return group
