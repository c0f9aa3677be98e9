"""One date's layers as plain data: the five oblasts' styles and tooltips, the markers and their
popups, packed into the compact payload the map client draws. No folium, no Streamlit.

The payload (one JSON object per date; ``timebar.protocol`` documents the keys the page adds):

- ``date``: ISO date; ``label``: the date in words (escaped), for the time bar.
- ``s``: the string table (escaped HTML); ``styles``: the distinct Leaflet path styles.
- ``o``: per oblast ``[iso_code, style, tooltip]`` (style and tooltip index ``styles``/``s``).
- ``m``: per marker ``[lat, lon, style, tooltip, popup head, [event rows], more text or -1,
  events]`` (the last: how many events the marker stands for; a cluster sums them).
- ``dm``: how the events are drawn: ``points``, ``clusters`` (the same markers, grouped by the
  client while they are close on screen) or ``heat`` (``h``: ``[lat, lon, events]`` per place
  or grid cell, ``hmax``: the weight drawn at full heat, ``hg``: the colour ramp; ``m`` is then
  empty).
- ``e``: per listed event, the ``popups.event_parts`` pieces as indexes into ``s`` (piece 2 is
  1 when the event is under way on the date).
- ``t``: ``now`` and ``source`` words (indexes into ``s``).
- ``a``: the control areas of the user's file in force on the date (GeoJSON; ``tip`` escaped).
- ``c``: per settlement of the control table ``[lat, lon, status, tooltip, status line]``
  (status indexes ``cs``, the ``[fill, border]`` of each of ``scene.control.STATUS_ORDER``); the
  popup is the status line above the settlement's history, which the static geometry carries
  (``control``, keyed ``"lat,lon"``).
- ``legend``: the legend's HTML, when the legend is drawn over the map (presentation).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

import numpy as np
import pandas as pd

from dashboard.config import FIVE_OBLASTS, TITLE
from dashboard.geo.regions import Regions
from dashboard.i18n import tr
from dashboard.query.index import MAX_PLACES, EventIndex, Selection
from dashboard.scene import basemap
from dashboard.scene.basemap import FILL_OPACITY, _feature
from dashboard.scene.control import STATUS_ORDER, STATUS_STYLE
from dashboard.scene.density import density_of, heat_layer
from dashboard.scene.palette import ACTIVE_OUTLINE, category_colour, count_colour
from dashboard.scene.popups import (
    join_event,
    more_text,
    oblast_tooltip,
    popup_head,
    popup_parts,
    under_way_html,
)


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
        shapes = basemap.static_features(self._regions)["oblasts"]["features"]
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
    uncertain = (
        np.bincount(ids[sel.take(index.uncertain_dates())[drawn]], minlength=level.n)[groups]
        if len(ids)
        else np.zeros(len(groups), dtype=np.int64)
    )
    listed = np.concatenate(newest) if newest else np.zeros(0, dtype=np.int64)
    popups = popup_parts(index, listed, lang)
    active_set = set(active_positions(sel, active).tolist()) if len(listed) else set()
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
        mine = [event_row[int(x)] for x in newest[i]]
        place = escape(name) or escape(T("event"))
        if n == 1 and len(newest[i]):  # one event: what and when, with the date's precision
            tip = f"{place}: {popups[int(newest[i][0])][2]}"
        else:
            tip = f"{place}: {T('n_events', n=n)}"
            if uncertain[i]:
                tip += f" ({escape(T('tip_uncertain', n=int(uncertain[i])))})"
        if is_active:
            tip += f" · {escape(T('under_way'))}"
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
                n,
            ]
        )
        props.append({"count": n, "active": is_active, "inside": is_inside, "category": category})
    payload = {"m": rows, "e": events, "s": strings.items, "styles": styles.items, "props": props}
    return MarkersLayer(payload, step, lang)


def listed_events(index: EventIndex, sel: Selection, show_outside: bool):
    """The groups drawn for ``sel`` (places, or grid cells when places are too many) and,
    per group, the positions of the newest events its popup lists:
    (level, ids, used, drawn, groups, newest)."""
    level, ids, used, drawn = index.choose_level(sel, show_outside)
    groups = np.flatnonzero(used)
    newest = index.newest_in_groups(level, groups, sel, popup_share(used[groups]))
    return level, ids, used, drawn, groups, newest


def _group_sum(ids: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(ids, weights=values, minlength=n)


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


def active_positions(sel: Selection, active: np.ndarray) -> np.ndarray:
    run = sel.stop - sel.start
    return np.concatenate(
        [sel.start + np.flatnonzero(active[:run]), sel.extra[active[run:]]]
    ).astype(np.int64)


@dataclass
class DateLayers:
    """One date's layers: ``payload`` is what the client receives (the module docstring gives
    its keys); ``oblasts.data`` and ``markers.data`` are the same as GeoJSON, for the slide
    renderer and tests; ``grid_step`` is the markers' grid (None = one circle per place)."""

    payload: dict
    oblasts: OblastLayer
    markers: MarkersLayer
    control: list[dict] = field(default_factory=list)  # scene.control.control_rows
    areas: list = field(default_factory=list)  # ingest.areas.Area in force (the user's file)
    density: str = "points"  # how the events are drawn (``density_of``)
    drawn: int = 0  # events on the map

    @property
    def grid_step(self) -> float | None:
        return self.markers.grid_step


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
    control: list[dict] | None = None,
    density: str = "auto",
) -> DateLayers:
    """Everything that changes with the date and filters: the oblasts, the markers, the
    settlements' control (``scene.control.control_rows``) and the payload the client draws
    them from."""
    by_oblast = under_way_by_oblast(index, active_positions(sel, active))
    oblasts = choropleth_layer(
        regions, counts, breaks, by_oblast, date_label, metric_column, lang, fill_opacity
    )
    strings, styles = Strings(), Styles()
    drawn_events = int(np.count_nonzero(index.drawn(sel, show_outside)))
    mode = density_of(density, drawn_events)
    # Heat draws no markers: theirs (for the slide and tests) stay out of the payload's tables.
    own = (strings, styles) if mode != "heat" else (Strings(), Styles())
    markers = markers_from_index(index, sel, active, show_outside, lang, *own)
    payload = {
        "date": date_key,
        "o": oblasts.rows(strings, styles),
        "m": markers.payload["m"] if mode != "heat" else [],
        "e": markers.payload["e"] if mode != "heat" else [],
        "s": strings.items,
        "styles": styles.items,
        "t": {"now": strings(under_way_html(lang)), "source": strings(escape(tr(lang)("source")))},
    }
    if mode != "points":  # a payload without "dm" is drawn as points (the goldens' form)
        payload["dm"] = mode
    if mode == "heat":
        payload.update(heat_layer(index, sel, show_outside))
    if control:
        codes = {status: i for i, status in enumerate(STATUS_ORDER)}
        payload["c"] = [
            [
                round(r["lat"], 5),
                round(r["lon"], 5),
                codes[r["status"]],
                strings(r["tooltip"]),
                strings(r["line"]),
            ]
            for r in control
        ]
        payload["cs"] = [list(STATUS_STYLE[status]) for status in STATUS_ORDER]
    return DateLayers(payload, oblasts, markers, control or [], density=mode, drawn=drawn_events)
