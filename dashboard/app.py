"""The Streamlit page. The only module that knows Streamlit; everything else is plain Python.

Run from the repository root: ``python -m streamlit run dashboard/app.py`` (``make run``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from datetime import timedelta
from html import escape
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import assets, datasets, maps  # noqa: E402
from dashboard.config import (  # noqa: E402
    EVENTS_CSV,
    FIVE_OBLASTS,
    OBLAST_NAMES_EN,
    category_label,
)
from dashboard.events import (  # noqa: E402
    FORMAT_CHOICES,
    LAST,
    LoadResult,
    UnreadableFile,
    load_events,
)
from dashboard.exports import safe_csv_bytes  # noqa: E402
from dashboard.palette import category_colour, legend_bins  # noqa: E402
from dashboard.regions import Regions, load_regions  # noqa: E402
from dashboard.textsafe import md_escape  # noqa: E402
from dashboard.timeline import categories_in, weekly_counts  # noqa: E402
from dashboard.view import (  # noqa: E402
    OUTSIDE,
    Filters,
    apply_filters,
    breaks_for,
    build_view,
    has_fatalities,
    oblast_summary,
)

log = logging.getLogger("oblast_events_map")
WINDOW_OPTIONS = {"Cumulative": None, "Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}
CUSTOM = "Custom"
TILE_LABELS = {"none": "None (offline)", "osm": "OpenStreetMap", "carto-light": "CARTO light"}
MAP_HEIGHT = 620
OUTSIDE_LABEL = "Elsewhere / national / international"
METRIC_LABELS = {"events": "Events", "fatalities": "Fatalities"}
FORMAT_LABELS = {
    "auto": "Detect from columns",
    "native": "Native (data/README.md)",
    "acled": "ACLED export",
    "ucdp": "UCDP GED",
}
REPORT_ROWS = 20  # rejected records listed in the page
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
    "dataset": "Dataset",
}
EXTRA_TABLE_COLUMNS = {
    "event_type": "Event type",
    "sub_event_type": "Sub-event type",
    "actor1": "Actor 1 / side A",
    "actor2": "Actor 2 / side B",
    "fatalities": "Fatalities",
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
        return load_events(path, cached_regions(), dataset=datasets.bundled_label(Path(path).name))
    except UnreadableFile as exc:
        return str(exc)


def header(events: pd.DataFrame, labels: list[str]) -> None:
    as_of = events[LAST].max().strftime("%d %B %Y") if len(events) else "—"
    st.title("Oblast Events Map: Kherson, Zaporizhzhia, Donetsk, Luhansk, Kharkiv")
    st.caption(
        f"Events in the five oblasts hit hardest by the 2022 occupation and the so-called "
        f"'referendums' · {events['group_id'].nunique():,} events, {len(events):,} rows from "
        f"{' and '.join(md_escape(x) for x in labels)} · data up to {as_of}. Every event links "
        "to its source; claims by one side are marked as claims."
    )


def upload_panel(regions: Regions) -> datasets.Upload | None:
    """Sidebar: load an events file into this session only. Returns the upload, if any."""
    st.header("Your data")
    limit = datasets.max_upload_mb(int(st.get_option("server.maxUploadSize")))
    fmt = st.selectbox("Format", FORMAT_CHOICES, format_func=FORMAT_LABELS.get, key="upload_format")
    file = st.file_uploader(
        f"Load events (CSV, TSV, XLSX or Parquet; up to {limit} MB)",
        type=list(datasets.UPLOAD_TYPES),
        key="upload",
        max_upload_size=limit,
        help="Native, ACLED or UCDP GED files. The file stays in this browser session: it is "
        "never written to disk or shown to anyone else.",
    )
    if file is None:
        st.session_state.pop("_upload", None)
        return None
    token = (file.file_id, file.name, file.size, fmt)
    cached = st.session_state.get("_upload")
    if cached is None or cached[0] != token:
        with st.spinner(f"Reading {file.name}…"):
            upload = datasets.load_upload(file.name, file.getvalue(), fmt, regions, limit)
        st.session_state["_upload"] = (token, upload)
    return st.session_state["_upload"][1]


def dataset_choice(upload: datasets.Upload | None) -> str:
    if upload is None or upload.result is None or upload.result.accepted == 0:
        return datasets.BUNDLED
    return st.radio(
        "Show events from",
        datasets.CHOICES,
        index=1,
        key="dataset",
        horizontal=True,
        help=f"Bundled: the curated 2022 events. Uploaded: {md_escape(upload.name)}.",
    )


def keep_valid(key: str, options: list) -> None:
    """Drop stale selections (e.g. categories of a file no longer shown) before a widget."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def sidebar_filters(events: pd.DataFrame) -> tuple[Filters, str, bool, str]:
    st.header("Filters")
    options = categories_in(events)
    keep_valid("cat", options)
    categories = st.multiselect(
        "Category",
        options,
        format_func=category_label,
        key="cat",
        placeholder="All categories",
    )
    oblasts = st.multiselect(
        "Oblast",
        [*FIVE_OBLASTS, OUTSIDE],
        format_func=lambda c: OBLAST_NAMES_EN.get(c, OUTSIDE_LABEL),
        key="oblast",
        placeholder="All oblasts",
    )
    query = st.text_input("Search title and description", key="q", max_chars=200)
    st.header("Map")
    metrics = ["events", "fatalities"] if has_fatalities(events) else ["events"]
    if st.session_state.get("metric") not in metrics:
        st.session_state["metric"] = "events"
    metric = st.radio(
        "Colour oblasts by",
        metrics,
        format_func=METRIC_LABELS.get,
        key="metric",
        horizontal=True,
        help="Fatalities: ACLED 'fatalities' or UCDP 'best' estimate, summed over the window.",
    )
    show_outside = st.toggle(
        "Show events outside the five oblasts",
        key="outside",
        help="Drawn paler and smaller, over the rest of Ukraine. They are always counted in "
        "the summary and listed in the table.",
    )
    return Filters(tuple(categories), tuple(oblasts), query), metric, show_outside, basemap()


