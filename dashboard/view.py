"""What the page shows for one state (date, window, filters). Plain Python, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.config import (
    CATEGORY,
    DESCRIPTION,
    FATALITIES,
    FIVE_OBLASTS,
    IN_FIVE,
    PLACED_OBLAST,
    START,
    TITLE,
)
from dashboard.events import LAST
from dashboard.palette import class_breaks
from dashboard.timeline import (
    METRIC_COLUMN,
    TOTAL,
    active_on,
    counted,
    counts_by_oblast,
    in_window,
)

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
    metric: str = "events"  # what colours the oblasts: "events" or "fatalities"

    @property
    def metric_column(self) -> str:
        """Column of ``counts`` the choropleth is coloured by."""
        return METRIC_COLUMN[self.metric]


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


def max_window_count(
    events: pd.DataFrame, window_days: int | None, weights: str | None = None
) -> int:
    """Largest per-oblast count (or sum of ``weights``) over every date of the data, for this
    window length. Class breaks built on it stay fixed while the slider moves, so colours
    compare across dates."""
    keep = (counted(events) & events[PLACED_OBLAST].isin(FIVE_OBLASTS)).to_numpy()
    if not keep.any():
        return 0
    # Plain arrays: sorting whole frames per step would copy every column.
    codes = events[PLACED_OBLAST].to_numpy()[keep]
    starts = events[START].to_numpy()[keep]
    lasts = events[LAST].to_numpy()[keep]
    w = events[weights].fillna(0).to_numpy(dtype=float)[keep] if weights else np.ones(len(codes))
    if window_days is None:
        return int(max(w[codes == code].sum() for code in FIVE_OBLASTS))
    days = np.arange(starts.min(), lasts.max() + np.timedelta64(1, "D"), np.timedelta64(1, "D"))
    first = days - np.timedelta64(window_days - 1, "D")
    best = 0.0
    for code in FIVE_OBLASTS:
        mine = codes == code
        if not mine.any():
            continue
        by_start = np.argsort(starts[mine], kind="stable")
        by_last = np.argsort(lasts[mine], kind="stable")
        started = np.concatenate([[0.0], np.cumsum(w[mine][by_start])])
        over = np.concatenate([[0.0], np.cumsum(w[mine][by_last])])
        # weight started by the window's end, minus weight over before the window's first day
        i = np.searchsorted(starts[mine][by_start], days, side="right")
        j = np.searchsorted(lasts[mine][by_last], first, side="left")
        best = max(best, float((started[i] - over[j]).max()))
    return int(round(best))


def build_view(
    events: pd.DataFrame,
    date,
    window_days: int | None,
    filters: Filters,
    breaks=None,
    metric: str = "events",
) -> View:
    """Filter, window and count: the cheap per-step work."""
    day = pd.Timestamp(date).normalize()
    filtered = apply_filters(events, filters)
    shown = filtered[in_window(filtered, day, window_days)]
    shown = shown.sort_values(START, ascending=False, kind="stable")
    active = active_on(shown, day) & counted(shown)
    counts = counts_by_oblast(filtered, day, window_days)
    if breaks is None:
        breaks = breaks_for(filtered, window_days, metric)
    return View(day, window_days, shown, counts, active, breaks, metric)


def breaks_for(filtered: pd.DataFrame, window_days: int | None, metric: str) -> list[int]:
    """Class breaks for already-filtered events: the same for every date (cache them)."""
    weights = FATALITIES if metric == "fatalities" and FATALITIES in filtered else None
    return class_breaks(max_window_count(filtered, window_days, weights))


def has_fatalities(events: pd.DataFrame) -> bool:
    """True when any event carries a fatality figure (ACLED, UCDP or a native column)."""
    return FATALITIES in events and bool(events[FATALITIES].notna().any())


def oblast_summary(view: View, names: dict[str, str], outside_label: str) -> pd.DataFrame:
    """Per-oblast table beside the map: events in window, under way on the date, fatalities
    (when known), and one row for everything outside the five oblasts."""
    under_way = view.shown.loc[view.active, PLACED_OBLAST].value_counts()
    outside = view.shown[~view.shown[IN_FIVE] & counted(view.shown)]
    table = pd.DataFrame(
        {
            "Oblast": [names[c] for c in FIVE_OBLASTS] + [outside_label],
            "Events": [int(view.counts.loc[c, TOTAL]) for c in FIVE_OBLASTS] + [len(outside)],
            "Under way": [int(under_way.get(c, 0)) for c in FIVE_OBLASTS]
            + [int(view.active.reindex(outside.index).sum())],
        },
        index=[*FIVE_OBLASTS, OUTSIDE],
    )
    if has_fatalities(view.shown):
        deaths = [int(view.counts.loc[c, FATALITIES]) for c in FIVE_OBLASTS]
        table["Fatalities"] = [*deaths, int(outside[FATALITIES].fillna(0).sum())]
    return table
