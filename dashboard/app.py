"""The Streamlit page. The only module that knows Streamlit; everything else is plain Python.

Run from the repository root: ``python -m streamlit run dashboard/app.py`` (``make run``).

State flows one way: the link (``st.query_params``) is read once per session into the widgets'
session state; from then on the widgets are the truth, and the link is rewritten from them on
every run, so the address bar always reopens the view on screen.
"""

from __future__ import annotations

import functools
import logging
import re
import sys
import time
from datetime import date as Date
from datetime import timedelta
from html import escape
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
import streamlit.components.v1 as components  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import maps, settings
from dashboard.config import (  # noqa: E402
    EVENTS_CSV,
    FIVE_OBLASTS,
    RECORD,
    SOURCE_URL,
)
from dashboard.geo.regions import Regions, load_regions  # noqa: E402
from dashboard.i18n import (  # noqa: E402
    CHART_DATE_FORMAT,
    LANG_NAMES,
    LANGS,
    SLIDER_FORMAT,
    category_name,
    check_lang,
    dataset_label,
    long_date,
    oblast_title,
    outcome_label,
    status_label,
    tr,
)
from dashboard.ingest import datasets, dates, formats
from dashboard.ingest.events import (  # noqa: E402
    FORMAT_CHOICES,
    LoadResult,
    ReadOptions,
    UnreadableFile,
    load_events,
    settle_heap,
)
from dashboard.ingest.tables import ENCODING_CHOICES, encoding_label  # noqa: E402
from dashboard.ingest.textsafe import md_escape  # noqa: E402
from dashboard.query.index import EventIndex  # noqa: E402
from dashboard.query.view import (  # noqa: E402
    OUTSIDE,
    SHARED_INDEXES,
    Filters,
    breaks_for_index,
    categories_in,  # noqa: E402
    data_facts,
    has_fatalities,
    oblast_summary,
)
from dashboard.render import assets, slides
from dashboard.render.csv import safe_csv_bytes  # noqa: E402
from dashboard.scene import build as scene
from dashboard.scene import legend
from dashboard.scene.palette import category_colour  # noqa: E402
from dashboard.state import permalink
from dashboard.timebar import steps as ahead  # noqa: E402

log = logging.getLogger("oblast_events_map")
WINDOWS = {"cumulative": None, "7": 7, "30": 30, "90": 90}
CUSTOM = "custom"
MAP_HEIGHT = 620
SHOWN_ONCE = "_shown_once"  # session state: the page has had its first (light) run
MAP_KEY = "map"
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # seconds per step
STEPS = (1, 7)
SLIDE_SIZES = ((1920, 1080), (1280, 720))
REPORT_ROWS = 20  # rejected records listed in the page
TABLE_ROWS = (100, 1_000, 10_000)  # rows the events table shows (the CSV has all)
TABLE_COLUMNS = {
    "start_date": "t_start",
    "end_date": "t_end",
    "oblast_code": "t_oblast",
    "settlement": "t_settlement",
    "category": "t_category",
    "title": "t_title",
    "verification": "t_status",
    "claimed_by": "t_claimed_by",
    "source_name": "t_source",
    "source_url": "t_source_url",
    "dataset": "t_dataset",
}
EXTRA_TABLE_COLUMNS = {
    "event_type": "t_event_type",
    "sub_event_type": "t_sub_event_type",
    "actor1": "t_actor1",
    "actor2": "t_actor2",
    "fatalities": "t_fatalities",
}
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-playback_settings { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.6rem 1rem 0.2rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.35rem; }
iframe[title="streamlit_folium.st_folium"] {
  height: calc(100vh - 13.5vh - 4.6rem) !important; }
.oem-present-banner { display: flex; align-items: center; justify-content: space-between;
  gap: 1.5rem; background: #111; color: #fff; border-radius: 4px;
  padding: 0.6vh 1.4vw; min-height: 11.5vh; box-sizing: border-box; }