def basemap() -> str:
    return st.selectbox(
        "Tiles (need internet)",
        list(TILE_LABELS),
        index=list(TILE_LABELS).index(default_tiles()),
        format_func=TILE_LABELS.get,
        key="tiles",
        help="The map is complete without tiles: oblasts and borders are drawn locally.",
    )


def time_controls(events: pd.DataFrame, data_key: tuple):
    first = events["start_date"].min().date()
    last = events[LAST].max().date()
    if first == last:  # a slider needs a range: start a day earlier
        first -= timedelta(days=1)
    if st.session_state.get("_data_key") != data_key or "date" not in st.session_state:
        # New data (or a new visitor): open on its latest date.
        st.session_state["_data_key"] = data_key
        st.session_state["date"] = last
    else:  # keep the date inside the range of the data shown
        st.session_state["date"] = min(max(st.session_state["date"], first), last)
    c1, c2, c3 = st.columns([6, 3, 1.4])
    with c1:
        date = st.slider(
            "Date",
            min_value=first,
            max_value=last,
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


def legend(view, categories: list[str], grid_step: float | None) -> None:
    window = view.window_days
    span = "up to the date" if window is None else f"in the last {window} days"
    what = f"{METRIC_LABELS[view.metric].lower()} {span}"
    rows = "".join(
        f"<div><span style='display:inline-block;width:22px;height:14px;background:{colour};"
        f"border:1px solid #888;margin-right:6px;vertical-align:middle'></span>{label}</div>"
        for label, colour in legend_bins(view.breaks)
    )
    if grid_step is None:
        markers = "one circle per place, sized by its events; colour of the newest event's"
    else:
        km = round(grid_step * 111)
        markers = (
            f"too many places to draw one by one, so events are grouped in areas of about "
            f"{grid_step}° (~{km} km), sized by their events; colour of the most common"
        )
    cats = "".join(
        f"<div><span style='display:inline-block;width:12px;height:12px;border-radius:50%;"
        f"background:{category_colour(name)};margin-right:6px;vertical-align:middle'></span>"
        f"{escape(category_label(name))}</div>"
        for name in categories
    )
    st.markdown(
        f"<div style='font-size:0.9rem'><b>Oblast fill</b>: {escape(what)}{rows}"
        "<div style='margin-top:6px'><span style='display:inline-block;width:22px;height:14px;"
        "border:3px solid #000;margin-right:6px;vertical-align:middle'></span>"
        "event under way on the date</div>"
        f"<div style='margin-top:8px'><b>Markers</b>: {markers} category{cats}</div></div>",
        unsafe_allow_html=True,
    )


def timeline_chart(events: pd.DataFrame, date) -> None:
    weekly = weekly_counts(events)
    if weekly.empty:
        st.info("No events match the filters.")
        return
    long = weekly.reset_index().melt("week", var_name="category", value_name="events")
    long = long[long["events"] > 0]
    keys = list(weekly.columns)
    long["category"] = long["category"].map(category_label)
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week (Monday)"),
            y=alt.Y("sum(events):Q", title="Events per week"),
            color=alt.Color(
                "category:N",
                scale=alt.Scale(
                    domain=[category_label(k) for k in keys],
                    range=[category_colour(k) for k in keys],
                ),
            ),
            tooltip=["week:T", "category:N", "events:Q"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"date": [pd.Timestamp(date)]}))
        .mark_rule(color="black", strokeWidth=2)
        .encode(x="date:T")
    )
    st.altair_chart((bars + rule).properties(height=220), width="stretch")


