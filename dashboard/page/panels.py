"""What the page shows beside and under the map: the date banner, the oblast summary, the
events table with its CSV, the per-week chart, the caption's promise about sources and the
link notices."""

from __future__ import annotations

import functools
from html import escape

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.config import DATE_CODE, FIVE_OBLASTS, SOURCE_URL
from dashboard.i18n import (
    CHART_DATE_FORMAT,
    category_name,
    dataset_label,
    date_precision_text,
    oblast_name,
    oblast_title,
    precision_words,
    verification_text,
)
from dashboard.ingest.textsafe import md_escape
from dashboard.page import session
from dashboard.query.view import oblast_summary
from dashboard.render.csv import events_export, safe_csv_bytes
from dashboard.scene.palette import category_colour
from dashboard.state import transitions


def date_banner(the_scene) -> None:
    st.html(
        f"<p class='oem-date-banner'>{escape(the_scene.date_text)}"
        f"<span>{escape(the_scene.window_text)}</span></p>"
    )


TABLE_ROWS = (100, 1_000, 10_000)  # rows the events table shows (the CSV has all)

TABLE_COLUMNS = {
    "start_date": "t_start",
    "end_date": "t_end",
    "date_precision": "t_date_precision",
    "oblast_code": "t_oblast",
    "settlement": "t_settlement",
    "category": "t_category",
    "title": "t_title",
    "verification": "t_status",
    "claimed_by": "t_claimed_by",
    "source_name": "t_source",
    "source_url": "t_source_url",
    "notes": "t_notes",
    "dataset": "t_dataset",
    "id": "t_id",
}

EXTRA_TABLE_COLUMNS = {
    "place_code": "t_place_precision",
    "event_type": "t_event_type",
    "sub_event_type": "t_sub_event_type",
    "actor1": "t_actor1",
    "actor2": "t_actor2",
    "fatalities": "t_fatalities",
    "civilian_targeting": "t_civilian",
}


def summary_table(view, lang: str, T) -> pd.DataFrame:
    """The per-oblast summary beside the map, with short names ("Донецька", not "Донецька
    область") so its numbers stay in the narrow column in both languages."""
    names = {c: oblast_name(c, lang) for c in FIVE_OBLASTS}
    table = oblast_summary(view, names, T("outside_short"))
    return table.rename(
        columns={
            "Oblast": T("col_oblast"),
            "Events": T("col_events"),
            "Under way": T("col_under_way"),
            "Fatalities": T("col_fatalities"),
            "Low–high": T("col_fatality_range"),
        }
    )


DATE_RULE = "oem_date_shown"  # the weekly chart's dataset of the date shown


def timeline_chart(weekly: pd.DataFrame, lang: str, T, date=None, span=None, bounds=None) -> None:
    """Events per week and category over the whole data (filters applied), with the date
    shown (a rule) and the range (shaded). Dragging across the chart sets the range
    (``brushed``); ``bounds``: the data's first and last dates, which a range is kept in."""
    if weekly.empty:
        st.info(T("no_match"))
        return
    long = weekly.reset_index().melt("week", var_name="category", value_name="events")
    long = long[long["events"] > 0]
    keys = list(weekly.columns)
    long["category"] = long["category"].map(lambda k: category_name(k, lang))
    x_axis = alt.X(
        "week:T",
        title=T("week_axis"),
        axis=alt.Axis(format=CHART_DATE_FORMAT[lang]),
    )
    brush = alt.selection_interval(encodings=["x"], name="brush")
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=x_axis,
            y=alt.Y("sum(events):Q", title=T("per_week")),
            color=alt.Color(
                "category:N",
                title=T("chart_category"),
                scale=alt.Scale(
                    domain=[category_name(k, lang) for k in keys],
                    range=[category_colour(k) for k in keys],
                ),
            ),
            tooltip=[
                alt.Tooltip("week:T", title=T("chart_week"), format=CHART_DATE_FORMAT[lang]),
                alt.Tooltip("category:N", title=T("chart_category")),
                alt.Tooltip("events:Q", title=T("chart_events")),
            ],
        )
        .add_params(brush)
    )
    layers = [bars]
    if span is not None:  # the range, shaded
        shade = pd.DataFrame({"start": [pd.Timestamp(span[0])], "end": [pd.Timestamp(span[1])]})
        layers.insert(
            0,
            alt.Chart(shade)
            .mark_rect(color="#0b6e99", opacity=0.16)
            .encode(x="start:T", x2="end:T"),
        )
    # The week of the date shown, outlined: it moves once a week, so a step inside a week sends
    # the chart unchanged (the browser keeps it as it is); a step into a new week sends the same
    # spec with this dataset's new values (a fixed name: a content-named dataset would change
    # the spec too).
    if date is not None:
        layers.append(
            alt.Chart(alt.Data(name=DATE_RULE))
            .mark_rect(fill=None, stroke="#111111", strokeWidth=2)
            .encode(x="start:T", x2="end:T", tooltip=alt.Tooltip("label:N", title=" "))
        )
    rule = []
    if date is not None:
        monday = pd.Timestamp(date) - pd.Timedelta(days=pd.Timestamp(date).weekday())
        end = monday + pd.Timedelta(days=7)
        label = T("chart_date_shown")
        rule = [{"start": f"{monday:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}", "label": label}]
    chart = alt.layer(*layers).properties(height=220, datasets={DATE_RULE: rule})
    st.altair_chart(
        chart,
        width="stretch",
        key="weekly_chart",
        on_select=functools.partial(brushed, bounds),
        selection_mode="brush",
    )
    st.caption(T("chart_brush_hint"))


