"""The sidebar's view controls: language, presentation, filters and the map's options. Each
widget's key is its ViewState field (``page.session``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.config import FIVE_OBLASTS
from dashboard.i18n import LANG_NAMES, LANGS, category_name, oblast_title
from dashboard.page import session
from dashboard.page.session import touch
from dashboard.query.view import categories_in, has_fatalities
from dashboard.state.choices import MAX_QUERY, METRICS, OUTSIDE, TILES


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


def filters(events: pd.DataFrame, lang: str, T) -> None:
    """Category, oblast and search filters; colour metric, events outside, basemap."""
    st.header(T("filters"))
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
    st.text_input(T("search"), key="q", max_chars=MAX_QUERY, on_change=touch("q"))
    st.header(T("map"))
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
