"""One view, ready to draw: the map layers, legend and words for a date. No Streamlit.

The page, the slide PNG, the standalone HTML and ``python -m dashboard.snapshot`` all build
their view here, so what a briefer exports is what the page shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

import folium
import pandas as pd

from dashboard import maps
from dashboard.config import DATASET, FORMAT
from dashboard.geo.regions import Regions
from dashboard.i18n import dataset_label, long_date, tr
from dashboard.query.index import EventIndex
from dashboard.query.view import Filters, View, breaks_for_index, build_view, index_for
from dashboard.render import assets, slides
from dashboard.scene import legend


@dataclass
class Scene:
    view: View
    layers: folium.FeatureGroup
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


def sources_text(events: pd.DataFrame, lang: str) -> str:
    """Who the events come from, for the attribution line."""
    formats = list(events[FORMAT].unique()) if FORMAT in events and len(events) else []
    labels = list(events[DATASET].unique()) if DATASET in events else []
    return attribution_text(formats, labels, lang)


def attribution_text(formats: list, labels: list, lang: str) -> str:
    """The attribution line for events of these formats and dataset labels."""
    T = tr(lang)
    parts = []
    formats = set(formats)
    labels = [str(x) for x in labels]
    for label in labels:
        if label.startswith("Bundled: "):
            parts.append(dataset_label(label, lang))
    if "acled" in formats:
        parts.append("ACLED (acleddata.com)")
    if "ucdp" in formats:
        parts.append("UCDP GED (ucdp.uu.se), CC BY 4.0")
    if any(label.startswith("Upload: ") for label in labels) and "native" in formats:
        parts += [dataset_label(x, lang) for x in labels if x.startswith("Upload: ")]
    sources = "; ".join(dict.fromkeys(parts)) or "—"
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
) -> Scene:
    """Filter, count and draw the layers for one date.

    ``overlay``: "" (page), "legend" (presentation: the legend over the map) or "full" (the
    standalone file: legend and the title/date banner over the map). ``client``: more keys
    for the map client's payload (the page's scene name and time bar, ``dashboard.timebar.steps``).
    """
    filters = filters or Filters()
    if index is None:
        index = index_for(events, filters)
    if breaks is None:
        breaks = breaks_for_index(index, window, metric)
    view = build_view(events, date, window, filters, breaks=breaks, metric=metric, index=index)
    T = tr(lang)
    date_text = long_date(view.date, lang)
    fill_opacity = maps.FILL_OPACITY if tiles == "none" else maps.FILL_OPACITY_TILES
    layers = maps.date_group(
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
    )
    shown_categories = index.categories_present(view.selection)
    key = legend.build(view.breaks, window, metric, shown_categories, layers.grid_step, lang)
    window_text = legend.window_text(view.date, window, lang)
    layers.payload["label"] = escape(date_text)  # the time bar's date
    if overlay in ("legend", "full"):
        legend_html = legend.to_html(key, scale=1.15)
        layers.payload["legend"] = legend_html  # a date the client steps to brings its legend
        maps.MapControl(legend_html, "bottomleft").add_to(layers)
    layers.payload.update(client or {})
    if overlay == "full":
        banner = (
            f"{escape(T('present_title'))}<br>{escape(date_text)}"
            f"<small>{escape(window_text)}</small>"
        )
        maps.MapControl(banner, "topright", "oem-banner").add_to(layers)
    return Scene(
        view=view,
        layers=layers,
        legend=key,
        lang=lang,
        title=T("present_title"),
        date_text=date_text,
        window_text=window_text,
        attribution=attribution_text(
            index.column_values(FORMAT), index.column_values(DATASET), lang
        )
        if len(index)
        else sources_text(events, lang),
        show_outside=show_outside,
        center=center,
        zoom=zoom,
        tiles=tiles,
    )


def step_payload(day, key: str, **make_args) -> str:
    """One date's payload for the map client as the page would send it (``make`` with the
    same arguments), as the JSON file the time bar fetches (``dashboard.timebar.steps``)."""
    drawn = make(date=day, client={"k": key}, **make_args)
    return json.dumps(drawn.layers.payload, ensure_ascii=False, separators=(",", ":"))


def slide(scene: Scene, regions: Regions, size: tuple[int, int]) -> slides.Slide:
    """The scene as a slide picture (server side, no browser)."""
    static = maps.static_features(regions, scene.lang)
    return slides.render(
        size,
        context=static["context"]["features"],
        oblasts=scene.layers.oblasts.data["features"],
        markers=scene.layers.markers.data["features"],
        labels=static["labels"]["features"],
        legend=scene.legend,
        title=scene.title,
        date_text=scene.date_text,
        window_text=scene.window_text,
        attribution=scene.attribution,
        center=scene.center,
        zoom=scene.zoom,
    )


def standalone_html(scene: Scene, regions: Regions) -> bytes:
    """One HTML file with this map, Leaflet inlined: opens from disk with no internet.

    Build ``scene`` with ``overlay="full"`` so the legend and the date travel with the map.
    """
    m = maps.base_map(regions, scene.tiles, scene.lang, inline=True)
    if scene.center is not None:
        m.location = list(scene.center)
        m.options["zoom"] = scene.zoom if scene.zoom is not None else maps.ZOOM
    m.default_js = []
    m.default_css = []
    leaflet_js = assets.package_file("leaflet", "leaflet.js").read_text(encoding="utf-8")
    leaflet_css = assets.package_file("leaflet", "leaflet.css").read_text(encoding="utf-8")
    leaflet_js = leaflet_js.replace("</script", "<\\/script")
    client_js = assets.client_js().replace("</script", "<\\/script")
    m.get_root().header.add_child(
        maps.Raw(
            f"<title>{escape(scene.title)} · {escape(scene.date_text)}</title>"
            f"<style>{leaflet_css}</style><script>{leaflet_js}</script>"
            f"<script>{client_js}</script>"
        ),
        name="leaflet_inline",
        index=0,
    )
    scene.layers.add_to(m)
    return m.get_root().render().encode("utf-8")