.oem-present-banner .t { font-weight: 700; font-size: clamp(18px, 3.1vh, 40px); line-height: 1.15; }
.oem-present-banner .d { text-align: right; white-space: nowrap; }
.oem-present-banner .d b { display: block; font-size: clamp(30px, 6.2vh, 76px); line-height: 1.05; }
.oem-present-banner .d span { font-size: clamp(13px, 2.1vh, 26px); }
.st-key-present_bar button { min-height: 2.2rem; }
.st-key-oem_escape { position: absolute; width: 0; height: 0; overflow: hidden; }
</style>"""
PAGE_CSS = """<style>
.oem-date-banner { font-size: 1.6rem; font-weight: 700; margin: 0; }
.oem-date-banner span { display: block; font-size: 0.95rem; font-weight: 400; color: #333; }
</style>"""


def events_path() -> Path:
    """The bundled events table, or OEM_EVENTS_CSV for a deployment with its own file."""
    return Path(settings.get("OEM_EVENTS_CSV") or EVENTS_CSV)


def default_tiles() -> str:
    """Basemap shown first: 'none' unless OEM_TILES says otherwise (air-gapped by default)."""
    value = settings.get("OEM_TILES").lower()
    return value if value in maps.TILES else "none"


@st.cache_resource(show_spinner=False)
def cached_regions() -> Regions:
    assets.ensure_static()
    return load_regions()


@st.cache_resource(show_spinner=False)
def cached_events(path: str, mtime: float) -> LoadResult | str:
    """Load once per file version; a hopeless file gives its message instead of a result."""
    try:
        result = load_events(
            path, cached_regions(), dataset=datasets.bundled_label(Path(path).name)
        )
    except UnreadableFile as exc:
        return str(exc)
    settle_heap()
    return result


def log_timing(what: str, started: float) -> None:
    """With OEM_TIMING_LOG set, append how long the server spent on this run (ms) to that
    file: ``make bench`` reads the real server's step times from it."""
    log_ms(what, (time.perf_counter() - started) * 1000)


def log_ms(what: str, ms: float) -> None:
    path = settings.get("OEM_TIMING_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{what}\t{ms:.2f}\n")


ahead.PREPARER.on_written = functools.partial(log_ms, "prepare")  # dates written ahead


def cached_index(events: pd.DataFrame, data_key: tuple, filters: Filters) -> EventIndex:
    """The per-date index of the data and filters: built once, shared by every session (it
    references the events frame, never copies it)."""
    return SHARED_INDEXES.get(events, data_key, filters)


# --- the link ---------------------------------------------------------------------------------


def read_link() -> None:
    """Once per session: the link's values become the widgets' starting values."""
    ss = st.session_state
    if "_link" in ss:
        return
    link, notices = permalink.parse(st.query_params.to_dict())
    ss["_link"] = link
    ss["_notices"] = notices
    ss["lang"] = link.lang
    ss["present"] = link.present
    ss["tiles"] = link.tiles or default_tiles()
    ss["metric"] = link.metric
    ss["outside"] = link.outside
    ss["q"] = link.q
    ss["oblast"] = list(link.oblast)
    ss["pb_step"] = link.step
    ss["pb_speed"] = min(SPEEDS, key=lambda s: abs(s - link.speed))
    ss["pb_loop"] = link.loop
    ss["_playing"] = link.play
    if link.window is None:
        ss["window"] = "cumulative"
    elif str(link.window) in WINDOWS:
        ss["window"] = str(link.window)
    else:
        ss["window"] = CUSTOM
        ss["window_days"] = link.window
    ss["_map_view"] = None
    if link.lat is not None or link.zoom is not None:
        ss["_map_view"] = (link.lat, link.lon, link.zoom)
    ss["_custom_view"] = link.lat is not None
    ss["_link_date"] = link.date
    ss["_link_cat"] = link.cat
    # What the link asked for, held until the user changes it (hold_link): a widget value
    # Streamlit resets between a new session's first runs must not change the view.
    ss["_seed"] = {k: ss[k] for k in (*PAGE_KEYS, *FRAGMENT_KEYS) if k in ss}
    ss["_touched"] = set()


PAGE_KEYS = ("lang", "present", "tiles", "metric", "outside", "q", "oblast", "cat")
FRAGMENT_KEYS = ("window", "window_days", "pb_step", "pb_speed", "pb_loop")
LINK_SETTLE_S = 3.0  # after a session's first full run: widget "changes" then are the glitch


def link_settle_s() -> float:
    """OEM_LINK_SETTLE_S, else LINK_SETTLE_S (seconds; a bad value is ignored)."""
    return max(0.0, settings.get_float("OEM_LINK_SETTLE_S", LINK_SETTLE_S))


def hold_link(keys: tuple[str, ...]) -> None:
    """Before the widgets: each value the link set stays as the link set it until the user
    changes that widget (``touch``). Four people opening one link at once each see it."""
    ss = st.session_state
    seed, touched = ss.get("_seed", {}), ss.get("_touched", set())
    for key in keys:
        if key in seed and key not in touched and ss.get(key) != seed[key]:
            ss[key] = seed[key]


def touch(key: str):
    """on_change for a widget the link may set: from now on the user's value rules.

    Streamlit's client sometimes reports a widget's default as a change while a new session
    settles (its first reruns) and for controls hidden in presentation: measured with four
    sessions opening one link at once, ``window`` went back to cumulative, ``speed`` to 0.5 and
    the hidden ``present`` toggle to off, 7-12 s after the link was opened. Nobody can use a
    hidden control, and a change before the first full run is LINK_SETTLE_S old is taken for
    that glitch: the link's value is kept."""

    def changed() -> None:
        ss = st.session_state
        if key == "present":
            # Only the visible sidebar can switch presentation on; "off" from the hidden
            # toggle is the glitch (the way out is leave_presentation: button or Esc).
            if ss.get("present"):
                ss.setdefault("_touched", set()).add(key)
            return
        touched, seed = ss.setdefault("_touched", set()), ss.get("_seed", {})
        # Presentation as held, not as this rerun's callbacks left it: the hidden toggle's
        # glitch may have run first.
        presenting = ss.get("present") if "present" in touched else seed.get("present")
        settled = ss.get("_settled_at")
        settling = settled is None or time.monotonic() - settled < link_settle_s()
        if not settling and not presenting:  # in presentation the controls are hidden
            touched.add(key)

    return changed


def apply_link_data(events: pd.DataFrame) -> None:
    """The link's categories, checked against the data shown (once)."""
    ss = st.session_state
    wanted = ss.pop("_link_cat", None)
    if wanted is None:
        return
    present = set(categories_in(events))
    ss["cat"] = [c for c in wanted if c in present]
    ss.setdefault("_seed", {})["cat"] = list(ss["cat"])
    ss["_notices"] += [
        f"cat={c!r}: no events of this category in the data" for c in wanted if c not in present
    ]
    if ss.get("metric") == "fatalities" and not has_fatalities(events):
        ss["_notices"].append("metric='fatalities': these events carry no fatality figures")
        ss["metric"] = "events"


def current_link(date, window) -> permalink.LinkState:
    ss = st.session_state
    view = ss.get("_map_view") or (None, None, None)
    lat, lon, zoom = view if ss.get("_custom_view") else (None, None, None)
    return permalink.LinkState(
        date=pd.Timestamp(date).date(),
        window=window,
        cat=tuple(ss.get("cat") or ()),
        oblast=tuple(ss.get("oblast") or ()),
        q=ss.get("q") or "",
        lang=ss.get("lang", "en"),
        present=bool(ss.get("present")),
        lat=lat,
        lon=lon,
        zoom=zoom,
        tiles=ss.get("tiles") if ss.get("tiles") != default_tiles() else None,
        metric=ss.get("metric", "events"),
        outside=bool(ss.get("outside")),
        step=int(ss.get("pb_step", 1)),
        speed=float(ss.get("pb_speed", 1.0)),
        loop=bool(ss.get("pb_loop")),
        play=False,  # a link never starts playing unless its author adds play=1
    )


def write_link(link: permalink.LinkState) -> str:
    """Put the view in the address bar (only when it changed); return the full link."""
    params = permalink.to_params(link)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{permalink.to_query(link)}"


def notices(T) -> None:
    items = st.session_state.get("_notices") or []
    if not items:
        return
    with st.container(key="link_notices"):
        st.warning(T("link_notice", items="; ".join(md_escape(x) for x in items)))
        st.button(
            T("dismiss"),
            key="dismiss_notices",
            on_click=lambda: st.session_state.update(_notices=[]),
        )


# --- sidebar ---------------------------------------------------------------------------------


def language_and_mode(T) -> None:
    st.selectbox(
        T("language"), LANGS, format_func=LANG_NAMES.get, key="lang", on_change=touch("lang")
    )
    st.toggle(T("present"), key="present", help=T("present_help"), on_change=touch("present"))


ENCODING_OPTIONS = ("auto", *ENCODING_CHOICES)
DATE_ORDER_OPTIONS = ("auto", *dates.ORDERS)


def upload_panel(regions: Regions, T) -> datasets.Upload | None:
    """Sidebar: load an events file into this session only. Returns the upload, if any.

    The file is read into strings once per (file, encoding); the format, date order and a
    mapped table's fields are applied to that, so changing them costs no re-read."""
    ss = st.session_state
    st.header(T("your_data"))
    limit = datasets.max_upload_mb(int(st.get_option("server.maxUploadSize")))
    fmt = st.selectbox(
        T("format"), FORMAT_CHOICES, format_func=lambda f: T(f"fmt_{f}"), key="upload_format"
    )
    file = st.file_uploader(
        T("upload", limit=limit),
        type=list(datasets.UPLOAD_TYPES),
        key="upload",
        max_upload_size=limit,
        help=T("upload_help"),
    )
    with st.expander(T("read_options")):
        encoding = st.selectbox(
            T("encoding"),
            ENCODING_OPTIONS,
            format_func=lambda e: T("enc_auto") if e == "auto" else encoding_label(e),
            key="upload_encoding",
        )
        order = st.selectbox(
            T("date_order"),
            DATE_ORDER_OPTIONS,
            format_func=lambda o: T(f"order_{o}"),
            key="upload_date_order",
            help=T("date_order_help"),
        )
    if file is None:
        for key in ("_upload", "_upload_raw", "_mapping_raw"):
            ss.pop(key, None)
        return None
    encoding = None if encoding == "auto" else encoding
    raw_token = (file.file_id, file.name, file.size, encoding)
    if ss.get("_upload_raw", (None,))[0] != raw_token:
        with st.spinner(T("reading", name=md_escape(file.name))):
            raw = datasets.read_upload(file.name, file.getvalue(), encoding, limit)
        ss["_upload_raw"] = (raw_token, raw)
        reset_mapping(raw)
    raw = ss["_upload_raw"][1]
    mapping = None
    if raw.needs_mapping(fmt):
        ss["_mapping_raw"] = raw  # the mapping form above the map shows its columns
        mapping = current_mapping(raw)
    else:
        ss.pop("_mapping_raw", None)
    options = ReadOptions(fmt, None if order == "auto" else order, encoding, mapping)
    token = (raw_token, options)
    cached = ss.get("_upload")
    if cached is None or cached[0] != token:
        if mapping is not None and not mapping.complete:
            # Nothing to load until a date and a place are mapped: say why, as for a file
            # that cannot be used, and let the form do the rest.
            message = formats.no_format_message(raw.columns)
            upload = datasets.Upload(raw.name, raw.size, None, message, len(raw.table.frame))
        else:
            upload = datasets.load_raw_upload(raw, regions, options)
        ss["_upload"] = (token, upload)
        settle_heap()
    return ss["_upload"][1]


def reset_mapping(raw: datasets.RawUpload) -> None:
    """A new file: the mapping form starts from guesses from its column names."""
    guess = formats.guess_mapping(raw.columns)
    for name in formats.MAP_FIELDS:
        st.session_state[f"map_{name}"] = guess.get(name)


def current_mapping(raw: datasets.RawUpload) -> formats.Mapping:
    """The fields as the mapping form's boxes say (their values persist between runs)."""
    ss = st.session_state
    pairs = {}
    for name in formats.MAP_FIELDS:
        column = ss.get(f"map_{name}") or ""
        if column in raw.columns:
            pairs[name] = column
    return formats.Mapping.of(pairs)


def mapping_form(upload: datasets.Upload | None, T) -> None:
    """Above the map, for a table in no known format: one box per field, pre-filled by
    guesses, a preview of the first rows and the count the mapping gives (each change reruns
    the page, so the count is live). Every box is a native select: keyboard operable."""
    ss = st.session_state
    raw = ss.get("_mapping_raw")
    if raw is None or raw.table is None:
        return
    mapping = current_mapping(raw)
    with st.container(border=True, key="mapping_form"):
        st.subheader(T("map_title", name=md_escape(raw.name)))
        if ss.get("upload_format") != "mapped":
            why = formats.no_format_message(raw.columns)
            near = why.startswith("not in the")  # names the missing columns of a near format
            st.info(md_escape(why[0].upper() + why[1:]) if near else T("map_why"))
        st.caption(T("map_help", args=md_escape(mapping.as_args() or "--map start_date=…")))
        options = ["", *raw.columns]
        cols = st.columns(4)
        for i, name in enumerate(formats.MAP_FIELDS):
            with cols[i % 4]:
                st.selectbox(
                    T(f"field_{name}"),
                    options,
                    format_func=lambda c: c if c else T("map_none"),
                    key=f"map_{name}",
                )
        result = upload.result if upload is not None else None
        if not mapping.complete:
            st.info(T("map_needs"))
        elif result is not None:
            st.markdown(
                T("map_count", accepted=f"{result.accepted:,}", rows=f"{result.rows:,}"),
                help=None,
            )
        st.caption(T("map_preview"))
        preview = raw.table.frame.drop(columns=[RECORD]).head(5)
        st.dataframe(preview, hide_index=True, width="stretch", key="map_preview")


def dataset_choice(upload: datasets.Upload | None, T) -> str:
    if upload is None or upload.result is None or upload.result.accepted == 0:
        return datasets.BUNDLED
    return st.radio(
        T("show_from"),
        datasets.CHOICES,
        index=1,
        key="dataset",
        horizontal=True,
        format_func=lambda c: T(f"ds_{c}"),
        help=T("show_from_help", name=md_escape(upload.name)),
    )


def keep_valid(key: str, options: list) -> None:
    """Drop stale selections (e.g. categories of a file no longer shown) before a widget."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def sidebar_filters(events: pd.DataFrame, lang: str, T) -> tuple[Filters, str, bool, str]:
    st.header(T("filters"))
    options = categories_in(events)
    keep_valid("cat", options)
    categories = st.multiselect(
        T("category"),
        options,
        format_func=lambda c: category_name(c, lang),
        key="cat",
        on_change=touch("cat"),
        placeholder=T("all_categories"),
    )
    oblasts = st.multiselect(
        T("oblast"),
        [*FIVE_OBLASTS, OUTSIDE],
        format_func=lambda c: oblast_title(c, lang) if c != OUTSIDE else T("outside"),
        key="oblast",
        on_change=touch("oblast"),
        placeholder=T("all_oblasts"),
    )
    query = st.text_input(T("search"), key="q", max_chars=permalink.MAX_QUERY, on_change=touch("q"))
    st.header(T("map"))
    metrics = ["events", "fatalities"] if has_fatalities(events) else ["events"]
    if st.session_state.get("metric") not in metrics:
        st.session_state["metric"] = "events"
    metric = st.radio(
        T("colour_by"),
        metrics,
        format_func=lambda m: T(f"metric_{m}"),
        key="metric",
        on_change=touch("metric"),
        horizontal=True,
        help=T("colour_by_help"),
    )
    show_outside = st.toggle(
        T("show_outside"), key="outside", help=T("show_outside_help"), on_change=touch("outside")
    )
    tiles = st.selectbox(
        T("tiles"),
        list(maps.TILES),
        format_func=lambda t: T(f"tiles_{t}"),
        key="tiles",
        on_change=touch("tiles"),
        help=T("tiles_help"),
    )
    return Filters(tuple(categories), tuple(oblasts), query), metric, show_outside, tiles


# --- time and playback -----------------------------------------------------------------------


def date_range(events: pd.DataFrame):
    facts = data_facts(events)
    first, last = facts.first.date(), facts.last.date()
    if first == last:  # a slider needs a range: start a day earlier
        first -= timedelta(days=1)
    return first, last


def settle_date(events: pd.DataFrame, data_key: tuple) -> None:
    """Before the slider: the link's date (once), the latest date for new data, or the
    current date kept inside the data's range."""
    ss = st.session_state
    first, last = date_range(events)
    if ss.get("_data_key") != data_key or "date" not in ss:
        ss["_data_key"] = data_key
        wanted = ss.pop("_link_date", None)
        day, note = permalink.clamp_date(wanted, first, last)
        if note:
            ss["_notices"].append(note)
        ss["date"] = day
    else:
        ss["date"] = min(max(ss["date"], first), last)


def advance(events: pd.DataFrame, direction: int = 1) -> None:
    """Move the date by one step; at the end, loop or stop playing."""
    ss = st.session_state
    first, last = date_range(events)
    step = timedelta(days=int(ss.get("pb_step", 1)))
    day = ss["date"] + direction * step
    if day > last:
        if ss.get("_playing") and ss.get("pb_loop"):
            day = first
        elif ss["date"] < last:
            day = last
        else:
            day = last
            ss["_playing"] = False
    ss["date"] = max(first, min(last, day))


def playback_tick(events: pd.DataFrame, interval: float) -> None:
    """On a timer run while playing, step once per interval (not on clicks in between)."""
    ss = st.session_state
    if not ss.get("_playing"):
        return
    now = time.monotonic()
    last_tick = ss.get("_last_tick")
    if last_tick is None:
        ss["_last_tick"] = now
        return
    if now - last_tick >= 0.8 * interval:
        ss["_last_tick"] = now
        advance(events)


def toggle_play() -> None:
    ss = st.session_state
    ss["_playing"] = not ss.get("_playing")
    ss["_last_tick"] = None


def time_controls(events: pd.DataFrame, lang: str, T) -> tuple:
    first, last = date_range(events)
    c1, c2, c3 = st.columns([6, 3.4, 1.2])
    with c1:
        date = st.slider(
            T("date"),
            min_value=first,
            max_value=last,
            step=timedelta(days=1),
            format=SLIDER_FORMAT[lang],
            key="date",
        )
    with c2:
        choice = st.radio(
            T("window"),
            [*WINDOWS, CUSTOM],
            format_func=lambda w: T(f"w_{w}"),
            horizontal=True,
            key="window",
            on_change=touch("window"),
            help=T("window_help"),
        )
    with c3:
        if "window_days" not in st.session_state:
            st.session_state["window_days"] = 14
        custom = st.number_input(
            T("days"),
            min_value=1,
            max_value=permalink.MAX_WINDOW,
            step=1,
            key="window_days",
            on_change=touch("window_days"),
            disabled=choice != CUSTOM,
        )
    window = int(custom) if choice == CUSTOM else WINDOWS[choice]
    return date, window


def play_buttons(events: pd.DataFrame, T, present: bool) -> None:
    """Play/pause, back, forward (and, in presentation, the way out)."""
    playing = bool(st.session_state.get("_playing"))
    cols = st.columns([1.4, 1, 1, 5] if present else [1.4, 1, 1])
    cols[0].button(
        T("pause") if playing else T("play"),
        key="play",
        on_click=toggle_play,
        type="primary",
        width="stretch",
    )
    cols[1].button(T("back"), key="step_back", on_click=advance, args=(events, -1), width="stretch")
    cols[2].button(
        T("forward"), key="step_forward", on_click=advance, args=(events, 1), width="stretch"
    )
    if present:
        with cols[3]:
            st.button(
                T("exit_present"),
                key="exit_present",
                on_click=leave_presentation,
            )


def leave_presentation() -> None:
    """ "Exit presentation" (and Esc): the user's choice, held from now on."""
    ss = st.session_state
    ss["present"] = False
    ss.setdefault("_touched", set()).add("present")


def playback_settings(T) -> None:
    """Step, speed and loop."""
    columns = st.columns([2.2, 2.6, 1.2])
    columns[0].radio(
        T("step"),
        STEPS,
        format_func=lambda s: T("step_day" if s == 1 else "step_week"),
        horizontal=True,
        key="pb_step",
        on_change=touch("pb_step"),
    )
    columns[1].select_slider(
        T("speed"),
        SPEEDS,
        format_func=lambda s: f"{s:g} s",
        key="pb_speed",
        on_change=touch("pb_speed"),
    )
    columns[2].toggle(T("loop"), key="pb_loop", help=T("loop_help"), on_change=touch("pb_loop"))


# --- map, legend, side panel -----------------------------------------------------------------


def same_view(a, b, pixels: float = 4.0) -> bool:
    """True when two (lat, lon, zoom) views differ by less than a few screen pixels: Leaflet
    rounds its pixel origin, so a view it was asked for comes back slightly off."""
    if a is None or b is None or None in a or None in b or a[2] != b[2]:
        return False
    degrees = pixels * 360 / (256 * 2 ** a[2])
    return abs(a[0] - b[0]) < degrees and abs(a[1] - b[1]) < degrees


def map_key(tiles: str, lang: str, present: bool) -> str:
    return f"{MAP_KEY}-{tiles}-{lang}-{int(present)}"


MAP_REPORT_ID_CHARS = 64


def take_map_report(key: str) -> None:
    """Before the slider: the date the map's own time bar stepped to, once the user paused
    (the client reports it through the map's value). The slider, table, summary and link
    then catch up with the map; stepping by hand also pauses playback. The value comes from
    the browser, so anything but a new report with an ISO date is ignored."""
    ss = st.session_state
    value = ss.get(key)
    report = value.get("oem") if isinstance(value, dict) else None
    if not isinstance(report, dict):
        return
    report_id = str(report.get("id", ""))[:MAP_REPORT_ID_CHARS]
    if not report_id or report_id == ss.get("_map_report"):
        return
    ss["_map_report"] = report_id
    text = report.get("date")
    try:
        day = Date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return
    ss["date"] = day  # settle_date keeps it inside the data's range
    ss["_playing"] = False


def time_bar(files: ahead.StepFiles, key: str, events: pd.DataFrame, T) -> dict:
    """The client's part of the payload: the scene's name and the map's own time bar."""
    first, last = date_range(events)
    return {
        "k": key,
        "steps": {
            "url": files.url(key),
            "first": first.isoformat(),
            "last": last.isoformat(),
            "label": escape(T("map_date")),
            "prev": escape(T("map_prev")),
            "next": escape(T("map_next")),
            "locale": T("locale"),
        },
    }


def draw_map(the_scene: scene.Scene, regions: Regions, height: int, present: bool) -> None:
    """The map. It opens where the link (or, after a change of tiles, language or mode, the
    last view) says, and reports where the user moves it; the view is never pushed back into
    the map, which would fight a user still panning."""
    ss = st.session_state
    key = map_key(the_scene.tiles, the_scene.lang, present)
    if ss.get("_map_home", (None,))[0] != key:
        ss["_map_home"] = (key, ss.get("_map_view"))
    lat, lon, zoom = ss["_map_home"][1] or (None, None, None)
    out = st_folium(
        maps.base_map(
            regions,
            the_scene.tiles,
            the_scene.lang,
            center=(lat, lon) if lat is not None else None,
            zoom=zoom,
        ),
        key=key,
        feature_group_to_add=the_scene.layers,
        returned_objects=["center", "zoom"],
        height=height,
        use_container_width=True,
    )
    view = ss.get("_map_view") or (None, None, None)
    centre = (out or {}).get("center")
    if centre and out.get("zoom") is not None:
        moved = (round(centre["lat"], 4), round(centre["lng"], 4), int(out["zoom"]))
        if not same_view(moved, ss.get("_map_view")):
            ss["_map_view"] = moved
        default = (maps.CENTER[0], maps.CENTER[1], maps.ZOOM)
        ss["_custom_view"] = ss.get("_custom_view") or not same_view(moved, default)
    elif view != (None, None, None):
        ss["_custom_view"] = True


def summary_table(view, lang: str, T) -> pd.DataFrame:
    names = {c: oblast_title(c, lang) for c in FIVE_OBLASTS}
    table = oblast_summary(view, names, T("outside"))
    return table.rename(
        columns={
            "Oblast": T("col_oblast"),
            "Events": T("col_events"),
            "Under way": T("col_under_way"),
            "Fatalities": T("col_fatalities"),
        }
    )


def timeline_chart(weekly: pd.DataFrame, lang: str, T) -> None:
    """Events per week and category over the whole data (filters applied). It is drawn by
    the full page, not the date fragment: it does not change with the date, and re-sending it
    on every slider step would cost more than the map."""
    if weekly.empty:
        st.info(T("no_match"))
        return
    week, cat, n = T("chart_week"), T("chart_category"), T("chart_events")
    long = weekly.reset_index().melt("week", var_name="category", value_name="events")
    long = long[long["events"] > 0]
    keys = list(weekly.columns)
    long["category"] = long["category"].map(lambda k: category_name(k, lang))
    long = long.rename(columns={"week": week, "category": cat, "events": n})
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                f"{week}:T", title=T("week_axis"), axis=alt.Axis(format=CHART_DATE_FORMAT[lang])
            ),
            y=alt.Y(f"sum({n}):Q", title=T("per_week")),
            color=alt.Color(
                f"{cat}:N",
                scale=alt.Scale(
                    domain=[category_name(k, lang) for k in keys],
                    range=[category_colour(k) for k in keys],
                ),
            ),
            tooltip=[
                alt.Tooltip(f"{week}:T", format=CHART_DATE_FORMAT[lang]),
                f"{cat}:N",
                f"{n}:Q",
            ],
        )
    )
    st.altair_chart(bars.properties(height=220), width="stretch")


