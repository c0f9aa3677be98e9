"""One view, ready to draw: the map layers, legend and words for a date. No Streamlit, no folium.

The page, the slide PNG, the standalone HTML and ``python -m dashboard.snapshot`` all build
their scene here, the same way (``inputs_for`` a ``ViewState``, then ``make``), so what a
briefer exports is what the page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from html import escape

import pandas as pd

from dashboard.config import ALL_CATEGORIES, DATASET, FIVE_OBLASTS, FORMAT
from dashboard.geo.regions import Regions
from dashboard.i18n import DATASET_NAMES, dataset_label, long_date, tr
from dashboard.ingest.areas import Areas, areas_on
from dashboard.ingest.control import ControlTable
from dashboard.ingest.datasets import UCDP_LABEL
from dashboard.query.filters import filters_of
from dashboard.query.index import EventIndex
from dashboard.query.view import (
    Filters,
    View,
    breaks_for_index,
    breaks_for_range,
    build_view,
    index_for,
)
from dashboard.scene import basemap, legend
from dashboard.scene.control import control_rows, legend_entries
from dashboard.scene.layers import DateLayers, date_group
from dashboard.state.choices import DENSITY, METRICS
from dashboard.state.view_state import ViewState


@dataclass
class Scene:
    """One drawable view as plain data: the date's layers (payload, oblasts, markers), the
    legend, the words, the fixed HTML drawn over the map (``controls``: html, position, css
    class) and where the map opens. ``render`` turns it into Leaflet, a PNG or an HTML file."""

    view: View
    layers: DateLayers
    legend: legend.Legend
    lang: str
    title: str
    date_text: str
    window_text: str
    attribution: str
    show_outside: bool = False
    center: tuple[float, float] | None = None  # lat, lon; None: the page default / fit
    zoom: float | None = None
    tiles: str = "none"
    controls: tuple[tuple[str, str, str], ...] = ()


def sources_text(events: pd.DataFrame, lang: str) -> str:
    """Who the events come from, for the attribution line."""
    formats = list(events[FORMAT].unique()) if FORMAT in events and len(events) else []
    labels = list(events[DATASET].unique()) if DATASET in events else []
    return attribution_text(formats, labels, lang)


UCDP_CREDIT = (
    "UCDP GED and Candidate events, Uppsala Conflict Data Program (ucdp.uu.se), CC BY 4.0: "
    "Sundberg & Melander 2013; Davies, Pettersson & Öberg 2023"
)


def attribution_text(formats: list, labels: list, lang: str) -> str:
    """The attribution line for events of these formats and dataset labels: each dataset by
    name, and the credit UCDP's licence asks for wherever its events are shown."""
    T = tr(lang)
    parts = []
    formats = set(formats)
    labels = [str(x) for x in labels]
    for label in labels:
        if label in DATASET_NAMES or label.startswith("Bundled: "):
            parts.append(dataset_label(label, lang))
    if "acled" in formats:
        parts.append("ACLED (acleddata.com)")
    if "ucdp" in formats:
        parts.append(UCDP_CREDIT)
    if any(label.startswith("Upload: ") for label in labels) and "native" in formats:
        parts += [dataset_label(x, lang) for x in labels if x.startswith("Upload: ")]
    parts = [p for p in dict.fromkeys(parts) if p != dataset_label(UCDP_LABEL, lang)]
    sources = "; ".join(parts) or "—"
    return T("attribution", sources=f"{sources} ({T('sources_note')})")


