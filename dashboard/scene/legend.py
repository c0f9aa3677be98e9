"""What the legend says, in one place for the page, the map overlay and the slide PNG. No Streamlit.

The legend's words and colours are built once from the view (``build``); ``to_html`` draws them
for the page and for Leaflet (text escaped), and ``dashboard.render.slides`` draws the same object.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from dashboard.i18n import category_name, long_date, tr
from dashboard.scene.palette import (
    ACTIVE_OUTLINE,
    HEAT_GRADIENT,
    category_colour,
    count_colour,
    legend_bins,
)

TEXT = "#000000"
AREA_LINE = "#7a0f1c"  # the user's control areas: dashed outline, light fill
AREA_FILL_CSS = "rgba(178,24,43,0.18)"
BACKGROUND = "#ffffff"
HEAT_CSS = ",".join(colour for _, colour in HEAT_GRADIENT)
DRAWN_LINE = "#0b6e99"  # the area drawn on the map


@dataclass(frozen=True)
class Legend:
    fill_title: str  # "Oblast fill: events in the last 7 days"
    bins: tuple[tuple[str, str], ...]  # (label, colour), "none" first
    outline: str  # label of the heavy outline
    markers_title: str
    markers_text: str
    categories: tuple[tuple[str, str], ...]  # (label, colour) of the markers drawn
    show_outline: bool = True  # some oblast or marker is outlined (an event under way)
    caveats: tuple[str, ...] = ()  # what the events counted say about their own certainty
    control_title: str = ""  # the settlements' control section (empty: none on the map)
    control: tuple[tuple[str, str], ...] = ()  # (status words, colour) on the map
    areas: str = ""  # the user's control areas on the map, with their source and licence
    density: str = "points"  # how the events are drawn: points, clusters or heat
    heat_title: str = ""  # heat: what the glow is (the markers section is then empty)
    drawn_area: str = ""  # the area drawn on the map that filters everything

    @property
    def has_markers(self) -> bool:
        return bool(self.categories)


def window_text(date, window_days: int | None, lang: str, since=None, until=None) -> str:
    """'up to 25 September 2022', '19 September – 25 September 2022 (7 days)', or with a
    range '23 September – 30 September 2022 (range to 5 October 2022)'."""
    import pandas as pd

    T = tr(lang)
    if since is not None and until is not None:
        first = long_date(since, lang)
        if pd.Timestamp(since).year == pd.Timestamp(date).year:
            first = first.rsplit(" ", 1)[0]
        if pd.Timestamp(since).normalize() == pd.Timestamp(date).normalize():
            first = ""
        return T(
            "window_range",
            span=f"{first} – {long_date(date, lang)}" if first else long_date(date, lang),
            until=long_date(until, lang),
        )
    if window_days is None:
        return T("window_cumulative", date=long_date(date, lang))
    first = pd.Timestamp(date) - pd.Timedelta(days=window_days - 1)
    start = long_date(first, lang)
    if first.year == pd.Timestamp(date).year:  # "19 September – 25 September 2022"
        start = start.rsplit(" ", 1)[0]
    return T("window_days", first=start, date=long_date(date, lang), n=window_days)


def build(
    breaks: list[int],
    window_days: int | None,
    metric: str,
    categories: list[str],
    grid_step: float | None,
    lang: str = "en",
    values: list[int] | None = None,
    outlined: bool = True,
    caveats: tuple[str, ...] = (),
    control: tuple[tuple[str, str], ...] = (),
    areas: str = "",
    since=None,
    density: str = "points",
    area: bool = False,
) -> Legend:
    """The legend of one view: only what is on the map. ``values``: the oblasts' values on
    the date (only their classes are listed; None lists every class); ``categories``: those
    of the markers drawn; ``outlined``: something is outlined as under way."""
    T = tr(lang)
    what = T("fill_fatalities" if metric == "fatalities" else "fill_events")
    span = T("span_cumulative") if window_days is None else T("span_days", n=window_days)
    if since is not None:
        span = T("span_range", first=long_date(since, lang))
    bins = [(T("no_events") if label == "0" else label, c) for label, c in legend_bins(breaks)]
    if values is not None:
        used = {count_colour(int(v), breaks) for v in values}
        bins = [(label, c) for label, c in bins if c in used]
    if grid_step is None:
        markers = T("markers_places")
    else:
        markers = T("markers_grid", step=grid_step, km=round(grid_step * 111))
    if density == "clusters":
        markers += T("markers_clusters")
    heat = T("heat_legend") if density == "heat" else ""
    if heat:
        categories = []
    return Legend(
        fill_title=f"{T('fill')}: {what} {span}",
        bins=tuple(bins),
        outline=T("under_way_legend"),
        markers_title=T("markers"),
        markers_text=markers,
        categories=tuple((category_name(c, lang), category_colour(c)) for c in categories),
        show_outline=outlined,
        caveats=tuple(caveats),
        control_title=T("ctl_legend") if control else "",
        control=tuple(control),
        areas=areas,
        density=density,
        heat_title=heat,
        drawn_area=T("drawn_area_legend") if area else "",
    )


def to_html(legend: Legend, scale: float = 1.0) -> str:
    """The legend as HTML with inline styles (so it reads the same in the page and in Leaflet).
    ``scale`` enlarges it for a shared screen."""

    def px(n: float) -> str:
        return f"{round(n * scale)}px"

    swatch = (
        f"display:inline-block;width:{px(24)};height:{px(15)};border:1px solid #000;"
        f"margin-right:{px(7)};vertical-align:middle"
    )
    dot = (
        f"display:inline-block;width:{px(13)};height:{px(13)};border-radius:50%;"
        f"border:1px solid #000;margin-right:{px(7)};vertical-align:middle"
    )
    rows = "".join(
        f"<div><span style='{swatch};background:{colour}'></span>{escape(label)}</div>"
        for label, colour in legend.bins
    )
    cats = "".join(
        f"<div><span style='{dot};background:{colour}'></span>{escape(label)}</div>"
        for label, colour in legend.categories
    )
    outline = (
        f"display:inline-block;width:{px(24)};height:{px(15)};border:{px(3)} solid "
        f"{ACTIVE_OUTLINE};margin-right:{px(7)};vertical-align:middle"
    )
    html = (
        f"<div style='font-size:{px(14)};line-height:1.35;color:{TEXT}'>"
        f"<b>{escape(legend.fill_title)}</b>{rows}"
    )
    if legend.show_outline:
        html += (
            f"<div style='margin-top:{px(6)}'><span style='{outline}'></span>"
            f"{escape(legend.outline)}</div>"
        )
    if legend.has_markers:
        html += (
            f"<div style='margin-top:{px(8)}'><b>{escape(legend.markers_title)}</b>: "
            f"{escape(legend.markers_text)}{cats}</div>"
        )
    if legend.heat_title:
        ramp = f"display:inline-block;width:{px(60)};height:{px(12)};vertical-align:middle;"
        ramp += f"margin-right:{px(7)};background:linear-gradient(90deg,{HEAT_CSS})"
        html += (
            f"<div style='margin-top:{px(8)}'><span style='{ramp}'></span>"
            f"{escape(legend.heat_title)}</div>"
        )
    if legend.drawn_area:
        patch = (
            f"display:inline-block;width:{px(24)};height:{px(15)};border:2px dashed {DRAWN_LINE};"
            f"margin-right:{px(7)};vertical-align:middle"
        )
        html += (
            f"<div style='margin-top:{px(8)}'><span style='{patch}'></span>"
            f"{escape(legend.drawn_area)}</div>"
        )
    if legend.control:
        square = (
            f"display:inline-block;width:{px(11)};height:{px(11)};border:1px solid #000;"
            f"margin-right:{px(8)};vertical-align:middle"
        )
        rows_ = "".join(
            f"<div><span style='{square};background:{colour}'></span>{escape(label)}</div>"
            for label, colour in legend.control
        )
        html += (
            f"<div style='margin-top:{px(8)}'><b>{escape(legend.control_title)}</b>{rows_}</div>"
        )
    if legend.areas:
        patch = (
            f"display:inline-block;width:{px(24)};height:{px(15)};border:2px dashed {AREA_LINE};"
            f"background:{AREA_FILL_CSS};margin-right:{px(7)};vertical-align:middle"
        )
        text = escape(legend.areas)
        html += f"<div style='margin-top:{px(8)}'><span style='{patch}'></span>{text}</div>"
    for caveat in legend.caveats:
        html += f"<div style='margin-top:{px(6)};font-style:italic'>{escape(caveat)}</div>"
    return html + "</div>"