def events_table(view, date, lang: str, T) -> None:
    """The newest events in the window (up to the chosen number of rows; the download has all
    of them, made when clicked)."""
    ss = st.session_state
    limit = ss.get("table_rows", TABLE_ROWS[0])
    shown, active = view.head(limit, [*TABLE_COLUMNS, *EXTRA_TABLE_COLUMNS])
    columns = dict(TABLE_COLUMNS)
    for col, label in EXTRA_TABLE_COLUMNS.items():
        if col in shown and any(v == v and v not in ("", None) for v in shown[col].tolist()):
            columns[col] = label  # NaN != NaN: a column of unknowns stays out
    words = {  # codes shown as words in the page's language
        "category": lambda k: category_name(k, lang),
        "verification": lambda v: status_label(v, lang),
        "dataset": lambda d: dataset_label(str(d), lang),
        "oblast_code": lambda c: oblast_title(c, lang) if c in FIVE_OBLASTS else c,
    }

    def rows_of(frame: pd.DataFrame, flags) -> pd.DataFrame:
        table = {}
        for col, label in columns.items():
            values = frame[col]
            if col in words:  # each distinct code translated once
                codes = values.tolist()
                names = {code: words[col](code) for code in dict.fromkeys(codes)}
                values = [names[code] for code in codes]
            table[T(label)] = values
        table[T("t_under_way")] = flags
        return pd.DataFrame(table, index=frame.index)

    st.dataframe(
        rows_of(shown, active),
        hide_index=True,
        width="stretch",
        column_config={
            T("t_start"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            T("t_end"): st.column_config.DateColumn(format="YYYY-MM-DD"),
            T("t_source_url"): st.column_config.LinkColumn(display_text=T("open_source")),
        },
        key="events_table",
    )
    c1, c2 = st.columns([2, 3])
    with c1:
        st.download_button(
            T("download_events"),
            data=lambda: safe_csv_bytes(rows_of(view.shown, view.active_flags)),
            file_name=f"oblast-events-{pd.Timestamp(date):%Y-%m-%d}.csv",
            mime="text/csv",
            key="download_csv",
            on_click="ignore",
        )
    with c2:
        if len(view) > min(TABLE_ROWS):
            st.selectbox(
                T("table_rows"),
                TABLE_ROWS,
                format_func=lambda n: T("table_rows_n", n=f"{n:,}"),
                key="table_rows",
            )
        if len(view) > limit:
            st.caption(T("table_newest", n=f"{limit:,}", total=f"{len(view):,}"))


def sources_sentence(events: pd.DataFrame, T) -> str:
    """What the caption may promise about sources, for the rows shown: a link for every one,
    or how many have one (ACLED and UCDP name their sources without links)."""
    linked = int((events[SOURCE_URL].fillna("") != "").sum())
    if linked == len(events):
        return T("sources_all_linked")
    if linked == 0:
        return T("sources_none_linked")
    return T("sources_some_linked", linked=f"{linked:,}", rows=f"{len(events):,}")


def human_size(n: int) -> str:
    """Bytes as KB or MB (binary units, as Streamlit's upload limit)."""
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} KB"


