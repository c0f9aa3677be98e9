"""What the page shows for one state (date, window, filters). Plain Python, no Streamlit."""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.config import (
    ALL_CATEGORIES,
    CATEGORY,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    FIVE_OBLASTS,
    START,
)
from dashboard.ingest.events import LAST
from dashboard.query.filters import Filters, filter_mask
from dashboard.query.index import METRIC_COLUMN, TOTAL, EventIndex, Selection
from dashboard.state.choices import OUTSIDE

__all__ = ["Filters", "filter_mask"]  # their home is query.filters; most callers import here

CLASSES = 5  # count classes of the choropleth (scene.palette has a colour for each)


def class_breaks(max_count: int, classes: int = CLASSES) -> list[int]:
    """Upper bounds of up to ``classes`` equal-width integer classes covering 1..max_count."""
    if max_count <= 0:
        return [1]
    width = max(1, math.ceil(max_count / classes))
    uppers = sorted({min(max_count, width * (i + 1)) for i in range(classes)})
    return uppers


def categories_in(events: pd.DataFrame) -> list[str]:
    """Category keys present in the events, in the documented order (unknown ones last)."""
    present = set(events[CATEGORY].unique())
    known = [c for c in ALL_CATEGORIES if c in present]
    return known + sorted(present - set(known))


