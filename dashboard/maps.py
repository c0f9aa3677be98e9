"""Build the folium base map and the per-date layers. No Streamlit.

The base map is deterministic (same data -> same JavaScript), so streamlit-folium never reloads
its iframe; everything that changes with the date or filters lives in one FeatureGroup passed
as ``feature_group_to_add``. Every piece of text from a data file is HTML-escaped here.
"""

from __future__ import annotations

import functools
import json
from html import escape

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

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
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    SUB_EVENT_TYPE,
    TITLE,
    VERIFICATION,
)
from dashboard.geo.regions import Regions
from dashboard.i18n import (
    category_name,
    dataset_label,
    map_label,
    oblast_name,
    short_date,
    side_claim,
    tr,
)
from dashboard.query.index import (  # noqa: F401 (MAX_PLACES: API)
    MAX_PLACES,
    EventIndex,
    Selection,
)
from dashboard.render import assets
from dashboard.scene.palette import ACTIVE_OUTLINE, category_colour, count_colour

CENTER = (48.2, 35.6)  # degrees: the five oblasts in view
ZOOM = 6
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
.oem-timebar{background:#fff;border:2px solid rgba(0,0,0,.25);border-radius:6px;
  padding:4px 8px;display:flex;align-items:center;gap:6px;
  font:600 15px/1.2 system-ui,'DejaVu Sans',sans-serif;color:#111}
.oem-timebar input{width:220px;accent-color:#0b6e99;margin:0}
.oem-timebar button{border:1px solid #999;background:#f6f6f6;border-radius:4px;cursor:pointer;
  font-size:13px;padding:2px 7px;color:#111}
.oem-timebar button:hover{background:#e6eef3}
.oem-timebar input:focus-visible,.oem-timebar button:focus-visible{outline:3px solid #0b6e99;
  outline-offset:2px}
.oem-timebar output{min-width:10.5em;text-align:center}
</style>"""


class Raw(Element):
    """Text placed in the page exactly as given. folium wraps each rendered macro in an
    ``Element``, which compiles it as a Jinja template: event text such as ``{{ ... }}`` from a
    user's file would then be evaluated on the server (and a large payload costs a template
    compile on every step). This element is never compiled."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class SafeMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as ``Raw``."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


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
    oblasts = [
        _feature(f["geometry"], iso_code=f["properties"]["iso_code"])
        for f in _geojson_of(regions.display)
    ]
    cached = {
        "regions": regions,
        "context": {"type": "FeatureCollection", "features": context_features},
        "oblasts": {"type": "FeatureCollection", "features": oblasts},
        "labels": {"type": "FeatureCollection", "features": labels},
        "label_list": [
            [
                f["geometry"]["coordinates"][1],
                f["geometry"]["coordinates"][0],
                f["properties"]["_label"],
            ]
            for f in labels
        ],
    }
    _STATIC[(id(regions), lang)] = cached
    return cached


class ClientBase(SafeMacro):
    """Starts the map client (dashboard/web/oem-map.js) on the base map: labels inline, the
    geometry fetched once from the app's static files (or inlined for a standalone file)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
OEM.base({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, options: dict) -> None:
        super().__init__()
        self._name = "oem_base"
        self.options = options


def static_geo(regions: Regions, lang: str = "en") -> dict:
    """What the client draws once: the styled context and the five oblasts' shapes."""
    static = static_features(regions, lang)
    return {"context": static["context"], "oblasts": static["oblasts"]}


def base_map(
    regions: Regions,
    tiles: str = "none",
    lang: str = "en",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    inline: bool = False,
) -> folium.Map:
    """The map that never changes with the date: context, oblast shapes, labels, assets.
    ``center`` (lat, lon) and ``zoom`` are where it opens (default: the five oblasts).
    ``inline`` puts the geometry in the page (a standalone file) instead of a static URL; the
    page's script then stays a few KB, and it is re-sent on every rerun."""
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
    if not inline:
        m.default_js.append(("oem_client", assets.client_url()))
    m.get_root().header.add_child(Raw(MAP_CSS), name="oem_css")
    if TILES.get(tiles):
        url, attribution = TILES[tiles]
        folium.TileLayer(url, attr=attribution, name=tiles, max_zoom=19).add_to(m)
    static = static_features(regions, lang)
    options: dict = {"labels": static["label_list"]}
    if inline:
        options["geo"] = static_geo(regions, lang)
    else:
        if "url" not in static:  # published once per Regions and language
            static["url"] = assets.geo_url(static_geo(regions, lang))
        options["url"] = static["url"]
    ClientBase(options).add_to(m)
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


class Interned:
    """A payload table: each distinct item is sent once, and a call returns its position."""

    def __init__(self) -> None:
        self.items: list = []
        self._ids: dict = {}

    @staticmethod
    def key(item):
        return item

    def __call__(self, item) -> int:
        key = self.key(item)
        got = self._ids.get(key)
        if got is None:
            got = self._ids[key] = len(self.items)
            self.items.append(item)
        return got


class Strings(Interned):
    """A payload's string table (strings already escaped)."""


class Styles(Interned):
    """A payload's distinct Leaflet path styles."""

    @staticmethod
    def key(item: dict) -> str:
        return json.dumps(item, sort_keys=True)


class OblastLayer:
    """The five oblasts filled by count (or fatalities); an event under way: heavy outline.

    ``rows`` is what the client receives (code, style, tooltip; no geometry); ``data`` is the
    same as GeoJSON with geometry, for the slide renderer and tests."""

    def __init__(self, regions: Regions, features: list[dict]) -> None:
        self._regions = regions
        self.features = features  # properties only (no geometry)

    @property
    def data(self) -> dict:
        shapes = static_features(self._regions)["oblasts"]["features"]
        geometry = {f["properties"]["iso_code"]: f["geometry"] for f in shapes}
        return {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": geometry[p["iso_code"]], "properties": p}
                for p in self.features
            ],
        }

    def rows(self, strings: Strings, styles: Styles) -> list[list]:
        return [[p["iso_code"], styles(p["_style"]), strings(p["_tooltip"])] for p in self.features]


def choropleth_layer(
    regions: Regions,
    counts: pd.DataFrame,
    breaks: list[int],
    active: dict[str, tuple],
    date_label: str,
    metric_column: str = "total",
    lang: str = "en",
    fill_opacity: float = FILL_OPACITY,
) -> OblastLayer:
    """Styles and tooltips of the five oblasts for one date."""
    features = []
    for code in FIVE_OBLASTS:
        row = counts.loc[code]
        is_active = bool(active.get(code))
        style = {
            "fillColor": count_colour(int(row[metric_column]), breaks),
            "fillOpacity": fill_opacity,
            "opacity": 1,
            "color": ACTIVE_OUTLINE if is_active else "#555555",
            "weight": 4 if is_active else 1.2,
            "dashArray": None,
        }
        categories, titles = active.get(code, (set(), []))
        tip = oblast_tooltip(code, row, titles, date_label, lang)
        features.append(
            {
                "iso_code": code,
                "count": int(row["total"]),
                "value": int(row[metric_column]),
                "active": is_active,
                "active_categories": sorted(categories),
                "_style": style,
                "_tooltip": tip,
            }
        )
    return OblastLayer(regions, features)


DATASET_NAMES = {"acled": "ACLED", "ucdp": "UCDP GED"}
NEAR_BORDER = "near_border"  # events.NEAR_BORDER


def _verification_html(ev, lang: str = "en") -> str:
    T = tr(lang)
    if ev.get(FORMAT) in DATASET_NAMES:  # not checked by us: say who coded it
        return escape(T("as_coded_by", dataset=DATASET_NAMES[ev[FORMAT]]))
    if ev.get(FORMAT) == "mapped":
        return escape(T("as_in_file"))
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
    if ev.get(NEAR_BORDER) is True:
        parts.append(escape(T("near_border")))
    if ev.get(DATASET):
        label = dataset_label(str(ev[DATASET]), lang)
        parts.append(escape(T("record", dataset=label, id=str(ev[ID]))))
    return "".join(f"<div class='oem-meta'>{p}</div>" for p in parts if p)


POPUP_COLUMNS = [
    *(ID, START, END, CATEGORY, TITLE, DESCRIPTION, SOURCE_URL, SOURCE_NAME, VERIFICATION),
    *(CLAIMED_BY, FORMAT, DATASET, SETTLEMENT, EVENT_TYPE, SUB_EVENT_TYPE, ACTOR1, ACTOR2),
    *(FATALITIES, FATALITIES_LOW, FATALITIES_HIGH, NEAR_BORDER),
]  # what a popup shows (event_parts) and names a marker by
POPUP_DESCRIPTION_CHARS = 400  # longer descriptions are cut in popups (the table has all)


def event_parts(ev, active: bool, lang: str = "en") -> tuple[str, ...]:
    """One event in a popup as escaped HTML pieces: dates, category chip, under way, title,
    description, dataset details, claim status, source URL, source name. ``join_event``
    (and the client's ``eventHtml``) put them together."""
    colour = category_colour(ev[CATEGORY])
    chip = (
        f"<span class='oem-chip' style='background:{colour}'>"
        f"{escape(category_name(str(ev[CATEGORY]), lang))}</span>"
    )
    description = str(ev[DESCRIPTION])
    if len(description) > POPUP_DESCRIPTION_CHARS:
        description = description[: POPUP_DESCRIPTION_CHARS - 1].rstrip() + "…"
    return (
        _dates_html(ev, lang),
        chip,
        "1" if active else "",
        escape(str(ev[TITLE]) or tr(lang)("no_title")),
        escape(description),
        _dataset_html(ev, lang),
        _verification_html(ev, lang),
        escape(str(ev[SOURCE_URL]), quote=True),
        escape(str(ev[SOURCE_NAME]) or str(ev[SOURCE_URL]) or tr(lang)("no_source")),
    )


def _under_way_html(lang: str) -> str:
    return f" <span class='oem-now'>{escape(tr(lang)('under_way'))}</span>"


def join_event(parts: tuple[str, ...], lang: str = "en") -> str:
    """The HTML of one event from ``event_parts`` (the client does the same in JS)."""
    dates, chip, active, title, description, meta, status, url, source = parts
    now = _under_way_html(lang) if active else ""
    return (
        f"<div class='oem-ev'><div>{dates} {chip}{now}</div><b>{title}</b>"
        f"<div>{description}</div>{meta}<div>{status} · {escape(tr(lang)('source'))}: "
        + (
            f"<a href='{url}' target='_blank' rel='noopener noreferrer'>{source}</a>"
            if url
            else source
        )
        + "</div></div>"
    )


def event_html(ev, active: bool, lang: str = "en") -> str:
    """One event in a popup: dates, category, title, description, claim status, source link."""
    return join_event(event_parts(ev, active, lang), lang)


def popup_head(title: str, total: int, lang: str = "en") -> str:
    T = tr(lang)
    return f"<h4>{escape(title) or escape(T('unnamed_place'))} · {T('n_events', n=total)}</h4>"


def more_text(total: int, listed: int, lang: str = "en") -> str:
    more = total - listed
    return escape(tr(lang)("more_events", n=more)) if more > 0 else ""


POPUP_EVENT_BUDGET = MAX_PLACES  # events in one step's popups: at least each marker's newest
MAX_POPUP_EVENTS = 25  # per marker


def popup_share(sizes: np.ndarray, budget: int = POPUP_EVENT_BUDGET) -> int:
    """Events listed per popup: the most (up to MAX_POPUP_EVENTS, at least 1) that keeps
    the total within ``budget``, so a step stays light however many events are in view."""
    k = MAX_POPUP_EVENTS
    while k > 1 and int(np.minimum(sizes, k).sum()) > budget:
        k = max(1, k * 2 // 3)
    return k


class MarkersLayer:
    """One circle per place, or per grid cell when places are too many (``grid_step``).

    ``payload`` is what the client receives; ``data`` is the same as GeoJSON features (with
    the popup HTML assembled), for the slide renderer and tests."""

    def __init__(self, payload: dict, grid_step: float | None, lang: str) -> None:
        self.payload = payload
        self.grid_step = grid_step
        self.lang = lang

    def popup_html(self, m: list) -> str:
        p = self.payload
        s = p["s"]
        html = "<div class='oem-pop'>" + s[m[4]]
        for i in m[5]:
            e = p["e"][i]
            html += join_event(
                tuple(s[j] if k != 2 else ("1" if j else "") for k, j in enumerate(e)), self.lang
            )
        if m[6] >= 0:
            html += f"<div class='oem-ev'>{s[m[6]]}</div>"
        return html + "</div>"

    @property
    def data(self) -> dict:
        p = self.payload
        features = []
        for m, props in zip(p["m"], p["props"], strict=True):
            features.append(
                _feature(
                    {"type": "Point", "coordinates": [m[1], m[0]]},
                    **props,
                    _style=p["styles"][m[2]],
                    _tooltip=p["s"][m[3]],
                    _popup=self.popup_html(m),
                )
            )
        return {"type": "FeatureCollection", "features": features}


def markers_from_index(
    index: EventIndex,
    sel: Selection,
    active: np.ndarray,
    show_outside: bool = False,
    lang: str = "en",
    strings: Strings | None = None,
    styles: Styles | None = None,
) -> MarkersLayer:
    """The markers for the selected events (``active``: per selected event, under way).

    Places outside the five oblasts are drawn only with ``show_outside``, paler and smaller.
    Over MAX_PLACES places, events are grouped on the finest grid that fits (one circle per
    cell, area ~ events, colour = its most common category)."""
    T = tr(lang)
    strings = strings or Strings()
    styles = styles or Styles()
    level, ids, used, drawn, groups, newest = listed_events(index, sel, show_outside)
    step = level.step
    sizes = used[groups]
    act = np.bincount(ids[active[drawn]], minlength=level.n)[groups] > 0 if len(ids) else sizes > 0
    heads = np.array([g[0] for g in newest], dtype=np.int64) if len(groups) else np.zeros(0, int)
    ncat = max(len(index.categories), 1)
    if step is None:
        lat, lon = index.lat[heads], index.lon[heads]
        colour_code = index.category[heads]
    else:
        cats = sel.take(index.category)[drawn]
        by_cat = np.bincount(ids * ncat + cats, minlength=level.n * ncat).reshape(level.n, ncat)
        colour_code = by_cat[groups].argmax(axis=1)
        lat = _group_sum(ids, sel.take(index.lat)[drawn], level.n)[groups] / sizes
        lon = _group_sum(ids, sel.take(index.lon)[drawn], level.n)[groups] / sizes
        biggest = int(sizes.max()) if len(sizes) else 1
        max_radius = min(20.0, max(6.0, step * 40))
    inside = index.in_five[heads]
    listed = np.concatenate(newest) if newest else np.zeros(0, dtype=np.int64)
    popups = popup_parts(index, listed, lang)
    active_set = set(_active_positions(sel, active).tolist()) if len(listed) else set()
    events: list[list[int]] = []
    event_row: dict[int, int] = {}
    for position in listed.tolist():
        parts = popups[position][0]
        event_row[position] = len(events)
        row = [strings(x) for x in parts]
        row[2] = 1 if position in active_set else 0
        events.append(row)
    rows, props = [], []
    for i in range(len(groups)):
        n = int(sizes[i])
        is_active = bool(act[i])
        is_inside = bool(inside[i])
        name = popups[int(heads[i])][1] if step is None else T("area", step=step)
        if step is None:
            radius = min(16, 6 + 2 * (n**0.5))
        else:
            radius = 3 + (max_radius - 3) * (n / biggest) ** 0.5
        category = index.categories[int(colour_code[i])] if index.categories else ""
        style = {
            "radius": round((radius if is_inside else 5) + (3 if is_active else 0), 1),
            "color": ACTIVE_OUTLINE if is_active else ("#ffffff" if is_inside else "#555555"),
            "weight": 3 if is_active else (1.5 if is_inside else 1),
            "fillColor": category_colour(category),
            "fillOpacity": 0.95 if is_inside else 0.55,
        }
        tip = f"{escape(name) or escape(T('event'))}: {T('n_events', n=n)}" + (
            f" · {escape(T('under_way'))}" if is_active else ""
        )
        mine = [event_row[int(x)] for x in newest[i]]
        more = more_text(n, len(mine), lang)
        rows.append(
            [
                round(float(lat[i]), 5),
                round(float(lon[i]), 5),
                styles(style),
                strings(tip),
                strings(popup_head(name, n, lang)),
                mine,
                strings(more) if more else -1,
            ]
        )
        props.append({"count": n, "active": is_active, "inside": is_inside, "category": category})
    payload = {"m": rows, "e": events, "s": strings.items, "styles": styles.items, "props": props}
    return MarkersLayer(payload, step, lang)


POPUP_CACHE_SIZE = 20_000  # events' popup pieces kept per index and language (~26 MB)


def listed_events(index: EventIndex, sel: Selection, show_outside: bool):
    """The groups drawn for ``sel`` (places, or grid cells when places are too many) and,
    per group, the positions of the newest events its popup lists:
    (level, ids, used, drawn, groups, newest)."""
    level, ids, used, drawn = index.choose_level(sel, show_outside)
    groups = np.flatnonzero(used)
    newest = index.newest_in_groups(level, groups, sel, popup_share(used[groups]))
    return level, ids, used, drawn, groups, newest


def popup_parts(index: EventIndex, positions: np.ndarray, lang: str) -> dict:
    """Per index position: (``event_parts`` with the 'under way' piece empty, place name).
    Kept per index and language, so sessions on the same dates, the steps back and forth of
    one session and the dates prepared ahead (``timebar.steps``) format each event once."""
    cache = index.memo(("popup parts", lang), dict)
    out = {p: cache.get(p) for p in positions.tolist()}
    missing = [p for p, got in out.items() if got is None]
    if missing:
        if len(cache) + len(missing) > POPUP_CACHE_SIZE:
            cache.clear()
        for p, record in zip(missing, index.records(np.array(missing), POPUP_COLUMNS), strict=True):
            out[p] = cache[p] = (event_parts(record, False, lang), str(record.get(SETTLEMENT, "")))
    return out


def _group_sum(ids: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(ids, weights=values, minlength=n)


def _index_of(events: pd.DataFrame, active_mask: pd.Series):
    """An index over a frame of events already in view, and its 'under way' flags."""
    index = EventIndex.build(events)
    sel = Selection(0, len(index), np.zeros(0, dtype=np.int64))
    order = events.index[index.rows]
    active = active_mask.reindex(order, fill_value=False).to_numpy(dtype=bool)
    return index, sel, active


def markers_layer(
    events: pd.DataFrame, active_mask: pd.Series, show_outside: bool = False, lang: str = "en"
) -> MarkersLayer:
    """``markers_from_index`` for a frame of the events in view."""
    index, sel, active = _index_of(events, active_mask)
    return markers_from_index(index, sel, active, show_outside, lang)


class MapControl(SafeMacro):
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


UNDER_WAY_TITLES = 5  # titles of events under way listed in an oblast's tooltip


def under_way_by_oblast(index: EventIndex, positions: np.ndarray) -> dict[str, tuple]:
    """Per oblast of the five with events under way (index ``positions``): (the categories
    under way, the titles of the newest ``UNDER_WAY_TITLES``)."""
    positions = positions[index.oblast[positions] >= 0]
    out: dict[str, tuple] = {}
    oblast = index.oblast[positions]
    for k, code in enumerate(FIVE_OBLASTS):
        mine = positions[oblast == k]
        if not len(mine):
            continue
        cats = {index.categories[c] for c in np.unique(index.category[mine]).tolist()}
        shown = mine[:UNDER_WAY_TITLES]
        titles = [str(t) for t in index.take(shown, [TITLE])[TITLE].to_numpy().tolist()]
        out[code] = (cats, titles)
    return out


class DateLayer(SafeMacro):
    """One date on the page: the client restyles the oblasts and draws the markers from this
    compact payload (strings escaped, styles and strings sent once each)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new OEM.DateLayer({{ this.payload_json }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "oem_date"
        self.payload = payload  # the scene may add to it until the layer is rendered

    @functools.cached_property
    def payload_json(self) -> str:
        return script_json(self.payload)  # encoded once: the macro is rendered twice


def script_json(value) -> str:
    """JSON safe inside an HTML <script> (as Jinja's ``tojson``), UTF-8 rather than \\u escapes
    (Ukrainian text is half the size)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text


def date_group(
    regions: Regions,
    index: EventIndex,
    sel: Selection,
    active: np.ndarray,
    counts: pd.DataFrame,
    breaks: list[int],
    date_label: str,
    date_key: str = "",
    metric_column: str = "total",
    show_outside: bool = False,
    lang: str = "en",
    fill_opacity: float = FILL_OPACITY,
) -> folium.FeatureGroup:
    """Everything that changes with the date and filters, as one FeatureGroup.

    The group keeps ``.oblasts`` and ``.markers`` (their ``.data`` is what the slide renderer
    draws) and ``.grid_step`` for the legend (None = one circle per place)."""
    by_oblast = under_way_by_oblast(index, _active_positions(sel, active))
    oblasts = choropleth_layer(
        regions, counts, breaks, by_oblast, date_label, metric_column, lang, fill_opacity
    )
    strings, styles = Strings(), Styles()
    markers = markers_from_index(index, sel, active, show_outside, lang, strings, styles)
    payload = {
        "date": date_key,
        "o": oblasts.rows(strings, styles),
        "m": markers.payload["m"],
        "e": markers.payload["e"],
        "s": strings.items,
        "styles": styles.items,
        "t": {"now": strings(_under_way_html(lang)), "source": strings(escape(tr(lang)("source")))},
    }
    group = folium.FeatureGroup(name="events")
    DateLayer(payload).add_to(group)
    group.oblasts = oblasts
    group.markers = markers
    group.grid_step = markers.grid_step
    group.payload = payload
    return group


def _active_positions(sel: Selection, active: np.ndarray) -> np.ndarray:
    run = sel.stop - sel.start
    return np.concatenate(
        [sel.start + np.flatnonzero(active[:run]), sel.extra[active[run:]]]
    ).astype(np.int64)


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
    """``date_group`` for a frame of the events in view (tests, small data)."""
    index, sel, active = _index_of(events, active_mask)
    group = date_group(
        regions,
        index,
        sel,
        active,
        counts,
        breaks,
        date_label,
        "",
        metric_column,
        show_outside,
        lang,
        fill_opacity,
    )
    for control in controls:
        control.add_to(group)
    return group