def validation_report(upload: datasets.Upload, lang: str, T) -> None:
    """What happened to every record of the uploaded file."""
    result = upload.result
    name = md_escape(upload.name)
    if result is None:
        st.error(
            T("cannot_use", name=name, error=md_escape(upload.error))
            + (T("none_loaded", rows=upload.rows) if upload.rows else "")
            + T("still_bundled")
        )
        return
    rejected = len(result.rejected)
    title = T(
        "report_title",
        name=name,
        accepted=f"{result.accepted:,}",
        rows=f"{result.rows:,}",
        rejected=f"{rejected:,}",
    )
    if result.accepted == 0:
        st.warning(T("no_usable", name=name))
    elif rejected:
        st.warning(T("some_rejected", rejected=f"{rejected:,}", rows=f"{result.rows:,}", name=name))
    with st.expander(title, expanded=False):
        st.caption(
            T(
                "read_as",
                variant=result.variant,
                read_as=result.read_as,
                size=human_size(upload.size),
            )
        )
        for decision in result.dates:
            st.caption(
                T(
                    "report_dates",
                    column=md_escape(decision.column),
                    explanation=md_escape(decision.explanation),
                )
            )
        if result.near_border:
            st.caption(T("report_near_border", n=f"{result.near_border:,}"))
        outcomes = result.outcomes()
        for col, (label, n) in zip(st.columns(len(outcomes)), outcomes.items(), strict=True):
            label = outcome_label(label, lang)
            col.metric(label[0].upper() + label[1:], f"{n:,}")
        if not rejected:
            return
        reasons = result.reasons().rename_axis(T("reason")).reset_index(name=T("records"))
        st.dataframe(reasons, hide_index=True, width="stretch", key="report_reasons")
        st.markdown(T("first_rejected", n=min(REPORT_ROWS, rejected)))
        st.dataframe(
            result.rejected.head(REPORT_ROWS),
            hide_index=True,
            width="stretch",
            key="report_rejected",
        )
        st.download_button(
            T("download_rejected", n=f"{rejected:,}"),
            data=safe_csv_bytes(result.rejected),
            file_name=f"rejected-{re.sub(r'[^A-Za-z0-9._-]+', '_', Path(upload.name).stem)}.csv",
            mime="text/csv",
            key="download_rejected",
        )