def events_table(view, date) -> None:
    shown = view.shown
    columns = dict(TABLE_COLUMNS)
    for col, label in EXTRA_TABLE_COLUMNS.items():
        if col in shown and shown[col].replace("", None).notna().any():
            columns[col] = label
    table = shown[list(columns)].rename(columns=columns)
    table["Category"] = table["Category"].map(category_label)
    table["Under way"] = view.active.reindex(shown.index).to_numpy()
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
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


def human_size(n: int) -> str:
    """Bytes as KB or MB (binary units, as Streamlit's upload limit)."""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} KB"


def validation_report(upload: datasets.Upload) -> None:
    """What happened to every record of the uploaded file."""
    result = upload.result
    name = md_escape(upload.name)
    if result is None:
        st.error(
            f"{name} cannot be used: {md_escape(upload.error)}. "
            + (f"None of its {upload.rows} records were loaded. " if upload.rows else "")
            + "The map still shows the bundled data."
        )
        return
    rejected = len(result.rejected)
    title = (
        f"Validation report: {name} · {result.accepted:,} of {result.rows:,} records "
        f"accepted, {rejected:,} rejected"
    )
    if result.accepted == 0:
        st.warning(f"{name} holds no usable events; the map shows the bundled data.")
    elif rejected:
        st.warning(
            f"{rejected:,} of {result.rows:,} records of {name} were rejected and are "
            "not on the map: the validation report below lists each one with its reason."
        )
    with st.expander(title, expanded=False):
        st.caption(f"Read as {result.variant}; {result.read_as}; {human_size(upload.size)}.")
        outcomes = result.outcomes()
        for col, (label, n) in zip(st.columns(len(outcomes)), outcomes.items(), strict=True):
            col.metric(label[0].upper() + label[1:], f"{n:,}")
        if not rejected:
            return
        reasons = result.reasons().rename_axis("Reason").reset_index(name="Records")
        st.dataframe(reasons, hide_index=True, width="stretch", key="report_reasons")
        st.markdown(f"First {min(REPORT_ROWS, rejected)} rejected records, with the file's cells:")
        st.dataframe(
            result.rejected.head(REPORT_ROWS),
            hide_index=True,
            width="stretch",
            key="report_rejected",
        )
        st.download_button(
            f"Download all {rejected:,} rejected records (CSV)",
            data=safe_csv_bytes(result.rejected),
            file_name=f"rejected-{re.sub(r'[^A-Za-z0-9._-]+', '_', Path(upload.name).stem)}.csv",
            mime="text/csv",
            key="download_rejected",
        )


