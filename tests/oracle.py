"""The pandas oracle: per-date windows, active events and counts written the plain way.

The page counts through ``dashboard.query.index.EventIndex``; these slow, obvious versions are
what its tests check it against.

A window of N days ending on date D covers D-(N-1) .. D inclusive; ``window_days=None`` means
cumulative (everything that started on or before D). An event with an end date is active on
every day from start to end; it falls in a window when its span overlaps the window.
Events marked ``not_held`` (plans that did not happen) are listed, but never counted.
"""

from __future__ import annotations

import pandas as pd

from dashboard.config import (
    CATEGORY,
    FATALITIES,
    FIVE_OBLASTS,
    PLACED_OBLAST,
    START,
    VERIFICATION,
)
from dashboard.ingest.events import LAST
from dashboard.query.index import TOTAL
from dashboard.query.view import categories_in  # noqa: E402,F401 (one definition)


def as_day(date) -> pd.Timestamp:
    """Normalise a date-like value to midnight (naive, days)."""
    return pd.Timestamp(date).normalize()


def window_start(date, window_days: int | None) -> pd.Timestamp | None:
    """First day of a window of ``window_days`` days ending on ``date`` (None = cumulative)."""
    if window_days is None:
        return None
    if window_days < 1:
        raise ValueError("window_days must be at least 1")
    return as_day(date) - pd.Timedelta(days=window_days - 1)


def in_window(events: pd.DataFrame, date, window_days: int | None = None) -> pd.Series:
    """Mask of events whose span overlaps the window ending on ``date``."""
    day = as_day(date)
    mask = events[START] <= day
    first = window_start(day, window_days)
    if first is not None:
        mask &= events[LAST] >= first
    return mask


def active_on(events: pd.DataFrame, date) -> pd.Series:
    """Mask of events under way on ``date`` (start <= date <= end, or start == date)."""
    day = as_day(date)
    return (events[START] <= day) & (events[LAST] >= day)


def counted(events: pd.DataFrame) -> pd.Series:
    """Mask of events that count (everything but plans that were not held)."""
    return events[VERIFICATION] != "not_held"


def counts_by_oblast(events: pd.DataFrame, date, window_days: int | None = None) -> pd.DataFrame:
    """Per oblast (rows: the five ISO codes): events per category present in ``events``,
    'total', and 'fatalities' (sum of known figures; 0 where none are known)."""
    sel = events[in_window(events, date, window_days) & counted(events)]
    sel = sel[sel[PLACED_OBLAST].isin(FIVE_OBLASTS)]
    table = pd.crosstab(sel[PLACED_OBLAST], sel[CATEGORY])
    table = table.reindex(index=list(FIVE_OBLASTS), columns=categories_in(events), fill_value=0)
    table[TOTAL] = table.sum(axis=1)
    if FATALITIES in sel.columns:
        deaths = sel.groupby(PLACED_OBLAST)[FATALITIES].sum(min_count=1)
        table[FATALITIES] = deaths.reindex(list(FIVE_OBLASTS)).fillna(0)
    else:
        table[FATALITIES] = 0
    return table.astype(int)


def active_oblasts(events: pd.DataFrame, date, category: str | None = None) -> list[str]:
    """The five-oblast codes with an event under way on ``date`` (optionally of one category)."""
    mask = active_on(events, date) & counted(events)
    if category is not None:
        mask &= events[CATEGORY] == category
    codes = set(events.loc[mask, PLACED_OBLAST])
    return [c for c in FIVE_OBLASTS if c in codes]


def weekly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events per ISO week (Monday start) and category, national/international included."""
    sel = events[counted(events)]
    week = sel[START].dt.to_period("W-SUN").dt.start_time
    table = pd.crosstab(week, sel[CATEGORY]).reindex(columns=categories_in(sel), fill_value=0)
    table.index.name = "week"
    return table