def share_panel(events, regions, the_scene: scene.Scene, link: str, uploaded: bool, T) -> None:
    """The link to this view, slide PNGs and the standalone map (made when clicked)."""
    st.subheader(T("share"))
    st.markdown(f"**{T('link')}**", help=T("link_help"))
    # A text box, not st.code: the code block's highlighter is 1.5 MB of JavaScript that every
    # new visitor would download before the map (docs/PERFORMANCE.md).
    st.text_input(T("link"), value=link, label_visibility="collapsed", key=None)
    if uploaded:
        st.caption(T("link_upload_note"))
    ss = st.session_state
    view = ss.get("_map_view") if ss.get("_custom_view") else None
    center = (view[0], view[1]) if view and view[0] is not None else None
    zoom = view[2] if view else None
    params = {
        "date": the_scene.view.date,
        "window": the_scene.view.window_days,
        "filters": ss["_filters"],
        "metric": the_scene.view.metric,
        "show_outside": the_scene.show_outside,
        "lang": the_scene.lang,
        "breaks": the_scene.view.breaks,
        "index": the_scene.view.index,
    }
    stem = f"oblast-events-{the_scene.view.date:%Y-%m-%d}"
    try:
        slides.font_path(bold=False)
        slides.font_path(bold=True)
        fonts = None
    except slides.NoFont as exc:
        fonts = str(exc)
    cols = st.columns(len(SLIDE_SIZES) + 1)
    for col, size in zip(cols, SLIDE_SIZES, strict=False):
        label = f"{size[0]}×{size[1]}"
        if fonts:
            col.caption(f"{T('png', size=label)}: {md_escape(fonts)}")
            continue

        def png(size=size) -> bytes:
            made = scene.make(events, regions, center=center, zoom=zoom, **params)
            return scene.slide(made, regions, size).png()

        col.download_button(
            T("png", size=label),
            data=png,
            file_name=f"{stem}-{size[0]}x{size[1]}.png",
            mime="image/png",
            key=f"download_png_{size[0]}",
            help=T("png_help"),
            on_click="ignore",
        )

    def html() -> bytes:
        made = scene.make(
            events,
            regions,
            center=center,
            zoom=zoom,
            overlay="full",
            tiles=the_scene.tiles,
            **params,
        )
        return scene.standalone_html(made, regions)

    cols[-1].download_button(
        T("html"),
        data=html,
        file_name=f"{stem}.html",
        mime="text/html",
        key="download_html",
        help=T("html_help"),
        on_click="ignore",
    )