def brushed(bounds) -> None:
    """The chart was dragged across: its span becomes the view's date range (whole days, kept
    inside the data); a click that clears the brush changes nothing."""
    from dashboard.page.sidebar import set_range

    state = session.value("weekly_chart") or {}
    span = ((state.get("selection") or {}).get("brush") or {}).get("week")
    if not span or len(span) != 2:
        return
    try:
        lo, hi = sorted(
            pd.Timestamp(v, unit="ms") if isinstance(v, int | float) else pd.Timestamp(v)
            for v in span
        )
    except (TypeError, ValueError):
        return
    first, last = lo.date(), (hi + pd.Timedelta(days=6)).date()  # a bar is its week
    if bounds is not None:
        first, last = max(first, bounds[0]), min(last, bounds[1])
    if first <= last:
        set_range(first, last)


def events_table(view, date, lang: str, T) -> None:
    """The newest events in the window (up to the chosen number of rows; the download has all
    of them, made when clicked)."""
    limit = session.value("table_rows", TABLE_ROWS[0])
    shown, active = view.head(limit, [*TABLE_COLUMNS, *EXTRA_TABLE_COLUMNS, DATE_CODE])
    columns = dict(TABLE_COLUMNS)
    for col, label in EXTRA_TABLE_COLUMNS.items():
        if col in shown and any(v == v and v not in ("", None) for v in shown[col].tolist()):
            columns[col] = label  # NaN != NaN: a column of unknowns stays out
    words = {  # codes shown as words in the page's language
        "place_code": lambda c: precision_words("place", c, lang),
        "category": lambda k: category_name(k, lang),
        "dataset": lambda d: dataset_label(str(d), lang),
        "oblast_code": lambda c: oblast_title(c, lang) if c in FIVE_OBLASTS else c,
    }

    def rows_of(frame: pd.DataFrame, flags) -> pd.DataFrame:
        table = {}
        for col, label in columns.items():
            values = frame[col]
            if col == "verification":  # never "confirmed" alone over a disputed date
                triples = list(
                    zip(values.tolist(), frame["date_precision"], frame["claimed_by"], strict=True)
                )
                named = {t: verification_text(*t, lang) for t in dict.fromkeys(triples)}
                values = [named[t] for t in triples]
            elif col == "date_precision":  # the coder's own code when the row has one
                codes = frame[DATE_CODE] if DATE_CODE in frame else [""] * len(frame)
                pairs = list(zip(values.tolist(), list(codes), strict=True))
                named = {p: date_precision_text(*p, lang) for p in dict.fromkeys(pairs)}
                values = [named[p] for p in pairs]
            elif col in words:  # each distinct code translated once
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
            data=lambda: safe_csv_bytes(events_export(view.shown, view.active_flags, lang)),
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


def dismiss_notices() -> None:
    session.apply_page(transitions.dismiss_notices)


def notices(T) -> None:
    items = session.page_state().notices
    if not items:
        return
    with st.container(key="link_notices"):
        st.warning(T("link_notice", items="; ".join(md_escape(x) for x in items)))
        st.button(T("dismiss"), key="dismiss_notices", on_click=dismiss_notices)