def page() -> None:
    st.set_page_config(page_title="Oblast Events Map", page_icon="🗺️", layout="wide")
    regions = cached_regions()
    path = events_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    bundled = cached_events(str(path), mtime)
    with st.sidebar:
        upload = upload_panel(regions)
        choice = dataset_choice(upload)
    if isinstance(bundled, str):
        st.error(
            f"The events file {md_escape(path.name)} cannot be loaded: {md_escape(bundled)}. "
            "Nothing was changed."
        )
        bundled = None
    uploaded = upload.result if upload is not None else None
    events = datasets.combine(bundled, uploaded, choice)
    labels = [str(x) for x in events["dataset"].unique()] if len(events) else []
    if len(events) == 0:
        st.title("Oblast Events Map")
        if upload is not None:
            validation_report(upload)
        st.warning("No valid events to show. Load an events file in the sidebar.")
        return
    header(events, labels)
    if upload is not None:
        validation_report(upload)
    if bundled is not None and len(bundled.rejected) and choice != datasets.UPLOADED:
        st.warning(f"{len(bundled.rejected)} record(s) of {md_escape(path.name)} were rejected.")
    with st.sidebar:
        filters, metric, show_outside, tiles = sidebar_filters(events)
    # Identifies the data shown: which datasets, which upload (a re-upload under the same name
    # is another file), which version of the bundled file.
    upload_token = st.session_state["_upload"][0] if upload is not None else None
    data_key = (choice, *labels, upload_token, mtime)
    date, window = time_controls(events, data_key)
    # Class breaks depend on the data, filters, window and metric, never on the date: keep them.
    breaks_key = (data_key, filters, window, metric)
    if st.session_state.get("_breaks", (None,))[0] != breaks_key:
        st.session_state["_breaks"] = (
            breaks_key,
            breaks_for(apply_filters(events, filters), window, metric),
        )
    breaks = st.session_state["_breaks"][1]
    view = build_view(events, date, window, filters, breaks=breaks, metric=metric)
    st.session_state["_view"] = view  # read by the app tests

    map_col, side_col = st.columns([3, 1])
    with map_col:
        layers = maps.date_layers(
            regions,
            view.shown,
            view.counts,
            view.breaks,
            view.active,
            f"{date:%d %b %Y}",
            view.metric_column,
            show_outside,
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
        summary = oblast_summary(view, OBLAST_NAMES_EN, OUTSIDE_LABEL)
        st.dataframe(summary, hide_index=True, width="stretch", key="oblast_summary")
        legend(view, categories_in(view.shown) if len(view.shown) else [], layers.grid_step)

    st.subheader("Events per week")
    timeline_chart(apply_filters(events, filters), date)
    st.subheader(f"Events shown ({len(view.shown)})")
    events_table(view, date)
    st.caption(
        "Boundaries: Natural Earth 1:10m (public domain); Crimea and Sevastopol shown as part of "
        "Ukraine (UN GA resolution 68/262). Events: each with its source; ACLED data © ACLED "
        "(acleddata.com), UCDP GED CC BY 4.0 (ucdp.uu.se), when loaded."
    )


try:
    page()
except Exception:  # the page must never show a traceback
    log.exception("page failed")
    st.error("Something went wrong while drawing the page. The data on disk is unchanged.")