# --- the page --------------------------------------------------------------------------------


def main_area(
    events,
    regions,
    upload,
    data_key,
    filters,
    metric,
    show_outside,
    tiles,
    lang,
    present: bool,
    light: bool = False,
) -> None:
    """Everything that moves with the date; a fragment, so playback reruns only this.

    ``light`` (a visitor's first run): the tables and the share panel wait for the next full
    run (``finish_first_visit``), so their scripts do not compete with the map's."""
    T = tr(lang)
    ss = st.session_state
    playing = bool(ss.get("_playing"))
    interval = float(ss.get("pb_speed", 1.0))

    @st.fragment(run_every=interval if playing else None)
    def body() -> None:
        started = time.perf_counter()
        try:
            with ahead.PREPARER.step():  # no date is prepared ahead meanwhile
                steps()
        finally:
            log_timing("step", started)
        # While the browser draws this date, write the dates around it for the map's time
        # bar (after the step, so the two do not compete for the interpreter).
        job = ss.get("_prepare")
        if job is not None and settings.get("OEM_PREPARE_AHEAD") != "0":
            ahead.PREPARER.submit(*job)

    def steps() -> None:
        hold_link(FRAGMENT_KEYS)  # a fragment run sets its own widgets
        if bool(ss.get("_playing")) != playing or float(ss.get("pb_speed", 1.0)) != interval:
            st.rerun()  # play/pause or speed changed: re-arm the timer with a full run
        if bool(ss.get("present")) != present:
            # "Exit presentation" is clicked inside this fragment: only a full run leaves
            # presentation (its styles, banner and hidden sidebar belong to the whole page).
            st.rerun()
        take_map_report(map_key(tiles, lang, present))
        settle_date(events, data_key)
        playback_tick(events, interval)
        # In presentation the controls stay on the page, hidden, so their values persist.
        with st.container(key="playback_settings" if present else "time_controls"):
            date, window = time_controls(events, lang, T)
            c1, c2 = st.columns([1.6, 3])
            with c1:
                if not present:
                    play_buttons(events, T, present=False)
            with c2:
                playback_settings(T)
        # Class breaks depend on the data, filters, window and metric, never on the date.
        index = cached_index(events, data_key, filters)
        breaks_key = (data_key, filters, window, metric)
        if ss.get("_breaks", (None,))[0] != breaks_key:
            ss["_breaks"] = (breaks_key, breaks_for_index(index, window, metric))
        ss["_filters"] = filters
        # Everything a date's payload depends on, so the map's time bar can step to dates
        # drawn ahead (dashboard/steps.py) without a rerun.
        make = {
            "events": events,
            "regions": regions,
            "window": window,
            "filters": filters,
            "metric": metric,
            "show_outside": show_outside,
            "lang": lang,
            "breaks": ss["_breaks"][1],
            "tiles": tiles,
            "overlay": "legend" if present else "",
            "index": index,
        }
        files = ahead.files()
        scene_key = files.key(
            data_key,
            filters,
            window,
            metric,
            show_outside,
            lang,
            tiles,
            tuple(make["breaks"]),
            make["overlay"],
        )
        client = time_bar(files, scene_key, events, T)
        client["seen"] = ss.get("_map_report")  # the last report from the map's time bar
        the_scene = scene.make(date=date, client=client, **make)
        ss["_prepare"] = (
            files,
            scene_key,
            ahead.days_around(date, *date_range(events), int(ss.get("pb_step", 1))),
            functools.partial(scene.step_payload, key=scene_key, **make),
        )
        view = the_scene.view
        ss["_view"] = view  # read by the app tests
        ss["_scene"] = the_scene
        if present:
            present_view(the_scene, regions, events, T)
            write_link(current_link(date, window))
            return
        map_col, side_col = st.columns([3, 1])
        with map_col:
            draw_map(the_scene, regions, MAP_HEIGHT, present=False)
        link = write_link(current_link(date, window))  # after the map: it may have moved
        with side_col:
            st.html(
                f"<p class='oem-date-banner'>{escape(the_scene.date_text)}"
                f"<span>{escape(the_scene.window_text)}</span></p>"
            )
            if not light:  # the table's script is large: after the map
                st.dataframe(
                    summary_table(view, lang, T),
                    hide_index=True,
                    width="stretch",
                    key="oblast_summary",
                )
            st.html(legend.to_html(the_scene.legend))
        st.subheader(T("events_shown", n=len(view)))
        if light:
            st.caption(T("loading_table"))
            return
        events_table(view, date, lang, T)
        share_panel(events, regions, the_scene, link, upload is not None, T)

    body()


