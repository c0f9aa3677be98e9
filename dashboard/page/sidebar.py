"""The sidebar's view controls: language, presentation, filters and the map's options. Each
widget's key is its ViewState field (``page.session``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.config import ACTOR1, ACTOR2, EVENT_TYPE, FIVE_OBLASTS, SUB_EVENT_TYPE
from dashboard.i18n import LANG_NAMES, LANGS, category_name, oblast_title
from dashboard.page import session
from dashboard.page.controls import data_range
from dashboard.page.session import touch
from dashboard.query.filters import (
    actor_counts,
    fatality_bounds,
    filters_of,
    has_civilian_targeting,
    value_counts,
)
from dashboard.query.view import categories_in, data_facts, has_fatalities
from dashboard.scene.places import places
from dashboard.state.choices import DENSITY, MAX_QUERY, METRICS, OUTSIDE, TILES


def language_and_mode(T) -> None:
    st.selectbox(
        T("language"), LANGS, format_func=LANG_NAMES.get, key="lang", on_change=touch("lang")
    )
    st.toggle(T("present"), key="present", help=T("present_help"), on_change=touch("present"))


def keep_valid(key: str, options: list) -> None:
    """Drop stale selections (e.g. categories of a file no longer shown) before a widget."""
    chosen = session.value(key)
    if chosen is not None:
        session.put(key, [v for v in chosen if v in options])


def filters(events: pd.DataFrame, lang: str, T, regions=None, data_key=None) -> None:
    """Category, oblast and search filters, the analyst's filters on the fields the data has,
    the date range; then the map: density, go to a place, colour metric, events outside,
    basemap."""
    st.header(T("filters"))
    count_slot = st.empty()
    options = categories_in(events)
    keep_valid("cat", options)
    st.multiselect(
        T("category"),
        options,
        format_func=lambda c: category_name(c, lang),
        key="cat",
        on_change=touch("cat"),
        placeholder=T("all_categories"),
    )
    st.multiselect(
        T("oblast"),
        [*FIVE_OBLASTS, OUTSIDE],
        format_func=lambda c: oblast_title(c, lang) if c != OUTSIDE else T("outside"),
        key="oblast",
        on_change=touch("oblast"),
        placeholder=T("all_oblasts"),
    )
    st.text_input(
        T("search"),
        key="q",
        max_chars=MAX_QUERY,
        on_change=touch("q"),
        live="400ms",
        help=T("search_help"),
    )
    analyst_filters(events, T)
    if session.view().area:
        st.caption(T("area_on"))
        st.button(T("area_clear"), key="area_clear", on_click=clear_area)
    date_range_box(events, T)
    with count_slot:
        matched(events, data_key, T)
    st.header(T("map"))
    st.radio(
        T("density"),
        list(DENSITY),
        format_func=lambda d: T(f"density_{d}"),
        key="density",
        on_change=touch("density"),
        horizontal=True,
        help=T("density_help"),
    )
    if regions is not None:
        go_to_box(regions, events, lang, T)
    metrics = list(METRICS) if has_fatalities(events) else ["events"]
    if session.value("metric") not in metrics:
        session.put("metric", "events")
    st.radio(
        T("colour_by"),
        metrics,
        format_func=lambda m: T(f"metric_{m}"),
        key="metric",
        on_change=touch("metric"),
        horizontal=True,
        help=T("colour_by_help"),
    )
    st.toggle(
        T("show_outside"), key="outside", help=T("show_outside_help"), on_change=touch("outside")
    )
    st.selectbox(
        T("tiles"),
        list(TILES),
        format_func=lambda t: T(f"tiles_{t}"),
        key="tiles",
        on_change=touch("tiles"),
        help=T("tiles_help"),
    )


def _labelled(pairs: list[tuple[str, int]]) -> tuple[list[str], dict[str, str]]:
    """Options and their labels ("name (N)") from (value, count) pairs."""
    return [v for v, _ in pairs], {v: f"{v} ({n:,})" for v, n in pairs}


def analyst_filters(events: pd.DataFrame, T) -> None:
    """Actor, event type, sub-event type, civilian targeting and fatalities: each shown only
    when the data has the field (an ACLED or UCDP file; the curated timeline has none)."""
    actors = actor_counts(events) if ACTOR1 in events or ACTOR2 in events else []
    types = value_counts(events, EVENT_TYPE)
    subs = value_counts(events, SUB_EVENT_TYPE)
    for key, pairs, label in (
        ("actor", actors, "actor"),
        ("etype", types, "event_type"),
        ("sub", subs, "sub_event_type"),
    ):
        if not pairs:
            session.put(key, [])
            continue
        options, labels = _labelled(pairs)
        keep_valid(key, options)
        st.multiselect(
            T(label),
            options,
            format_func=lambda v, labels=labels: labels.get(v, v),
            key=key,
            on_change=touch(key),
            placeholder=T(f"all_{label}"),
            help=T(f"{label}_help"),
        )
    if has_civilian_targeting(events):
        st.toggle(T("civ"), key="civ", on_change=touch("civ"), help=T("civ_help"))
    else:
        session.put("civ", False)
    bounds = fatality_bounds(events)
    if bounds is None:
        session.put("fmin", None)
        session.put("fmax", None)
        return
    low, high = bounds
    for column, key, shown in zip(st.columns(2), ("fmin", "fmax"), (low, high), strict=True):
        column.number_input(
            T(key),
            min_value=0,
            max_value=max(high, 0),
            step=1,
            value=None,
            key=key,
            on_change=touch(key),
            placeholder=f"{shown:,}",
            help=T("fatalities_help"),
        )


def date_range_box(events: pd.DataFrame, T) -> None:
    """A from-to range (two dates); the weekly chart can also set it by brushing."""
    first, last = data_range(events)
    now = session.view()
    picked = (now.range_from, now.range_to) if now.has_range else ()
    if picked and not (first <= picked[0] <= last and first <= picked[1] <= last):
        picked = ()
        set_range(None, None)
    # The picker's own key is not the view's: the view holds both dates or none, and a
    # half-picked range (one click so far) must not reach it nor be reset.
    held = tuple(session.value("range_pick") or ())
    if session.value("range_pick") is None or (len(held) != 1 and held != picked):
        session.put("range_pick", picked)
    st.date_input(
        T("range"),
        min_value=first,
        max_value=last,
        key="range_pick",
        on_change=picked_range,
        help=T("range_help"),
        format="YYYY-MM-DD",
    )
    if now.has_range:
        st.button(T("range_clear"), key="range_clear", on_click=set_range, args=(None, None))


def clear_area() -> None:
    session.put("area", ())
    session.mark_touched("area")


def picked_range() -> None:
    chosen = session.value("range_pick") or ()
    if len(chosen) == 2:
        set_range(*chosen)
    elif len(chosen) == 0:
        set_range(None, None)


def set_range(first, last) -> None:
    """The view's range (None, None: none); the user's choice from now on."""
    session.put("range_from", first)
    session.put("range_to", last)
    session.mark_touched("range_from", "range_to")


def matched(events: pd.DataFrame, data_key, T) -> None:
    """How many events the filters keep, of all the data's (every date): "N of M events"."""
    from dashboard.page import data

    total = data_facts(events).groups
    filters = filters_of(session.view())
    if not filters:
        st.caption(T("filters_none", total=f"{total:,}"))
        return
    kept = data.cached_index(events, data_key, filters).distinct_events()
    st.caption(T("filters_match", n=f"{kept:,}", total=f"{total:,}"))


def go_to_box(regions, events: pd.DataFrame, lang: str, T) -> None:
    """Zoom to an oblast, a town of the context layer or a settlement of the events."""
    found = places(regions, events, lang)
    keys = ["", *found]

    def label(key: str) -> str:
        if not key:
            return T("go_to_pick")
        place = found[key]
        detail = place.detail
        if detail == "oblast":
            return f"{place.name} · {T('go_to_oblast')}"
        if key.startswith("event:"):
            return f"{place.name} · {T('go_to_events', n=detail)}"
        return f"{place.name} · {detail}" if detail else place.name

    if session.value("go_to") not in keys:
        session.put("go_to", "")
    st.selectbox(
        T("go_to"),
        keys,
        format_func=label,
        key="go_to",
        on_change=go_to,
        args=(found,),
        help=T("go_to_help"),
    )


def go_to(found: dict) -> None:
    key = session.value("go_to")
    if key and key in found:
        fly(found[key].fly)


def fly(target: dict) -> None:
    """Ask the map to fly to ``target`` (``geo.places.Place.fly``) on its next payload."""
    n = (session.value("_fly") or (0, None))[0] + 1
    session.put("_fly", (n, target))