def make(
    events: pd.DataFrame,
    regions: Regions,
    date,
    window: int | None,
    filters: Filters | None = None,
    metric: str = "events",
    show_outside: bool = False,
    lang: str = "en",
    breaks: list[int] | None = None,
    tiles: str = "none",
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    overlay: str = "",
    index: EventIndex | None = None,
    client: dict | None = None,
    control: ControlTable | None = None,
    areas: Areas | None = None,
    range_from=None,
    range_to=None,
    density: str = "auto",
) -> Scene:
    """Filter, count and draw the layers for one date.

    ``range_from`` (with ``range_to``): a from-to range; the map counts from its first day to
    ``date`` (the window grows as the date steps through the range). ``density``: how events
    are drawn (``scene.layers.density_of``).

    ``overlay``: "" (page), "legend" (presentation: the legend over the map) or "full" (the
    standalone file: legend and the title/date banner over the map). ``client``: more keys
    for the map client's payload (the page's scene name and time bar, ``timebar.protocol``).
    """
    filters = filters or Filters()
    if index is None:
        index = index_for(events, filters)
    if breaks is None:
        breaks = breaks_of(index, window, metric, range_from, range_to)
    days = window_on(date, window, range_from)
    view = build_view(events, date, days, filters, breaks=breaks, metric=metric, index=index)
    T = tr(lang)
    date_text = long_date(view.date, lang)
    fill_opacity = basemap.FILL_OPACITY if tiles == "none" else basemap.FILL_OPACITY_TILES
    layers = date_group(
        regions,
        index,
        view.selection,
        view.active_flags,
        view.counts,
        view.breaks,
        f"{view.date:%d %b %Y}" if lang == "en" else date_text,
        f"{view.date:%Y-%m-%d}",
        view.metric_column,
        show_outside,
        lang,
        fill_opacity,
        control_rows(control, view.date, lang),
        density,
    )
    in_force = areas_on(areas, view.date)
    if in_force:  # the analyst's control areas in force on the date
        label = escape(areas.credit)
        layers.payload["a"] = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": a.geometry,
                    "properties": {"tip": f"{escape(a.label)}{' · ' if a.label else ''}{label}"},
                }
                for a in in_force
            ],
        }
        layers.areas = in_force
    key = legend.build(
        view.breaks,
        days,
        metric,
        marker_categories(layers),
        layers.grid_step,
        lang,
        values=[int(view.counts.loc[c, view.metric_column]) for c in FIVE_OBLASTS],
        outlined=bool(view.active_flags.any()),
        caveats=caveats(index, view.selection, lang),
        control=legend_entries(layers.control, lang),
        areas=T("areas_legend", credit=areas.credit) if in_force else "",
        since=range_from,
        density=layers.density,
        area=len(filters.area) >= 3,
    )
    window_text = legend.window_text(view.date, days, lang, since=range_from, until=range_to)
    layers.payload["label"] = escape(date_text)  # the time bar's date
    controls: list[tuple[str, str, str]] = []
    if overlay in ("legend", "full"):
        legend_html = legend.to_html(key, scale=1.15)
        layers.payload["legend"] = legend_html  # a date the client steps to brings its legend
        controls.append((legend_html, "bottomleft", "oem-legend"))
    layers.payload.update(client or {})
    if overlay == "full":
        banner = (
            f"{escape(T('present_title'))}<br>{escape(date_text)}"
            f"<small>{escape(window_text)}</small>"
        )
        controls.append((banner, "topright", "oem-banner"))
    attribution = (
        attribution_text(index.column_values(FORMAT), index.column_values(DATASET), lang)
        if len(index)
        else sources_text(events, lang)
    )
    if in_force:
        attribution += " " + T("areas_credit", credit=areas.credit)
    if overlay in ("legend", "full"):  # presentation and the file: the credit on the map
        controls.append((escape(attribution), "bottomright", "oem-attrib"))
    return Scene(
        view=view,
        layers=layers,
        legend=key,
        lang=lang,
        title=T("present_title"),
        date_text=date_text,
        window_text=window_text,
        attribution=attribution,
        show_outside=show_outside,
        center=center,
        zoom=zoom,
        tiles=tiles,
        controls=tuple(controls),
    )


def window_on(date, window: int | None, range_from) -> int | None:
    """The window counted on ``date``: the view's, or with a range, its first day to the date."""
    if range_from is None:
        return window
    gap = (pd.Timestamp(date).normalize() - pd.Timestamp(range_from).normalize()).days
    return max(1, gap + 1)


def breaks_of(index: EventIndex, window: int | None, metric: str, range_from, range_to):
    """Class breaks that stay fixed while the date moves: over every date for a window, or the
    whole range for a range (its counts only grow as the date steps through it)."""
    if range_from is None or range_to is None:
        return breaks_for_index(index, window, metric)
    return breaks_for_range(index, range_from, range_to, metric)