def present_view(the_scene: scene.Scene, regions: Regions, events, T) -> None:
    """Presentation: a banner with the title and date, the map with its legend, a slim bar."""
    st.html(
        "<div class='oem-present-banner' role='banner'>"
        f"<div class='t'>{escape(the_scene.title)}</div>"
        f"<div class='d' aria-live='polite'><b>{escape(the_scene.date_text)}</b>"
        f"<span>{escape(the_scene.window_text)}</span></div></div>"
    )
    draw_map(the_scene, regions, 760, present=True)
    with st.container(key="present_bar"):
        play_buttons(events, T, present=True)
    with st.container(key="oem_escape"):  # zero-size: only its script matters
        components.html(ESCAPE_SCRIPT, height=0)


# Esc leaves presentation: pressed on the page, or inside the map (whose client posts
# {oem: "escape"} when no popup is open). Same-origin component frame, so it can reach the page.
ESCAPE_SCRIPT = """<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.__oemEscape) { return; }
  top.__oemEscape = true;
  function leave() {
    var button = doc.querySelector(".st-key-exit_present button");
    if (button) { button.click(); }
  }
  doc.addEventListener("keydown", function (e) { if (e.key === "Escape") { leave(); } });
  top.addEventListener("message", function (e) {
    if (e.data && e.data.oem === "escape") { leave(); }
  });
})();
</script>"""

