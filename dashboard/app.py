"""The Streamlit page. The only module that knows Streamlit; everything else is plain Python.

Run from the repository root: ``python -m streamlit run dashboard/app.py`` (``make run``).
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import timedelta
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import assets, maps  # noqa: E402
from dashboard.config import (  # noqa: E402
    CATEGORIES,
    EVENTS_CSV,
    FIVE_OBLASTS,
    OBLAST_NAMES_EN,
)
from dashboard.events import LAST, LoadResult, UnreadableFile, load_events  # noqa: E402
from dashboard.exports import safe_csv_bytes  # noqa: E402
from dashboard.palette import CATEGORY_COLOURS, legend_bins  # noqa: E402
from dashboard.regions import Regions, load_regions  # noqa: E402
from dashboard.timeline import weekly_counts  # noqa: E402
from dashboard.view import OUTSIDE, Filters, apply_filters, build_view, oblast_summary  # noqa: E402

log = logging.getLogger("oblast_events_map")
WINDOW_OPTIONS = {"Cumulative": None, "Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}
CUSTOM = "Custom"
TILE_LABELS = {"none": "None (offline)", "osm": "OpenStreetMap", "carto-light": "CARTO light"}
MAP_HEIGHT = 620
TABLE_COLUMNS = {
    "start_date": "Start",
    "end_date": "End",
    "oblast_code": "Oblast",
    "settlement": "Settlement",
    "category": "Category",
    "title": "Title",
    "verification": "Status",
    "claimed_by": "Claimed by",
    "source_name": "Source",
    "source_url": "Source URL",
}


def events_path() -> Path:
    """The bundled events table, or OEM_EVENTS_CSV for a deployment with its own file."""
    return Path(os.environ.get("OEM_EVENTS_CSV") or EVENTS_CSV)


def default_tiles() -> str:
    """Basemap shown first: 'none' unless OEM_TILES says otherwise (air-gapped by default)."""
    value = os.environ.get("OEM_TILES", "none").strip().lower()
    return value if value in maps.TILES else "none"


@st.cache_resource(show_spinner=False)
def cached_regions() -> Regions:
    assets.ensure_static()
    return load_regions()


@st.cache_resource(show_spinner=False)
def cached_events(path: str, mtime: float) -> LoadResult | str:
    """Load once per file version; a hopeless file gives its message instead of a result."""
    try:
        return load_events(path, cached_regions())
    except UnreadableFile as exc:
        return str(exc)


def header(result: LoadResult) -> None:
    events = result.events
    as_of = events[LAST].max().strftime("%d %B %Y") if len(events) else "—"
    st.title("Oblast Events Map: Kherson, Zaporizhzhia, Donetsk, Luhansk, Kharkiv")
    st.caption(
        f"Sourced events of 2022 in the five oblasts hit hardest by the occupation and the "
        f"so-called 'referendums' · {events['group_id'].nunique()} events, "
        f"{len(events)} rows · data as of {as_of}. Every event links to its source; "
        "claims by one side are marked as claims."
    )


def sidebar(regions: Regions) -> tuple[Filters, str]:
    with st.sidebar:
        st.header("Filters")
        categories = st.multiselect(
            "Category",
            list(CATEGORIES),
            format_func=lambda c: c.replace("_", " "),
            key="cat",
            placeholder="All categories",
        )
        oblasts = st.multiselect(
            "Oblast",
            [*FIVE_OBLASTS, OUTSIDE],
            format_func=lambda c: OBLAST_NAMES_EN.get(c, "Elsewhere / national / international"),
            key="oblast",
            placeholder="All oblasts",
        )
        query = st.text_input("Search title and description", key="q", max_chars=200)
        st.header("Basemap")
        tiles = st.selectbox(
            "Tiles (need internet)",
            list(TILE_LABELS),
            index=list(TILE_LABELS).index(default_tiles()),
            format_func=TILE_LABELS.get,
            key="tiles",
            help="The map is complete without tiles: oblasts and borders are drawn locally.",
        )
    return Filters(tuple(categories), tuple(oblasts), query), tiles


def time_controls(result: LoadResult):
    events = result.events
    first = events["start_date"].min().date()
    last = events[LAST].max().date()
    c1, c2, c3 = st.columns([6, 3, 1.4])
    with c1:
        date = st.slider(
            "Date",
            min_value=first,
            max_value=last,
            value=last,
            step=timedelta(days=1),
            format="D MMM YYYY",
            key="date",
        )
    with c2:
        choice = st.radio(
            "Window",
            [*WINDOW_OPTIONS, CUSTOM],
            horizontal=True,
            key="window",
            help="Cumulative: everything up to the date. Last N days: the N days ending on it.",
        )
    with c3:
        custom = st.number_input(
            "Days",
            min_value=1,
            max_value=366,
            value=14,
            step=1,
            key="window_days",
            disabled=choice != CUSTOM,
        )
    window = int(custom) if choice == CUSTOM else WINDOW_OPTIONS[choice]
    return date, window


def legend(breaks: list[int], window: int | None) -> None:
    what = "all events up to the date" if window is None else f"events in the last {window} days"
    rows = "".join(
        f"<div><span style='display:inline-block;width:22px;height:14px;background:{colour};"
        f"border:1px solid #888;margin-right:6px;vertical-align:middle'></span>{label}</div>"
        for label, colour in legend_bins(breaks)
    )
    cats = "".join(
        f"<div><span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
        f"background:{colour};margin-right:6px;vertical-align:middle'></span>"
        f"{name.replace('_', ' ')}</div>"
        for name, colour in CATEGORY_COLOURS.items()
    )
    st.markdown(
        f"<div style='font-size:0.9rem'><b>Oblast fill</b>: {what}{rows}"
        "<div style='margin-top:6px'><span style='display:inline-block;width:22px;height:14px;"
        "border:3px solid #000;margin-right:6px;vertical-align:middle'></span>"
        "event under way on the date</div>"
        f"<div style='margin-top:8px'><b>Markers</b>: newest event's category{cats}</div></div>",
        unsafe_allow_html=True,
    )


def timeline_chart(events: pd.DataFrame, date) -> None:
    weekly = weekly_counts(events)
    if weekly.empty:
        st.info("No events match the filters.")
        return
    long = weekly.reset_index().melt("week", var_name="category", value_name="events")
    long = long[long["events"] > 0]
    long["category"] = long["category"].str.replace("_", " ")
    domain = [c.replace("_", " ") for c in CATEGORY_COLOURS]
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week (Monday)"),
            y=alt.Y("sum(events):Q", title="Events per week"),
            color=alt.Color(
                "category:N", scale=alt.Scale(domain=domain, range=list(CATEGORY_COLOURS.values()))
            ),
            tooltip=["week:T", "category:N", "events:Q"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(date)]}))
        .mark_rule(color="black", strokeWidth=2)
        .encode(x="date:T")
    )
    st.altair_chart((bars + rule).properties(height=220), use_container_width=True)


def events_table(view, date) -> None:
    table = view.shown[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    table["Under way"] = view.active.reindex(view.shown.index).to_numpy()
    st.dataframe(
        table,
        hide_index=True,
        use_container_width=True,
        column_config={
            "Start": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "End": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Source URL": st.column_config.LinkColumn(display_text="open source"),
        },
        key="events_table",
    )
    st.download_button(
        "Download these events (CSV)",
        data=safe_csv_bytes(table),
        file_name=f"oblast-events-{pd.Timestamp(date):%Y-%m-%d}.csv",
        mime="text/csv",
        key="download_csv",
    )


def page() -> None:
    st.set_page_config(page_title="Oblast Events Map", page_icon="🗺️", layout="wide")
    regions = cached_regions()
    path = events_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    result = cached_events(str(path), mtime)
    if isinstance(result, str):
        st.title("Oblast Events Map")
        st.error(f"The events file {path.name} cannot be loaded: {result}. Nothing was changed.")
        return
    if result.accepted == 0:
        st.title("Oblast Events Map")
        st.warning(f"The events file {path.name} holds no valid events.")
        return
    header(result)
    if len(result.rejected):
        st.warning(f"{len(result.rejected)} record(s) of {path.name} were rejected.")
    filters, tiles = sidebar(regions)
    date, window = time_controls(result)
    view = build_view(result.events, date, window, filters)
    st.session_state["_view"] = view  # read by the app tests

    map_col, side_col = st.columns([3, 1])
    with map_col:
        layers = maps.date_layers(
            regions, view.shown, view.counts, view.breaks, view.active, f"{date:%d %b %Y}"
        )
        st_folium(
            maps.base_map(regions, tiles),
            key=f"map-{tiles}",
            feature_group_to_add=layers,
            returned_objects=[],
            height=MAP_HEIGHT,
            use_container_width=True,
        )
    with side_col:
        st.subheader(f"{date:%d %B %Y}")
        summary = oblast_summary(view, OBLAST_NAMES_EN)
        st.dataframe(summary, hide_index=True, use_container_width=True, key="oblast_summary")
        legend(view.breaks, window)

    st.subheader("Events per week")
    timeline_chart(apply_filters(result.events, filters), date)
    st.subheader(f"Events shown ({len(view.shown)})")
    events_table(view, date)
    st.caption(
        "Boundaries: Natural Earth 1:10m (public domain); Crimea and Sevastopol shown as part of "
        "Ukraine (UN GA resolution 68/262). Events: data/events.csv, each with its source."
    )


try:
    page()
except Exception:  # the page must never show a traceback
    log.exception("page failed")
    st.error("Something went wrong while drawing the page. The data on disk is unchanged.")
