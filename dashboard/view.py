"""What the page shows for one state (date, window, filters). Plain Python, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.config import (
    CATEGORY,
    DESCRIPTION,
    FIVE_OBLASTS,
    IN_FIVE,
    PLACED_OBLAST,
    START,
    TITLE,
)
from dashboard.events import LAST
from dashboard.palette import class_breaks
from dashboard.timeline import TOTAL, active_on, counted, counts_by_oblast, in_window

OUTSIDE = "outside"  # filter option: events in none of the five oblasts (incl. national)
WINDOW_CHOICES = (None, 7, 30, 90)  # None = cumulative


@dataclass(frozen=True)
class Filters:
    """Category, oblast (ISO codes and/or OUTSIDE) and free-text filters; empty = no filter."""

    categories: tuple[str, ...] = ()
    oblasts: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class View:
    """Everything drawn for one state."""

    date: pd.Timestamp
    window_days: int | None
    shown: pd.DataFrame  # filtered events in the window, newest first
    counts: pd.DataFrame  # five oblasts x categories (+ total)
    active: pd.Series  # mask over `shown`: under way on the date (and counted)
    breaks: list[int] = field(default_factory=list)


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Events matching every non-empty filter."""
    mask = pd.Series(True, index=events.index)
    if filters.categories:
        mask &= events[CATEGORY].isin(filters.categories)
    if filters.oblasts:
        wanted = events[PLACED_OBLAST].isin(filters.oblasts)
        if OUTSIDE in filters.oblasts:
            wanted |= ~events[IN_FIVE]
        mask &= wanted
    query = filters.query.strip()
    if query:
        text = events[TITLE].str.cat(events[DESCRIPTION], sep=" ")
        mask &= text.str.contains(query, case=False, regex=False)
    return events[mask]


def max_window_count(events: pd.DataFrame, window_days: int | None) -> int:
    """Largest per-oblast count over every date of the data, for this window length.

    Class breaks built on it stay fixed while the slider moves, so colours compare across dates.
    """
    sel = events[counted(events) & events[PLACED_OBLAST].isin(FIVE_OBLASTS)]
    if sel.empty:
        return 0
    if window_days is None:
        return int(sel[PLACED_OBLAST].value_counts().max())
    days = pd.date_range(sel[START].min(), sel[LAST].max(), freq="D").to_numpy()
    best = 0
    for _, group in sel.groupby(PLACED_OBLAST):
        starts = np.sort(group[START].to_numpy())
        lasts = np.sort(group[LAST].to_numpy())
        first = days - np.timedelta64(window_days - 1, "D")
        # started by the window's end, minus those over before the window's first day
        n = np.searchsorted(starts, days, side="right") - np.searchsorted(lasts, first, side="left")
        best = max(best, int(n.max()))
    return best


def build_view(
    events: pd.DataFrame, date, window_days: int | None, filters: Filters, breaks=None
) -> View:
    """Filter, window and count: the cheap per-step work."""
    day = pd.Timestamp(date).normalize()
    filtered = apply_filters(events, filters)
    shown = filtered[in_window(filtered, day, window_days)]
    shown = shown.sort_values(START, ascending=False, kind="stable")
    active = active_on(shown, day) & counted(shown)
    counts = counts_by_oblast(filtered, day, window_days)
    if breaks is None:
        breaks = class_breaks(max_window_count(filtered, window_days))
    return View(day, window_days, shown, counts, active, breaks)


def oblast_summary(view: View, names: dict[str, str]) -> pd.DataFrame:
    """Per-oblast table beside the map: name, events in window, under way on the date."""
    under_way = view.shown.loc[view.active, PLACED_OBLAST].value_counts()
    return pd.DataFrame(
        {
            "Oblast": [names[c] for c in FIVE_OBLASTS],
            "Events": [int(view.counts.loc[c, TOTAL]) for c in FIVE_OBLASTS],
            "Under way": [int(under_way.get(c, 0)) for c in FIVE_OBLASTS],
        },
        index=list(FIVE_OBLASTS),
    )