FIRST_VISIT_DELAY_S = 2.0  # after the first run reaches the browser: the rest of the page


@st.fragment(run_every=FIRST_VISIT_DELAY_S)
def finish_first_visit() -> None:
    """A visitor's first run draws the map without the tables and the chart, whose scripts
    (2 MB) would compete with the map's for the browser; shortly after, this timer runs the
    whole page once. It exists only in that first run, so it never fires again."""
    if st.session_state.get("_first_visit_armed"):
        st.rerun()  # the whole page: tables, share panel and chart
    st.session_state["_first_visit_armed"] = True


def page() -> None:
    read_link()
    hold_link(PAGE_KEYS)
    lang = check_lang(st.session_state.get("lang"))
    T = tr(lang)
    present = bool(st.session_state.get("present"))
    st.set_page_config(
        page_title=T("page_title"),
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )
    st.html(PRESENT_CSS if present else PAGE_CSS)
    regions = cached_regions()
    path = events_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    bundled = cached_events(str(path), mtime)
    with st.sidebar:
        language_and_mode(T)
        upload = upload_panel(regions, T)
        choice = dataset_choice(upload, T)
    if isinstance(bundled, str):
        st.error(T("bundled_unloadable", name=md_escape(path.name), error=md_escape(bundled)))
        bundled = None
    uploaded = upload.result if upload is not None else None
    events = datasets.combine(bundled, uploaded, choice)
    labels = [str(x) for x in events["dataset"].unique()] if len(events) else []
    notice_slot = st.container()  # filled last: checks further down add notices
    if len(events) == 0:
        st.title(T("no_events_title"))
        if upload is not None:
            validation_report(upload, lang, T)
        mapping_form(upload, T)
        st.warning(T("no_valid_events"))
        with notice_slot:
            notices(T)
        return
    apply_link_data(events)
    if not present:
        as_of = long_date(data_facts(events).last, lang)
        st.title(T("title"))
        st.caption(
            T(
                "caption",
                events=f"{data_facts(events).groups:,}",
                rows=f"{len(events):,}",
                labels=T("and").join(md_escape(dataset_label(x, lang)) for x in labels),
                as_of=as_of,
                sources=sources_sentence(events, T),
            )
        )
        if upload is not None:
            validation_report(upload, lang, T)
        mapping_form(upload, T)
        if bundled is not None and len(bundled.rejected) and choice != datasets.UPLOADED:
            st.warning(T("bundled_rejected", n=len(bundled.rejected), name=md_escape(path.name)))
    with st.sidebar:
        filters, metric, show_outside, tiles = sidebar_filters(events, lang, T)
    # Identifies the data shown: which datasets, which upload (a re-upload under the same name
    # is another file), which version of the bundled file.
    # A file that gave no events (unreadable, or still being mapped) is not shown, so it does
    # not change the data key: the date and filters stay as they were.
    upload_token = st.session_state["_upload"][0] if choice != datasets.BUNDLED else None
    data_key = (choice, *labels, upload_token, mtime)
    light = not st.session_state.get(SHOWN_ONCE)  # a visitor's first run: the map first
    main_area(
        events,
        regions,
        upload,
        data_key,
        filters,
        metric,
        show_outside,
        tiles,
        lang,
        present,
        light,
    )
    if not present:
        st.subheader(T("per_week"))
        if light:
            st.caption(T("loading_chart"))
        else:
            timeline_chart(cached_index(events, data_key, filters).weekly(), lang, T)
        st.caption(T("footer"))
    with notice_slot:
        notices(T)
    st.session_state[SHOWN_ONCE] = True
    if light:
        finish_first_visit()
    elif "_settled_at" not in st.session_state:
        st.session_state["_settled_at"] = time.monotonic()  # the first full run is done


try:
    page()
except Exception:  # the page must never show a traceback
    log.exception("page failed")
    st.error(tr(st.session_state.get("lang", "en"))("page_failed"))