class View:
    """Everything drawn for one state. ``shown`` (a frame) is made only when read; the page
    reads ``head`` and the arrays of ``index`` instead, which stay cheap at 1M events."""

    def __init__(
        self,
        date: pd.Timestamp,
        window_days: int | None,
        index: EventIndex,
        selection: Selection,
        counts: pd.DataFrame,
        active_flags: np.ndarray,
        breaks: list[int],
        metric: str = "events",
    ) -> None:
        self.date = date
        self.window_days = window_days
        self.index = index
        self.selection = selection
        self.counts = counts  # five oblasts x categories (+ total, fatalities)
        self.active_flags = active_flags  # per selected event: under way on the date
        self.breaks = breaks
        self.metric = metric  # what colours the oblasts: "events" or "fatalities"

    def __len__(self) -> int:
        return len(self.selection)

    @cached_property
    def shown(self) -> pd.DataFrame:
        """Filtered events in the window, newest first."""
        return self.index.take(self.selection.positions())

    @cached_property
    def active(self) -> pd.Series:
        """Mask over ``shown``: under way on the date (and counted)."""
        return pd.Series(self.active_flags, index=self.shown.index)

    def head(self, n: int, columns: list[str] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
        """The newest ``n`` events in the window (only ``columns``, if given), and their
        'under way' flags."""
        positions = self.selection.head(n)
        return self.index.take(positions, columns), self.active_flags[: len(positions)]

    @property
    def metric_column(self) -> str:
        """Column of ``counts`` the choropleth is coloured by."""
        return METRIC_COLUMN[self.metric]


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Events matching every non-empty filter."""
    mask = filter_mask(events, filters)
    return events if mask is None else events[mask]


def index_for(events: pd.DataFrame, filters: Filters) -> EventIndex:
    """The per-date index of the events matching ``filters`` (the frame is not copied)."""
    return EventIndex.build(events, filter_mask(events, filters))


class IndexCache:
    """Per-date indexes by (data key, filters), shared by every session and thread; the least
    recently used is dropped first. It lives in a module, not in the page script, whose globals
    Streamlit resets on every full run."""

    def __init__(self, size: int = 6) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many indexes were built (read by the tests)

    def get(self, events: pd.DataFrame, data_key: tuple, filters: Filters) -> EventIndex:
        key = (data_key, filters)
        with self._lock:
            index = self._items.get(key)
            if index is not None and index.events is events:
                self._items.move_to_end(key)
                return index
        index = index_for(events, filters)
        with self._lock:
            self.builds += 1
            self._items[key] = index
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return index


@dataclass(frozen=True)
class DataFacts:
    first: pd.Timestamp  # earliest start
    last: pd.Timestamp  # latest last day
    groups: int  # distinct events (group ids)


_FACTS: OrderedDict = OrderedDict()  # id(frame) -> (weak reference, DataFacts)


def data_facts(events: pd.DataFrame) -> DataFacts:
    """First and last date and the number of distinct events, computed once per frame (the
    page asks on every step; at 1M rows each is a scan)."""
    got = _FACTS.get(id(events))
    if got is not None and got[0]() is events:
        return got[1]
    facts = DataFacts(events[START].min(), events[LAST].max(), int(events["group_id"].nunique()))
    _FACTS[id(events)] = (weakref.ref(events), facts)
    while len(_FACTS) > 16:
        _FACTS.popitem(last=False)
    return facts


def max_window_count(
    events: pd.DataFrame, window_days: int | None, weights: str | None = None
) -> int:
    """Largest per-oblast count (or sum of ``weights``) over every date of the data, for this
    window length. Class breaks built on it stay fixed while the slider moves, so colours
    compare across dates."""
    if weights not in (None, FATALITIES):
        raise ValueError(f"weights must be None or {FATALITIES!r}")
    return EventIndex.build(events).max_window_count(window_days, weighted=weights is not None)


def build_view(
    events: pd.DataFrame,
    date,
    window_days: int | None,
    filters: Filters,
    breaks=None,
    metric: str = "events",
    index: EventIndex | None = None,
) -> View:
    """Window and count: the cheap per-step work. ``index`` is ``EventIndex.build`` of the
    filtered events (the page caches it); without it, it is built here."""
    day = pd.Timestamp(date).normalize()
    if index is None:
        index = index_for(events, filters)
    sel = index.select(day, window_days)
    active = index.active(sel, day)
    counts = index.counts(sel)
    if breaks is None:
        breaks = breaks_for_index(index, window_days, metric)
    return View(day, window_days, index, sel, counts, active, breaks, metric)


def breaks_for(filtered: pd.DataFrame, window_days: int | None, metric: str) -> list[int]:
    """Class breaks for already-filtered events: the same for every date (cache them)."""
    weights = FATALITIES if metric == "fatalities" and FATALITIES in filtered else None
    return class_breaks(max_window_count(filtered, window_days, weights))


def breaks_for_index(index: EventIndex, window_days: int | None, metric: str) -> list[int]:
    """``breaks_for`` from an index (no frame copies)."""
    weighted = metric == "fatalities" and FATALITIES in index.events
    return class_breaks(index.max_window_count(window_days, weighted))


def breaks_for_range(index: EventIndex, first, last, metric: str) -> list[int]:
    """Class breaks for a from-to range: the oblasts' counts over the whole range are the most
    any date inside it shows (the map counts from the range's first day to the date)."""
    days = (pd.Timestamp(last).normalize() - pd.Timestamp(first).normalize()).days + 1
    counts = index.counts(index.select(pd.Timestamp(last), max(1, days)))
    column = METRIC_COLUMN[
        "fatalities" if metric == "fatalities" and index.has_fatalities else "events"
    ]
    return class_breaks(int(counts[column].max()))


def has_fatalities(events: pd.DataFrame) -> bool:
    """True when any event carries a fatality figure (ACLED, UCDP or a native column)."""
    return FATALITIES in events and bool(events[FATALITIES].notna().any())


def oblast_summary(view: View, names: dict[str, str], outside_label: str) -> pd.DataFrame:
    """Per-oblast table beside the map: events in window, under way on the date, fatalities
    (when known), and one row for everything outside the five oblasts."""
    index, sel = view.index, view.selection
    counted = sel.take(index.counted)
    oblast = sel.take(index.oblast).astype(np.int64)
    outside = ~sel.take(index.in_five) & counted
    under_way = np.bincount(oblast[view.active_flags & (oblast >= 0)], minlength=5)
    table = pd.DataFrame(
        {
            "Oblast": [names[c] for c in FIVE_OBLASTS] + [outside_label],
            "Events": [int(view.counts.loc[c, TOTAL]) for c in FIVE_OBLASTS] + [int(outside.sum())],
            "Under way": [int(n) for n in under_way] + [int((view.active_flags & outside).sum())],
        },
        index=[*FIVE_OBLASTS, OUTSIDE],
    )
    if index.has_fatalities:
        deaths = [int(view.counts.loc[c, FATALITIES]) for c in FIVE_OBLASTS]
        table["Fatalities"] = [*deaths, int(round(sel.take(index.fatalities)[outside].sum()))]
        estimates = index.fatality_range()
        if estimates is not None:  # UCDP's low and high estimates, as "low–high"
            low, high = (
                [int(view.counts.loc[c, col]) for c in FIVE_OBLASTS]
                + [int(round(sel.take(values)[outside].sum()))]
                for col, values in zip((FATALITIES_LOW, FATALITIES_HIGH), estimates, strict=True)
            )
            table["Low–high"] = [f"{a:,}–{b:,}" for a, b in zip(low, high, strict=True)]
    return table