def marker_categories(layers: DateLayers) -> list[str]:
    """The categories of the markers drawn (a grid cell's is its most common one), in the
    palette's order."""
    drawn = {p["category"] for p in layers.markers.payload["props"]}
    return [c for c in ALL_CATEGORIES if c in drawn] + sorted(drawn - set(ALL_CATEGORIES))


def caveats(index: EventIndex, selection, lang: str) -> tuple[str, ...]:
    """What the events in view say about their own certainty, for the legend (the slide and
    the presentation show no popups): how many have an uncertain date, how many are claims."""
    total = len(selection)
    if not total:
        return ()
    T = tr(lang)
    out = []
    uncertain = int(selection.take(index.uncertain_dates()).sum())
    if uncertain:
        out.append(T("caveat_dates", n=uncertain, total=total))
    claims = int(selection.take(index.claims()).sum())
    if claims:
        out.append(T("caveat_claims", n=claims, total=total))
    return tuple(out)


def step_payload(day, key: str, **make_args) -> str:
    """One date's payload for the map client as the page would send it (``make`` with the
    same arguments), as the JSON file the time bar fetches (``dashboard.timebar.steps``)."""
    drawn = make(date=day, client={"k": key}, **make_args)
    return json.dumps(drawn.layers.payload, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Inputs:
    """Everything a date's scene depends on but the date: the arguments of ``make`` and
    ``step_payload``. Dates drawn from equal inputs belong to one scene (one time bar)."""

    events: pd.DataFrame
    regions: Regions
    window: int | None
    filters: Filters
    metric: str
    show_outside: bool
    lang: str
    breaks: tuple[int, ...]
    tiles: str
    overlay: str
    index: EventIndex
    control: ControlTable | None = None
    areas: Areas | None = None
    range_from: object = None  # datetime.date or None
    range_to: object = None
    density: str = "auto"

    def args(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"breaks": list(self.breaks)}

    def key_parts(self) -> tuple:
        """What names the scene, beside the data shown (``timebar.steps.StepFiles.key``)."""
        return (
            self.filters,
            self.window,
            self.metric,
            self.show_outside,
            self.lang,
            self.tiles,
            self.breaks,
            self.overlay,
            id(self.control),
            id(self.areas),
            self.range_from,
            self.range_to,
            self.density,
        )


def inputs_for(
    state: ViewState,
    events: pd.DataFrame,
    regions: Regions,
    index: EventIndex,
    tiles: str,
    overlay: str = "",
    breaks: list[int] | None = None,
    control: ControlTable | None = None,
    areas: Areas | None = None,
) -> Inputs:
    """The scene inputs of a view. ``index``: the events' index under the view's filters (the
    page's is shared, ``caches.SHARED_INDEXES``); ``tiles``: the basemap drawn (the view's, or
    the deployment's default); ``breaks``: the class breaks when already known (they depend on
    the data, filters, window and metric, never on the date)."""
    metric = state.metric if state.metric in METRICS else "events"
    if breaks is None:
        breaks = breaks_of(index, state.window, metric, state.range_from, state.range_to)
    return Inputs(
        events=events,
        regions=regions,
        window=state.window,
        filters=filters_of(state),
        metric=metric,
        show_outside=state.outside,
        lang=state.lang,
        breaks=tuple(breaks),
        tiles=tiles,
        overlay=overlay,
        index=index,
        control=control,
        areas=areas,
        range_from=state.range_from if state.has_range else None,
        range_to=state.range_to if state.has_range else None,
        density=state.density if state.density in DENSITY else "auto",
    )


def of_state(state: ViewState, inputs: Inputs, day=None, client: dict | None = None) -> Scene:
    """The scene of a view on ``day`` (default: the view's date), opening where the view's
    map is (or the default view)."""
    center = (state.lat, state.lon) if state.lat is not None else None
    return make(
        date=day if day is not None else state.date,
        center=center,
        zoom=state.zoom if center else None,
        client=client,
        **inputs.args(),
    )
