"""Time and playback controls: the date slider, the window, play/back/forward and the
playback settings. Their keys are ViewState fields; clicks run ``state.transitions``."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.i18n import SLIDER_FORMAT
from dashboard.page import session
from dashboard.page.session import touch
from dashboard.query.view import data_facts
from dashboard.state import holds, transitions
from dashboard.state.choices import CUSTOM, MAX_WINDOW, SPEEDS, STEPS, WINDOWS


def data_range(events: pd.DataFrame):
    """The data's first and last dates (a day apart at least: a slider needs a range)."""
    facts = data_facts(events)
    first, last = facts.first.date(), facts.last.date()
    if first == last:
        first -= timedelta(days=1)
    return first, last


def date_range(events: pd.DataFrame):
    """The slider's first and last dates: the data's, or the view's range inside them."""
    first, last = data_range(events)
    view = session.view()
    if view.has_range:
        lo, hi = max(first, view.range_from), min(last, view.range_to)
        if lo < hi:
            return lo, hi
        if lo == hi:
            return lo - timedelta(days=1), hi
    return first, last


def advance(events: pd.DataFrame, direction: int = 1) -> None:
    """Back / forward: one step (a click's callback)."""
    session.apply(transitions.advance, *date_range(events), direction, hold_date=True)


def toggle_play() -> None:
    session.apply_page(transitions.toggle_play)


def time_controls(events: pd.DataFrame, lang: str, T) -> None:
    first, last = date_range(events)
    ranged = session.view().has_range
    c1, c2, c3 = st.columns([5, 4.6, 1.3])
    with c1:
        st.slider(
            T("date"),
            min_value=first,
            max_value=last,
            step=timedelta(days=1),
            format=SLIDER_FORMAT[lang],
            key="date",
        )
        session.write_ack()
        with st.container(key="oem_ack_box"):  # hidden; after the slider (state.holds)
            st.text_input("ack", key=holds.ACK, label_visibility="collapsed")
    with c2:
        choice = st.radio(
            T("window"),
            [*WINDOWS, CUSTOM],
            format_func=lambda w: T(f"w_{w}"),
            horizontal=True,
            key="window",
            on_change=touch("window"),
            help=T("window_help_range") if ranged else T("window_help"),
            disabled=ranged,
        )
    with c3:
        st.number_input(
            T("days"),
            min_value=1,
            max_value=MAX_WINDOW,
            step=1,
            key="window_days",
            on_change=touch("window_days"),
            disabled=choice != CUSTOM or ranged,
        )


def play_buttons(events: pd.DataFrame, T, present: bool, cols=None) -> None:
    """Play/pause, back, forward (and, in presentation, the way out); ``cols``: four columns
    to draw them in (a deck's bar has its own)."""
    playing = session.page_state().playing
    if cols is None:
        cols = st.columns([1.4, 1, 1, 5] if present else [1.25, 0.95, 1.15])
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
            st.button(T("exit_present"), key="exit_present", on_click=session.leave_presentation)


def playback_settings(T) -> None:
    """Step, speed and loop."""
    columns = st.columns([2.2, 2.2, 1.6])  # "Повтор" whole at 1366 px
    columns[0].radio(
        T("step"),
        STEPS,
        format_func=lambda s: T("step_day" if s == 1 else "step_week"),
        horizontal=True,
        key="step",
        on_change=touch("step"),
    )
    columns[1].select_slider(
        T("speed"), SPEEDS, format_func=lambda s: f"{s:g} s", key="speed", on_change=touch("speed")
    )
    columns[2].toggle(T("loop"), key="loop", help=T("loop_help"), on_change=touch("loop"))
