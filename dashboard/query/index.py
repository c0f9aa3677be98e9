"""Per-date lookups that stay fast at a million events. No Streamlit.

``EventIndex`` is built once per data set and filters (the page caches it). It holds the
filtered events sorted newest first, plus plain arrays (days, oblast and category codes,
coordinates, grid cells), so a slider step never copies or sorts a frame:

* the events in a window are one contiguous run of positions (start inside the window) plus
  the few long events that started earlier and are still going (``Selection``);
* counts per oblast and category, and per map cell, are ``numpy.bincount`` over that run;
* the newest events of each map cell come from a per-level ordering made once.

The semantics are those of ``tests.oracle`` (windows, "under way", events not held are
listed but never counted); ``tests/unit/query/test_index.py`` checks them against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.config import (
    ALL_CATEGORIES,
    CATEGORY,
    DATE_CODE,
    DATE_PRECISION,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    FIVE_OBLASTS,
    IN_FIVE,
    LAT,
    LON,
    PLACED_OBLAST,
    START,
    VERIFICATION,
)
from dashboard.ingest.events import LAST
from dashboard.query.filters import column_codes, per_frame

TOTAL = "total"  # the count column of ``counts``
METRIC_COLUMN = {"events": TOTAL, "fatalities": FATALITIES}  # what the choropleth shows
MAX_PLACES = 400  # more distinct places than this in view: events are clustered on a grid
GRID_STEPS = (0.05, 0.1, 0.2, 0.5, 1.0)  # degrees, finest first
EPOCH = np.datetime64("1970-01-01", "D")


def _days(values: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970 (int64); missing dates become a far-future day."""
    out = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    days = (out - EPOCH).astype(np.int64)
    days[np.isnat(out)] = np.iinfo(np.int32).max
    return days


def day_number(date) -> int:
    return int((np.datetime64(pd.Timestamp(date).date(), "D") - EPOCH).astype(np.int64))


@dataclass(frozen=True)
class Selection:
    """Positions (into ``EventIndex.frame``) of the events in one window, newest first:
    ``start:stop`` plus ``extra`` (older long events still under way in the window)."""

    start: int
    stop: int
    extra: np.ndarray

    def __len__(self) -> int:
        return self.stop - self.start + len(self.extra)

    def positions(self) -> np.ndarray:
        run = np.arange(self.start, self.stop, dtype=np.int64)
        return np.concatenate([run, self.extra]) if len(self.extra) else run

    def take(self, values: np.ndarray) -> np.ndarray:
        """``values`` (one per indexed event) for the selected events, in order."""
        run = values[self.start : self.stop]
        return np.concatenate([run, values[self.extra]]) if len(self.extra) else run

    def head(self, n: int) -> np.ndarray:
        """Positions of the newest ``n`` selected events."""
        run = np.arange(self.start, min(self.stop, self.start + n), dtype=np.int64)
        if len(run) < n and len(self.extra):
            return np.concatenate([run, self.extra[: n - len(run)]])
        return run


@dataclass
class Level:
    """Events grouped by place (``step`` None: identical coordinates) or by grid cell."""

    step: float | None
    ids: np.ndarray  # group id per indexed event (-1: no coordinates)
    n: int
    order: np.ndarray  # positions with coordinates, by (group, position)
    keys: np.ndarray  # group * N + position, in the same order (sorted)


def _python_values(column: pd.Series) -> list:
    """A column as a list of Python values (Timestamps for dates; strings through NumPy,
    as iterating an Arrow-backed column goes value by value)."""
    if pd.api.types.is_datetime64_any_dtype(column) or isinstance(
        column.dtype, pd.CategoricalDtype
    ):
        return column.tolist()
    return column.to_numpy().tolist()


@dataclass
class EventIndex:
    events: pd.DataFrame  # all events (not copied)
    rows: np.ndarray  # positions in ``events`` of the filtered ones, newest first (stable)
    start: np.ndarray
    last: np.ndarray
    counted: np.ndarray
    oblast: np.ndarray  # 0..4 for the five oblasts, -1 otherwise (only counted events count)
    category: np.ndarray  # code into ``categories``
    categories: list[str]
    fatalities: np.ndarray  # 0 where unknown
    has_fatalities: bool
    lat: np.ndarray
    lon: np.ndarray
    located: np.ndarray
    in_five: np.ndarray
    long_events: np.ndarray  # positions of events lasting more than a day
    _levels: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    @classmethod
    def build(cls, events: pd.DataFrame, mask: np.ndarray | None = None) -> EventIndex:
        """Index ``events`` (only the rows where ``mask`` is true, if given). The frame is
        referenced, not copied: a 1M-event data set is held once however many filters and
        sessions use it."""
        all_start = _days(events[START])
        rows = np.arange(len(events)) if mask is None else np.flatnonzero(mask)
        rows = rows[np.argsort(-all_start[rows], kind="stable")]
        start = all_start[rows]

        def col(name: str) -> pd.Series:
            return events[name].iloc[rows]

        last = _days(col(LAST)) if len(rows) else np.zeros(0, dtype=np.int64)
        last = np.where(last < start, start, last)
        present = set(col(CATEGORY).astype(str).unique()) if len(rows) else set()
        cats = [c for c in ALL_CATEGORIES if c in present] + sorted(present - set(ALL_CATEGORIES))
        cat_codes = pd.Index(cats, dtype=object).get_indexer(col(CATEGORY).astype(str))
        oblast = pd.Index(FIVE_OBLASTS, dtype=object).get_indexer(col(PLACED_OBLAST).astype(str))
        known = col(FATALITIES) if FATALITIES in events else None
        lat = col(LAT).to_numpy(dtype=float)
        lon = col(LON).to_numpy(dtype=float)
        return cls(
            events=events,
            rows=rows,
            start=start,
            last=last,
            counted=(col(VERIFICATION) != "not_held").to_numpy(dtype=bool),
            oblast=oblast.astype(np.int8),
            category=cat_codes.astype(np.int32),
            categories=cats,
            fatalities=known.fillna(0).to_numpy(dtype=float)
            if known is not None
            else np.zeros(len(rows)),
            has_fatalities=known is not None and bool(known.notna().any()),
            lat=lat,
            lon=lon,
            located=np.isfinite(lat) & np.isfinite(lon),
            in_five=col(IN_FIVE).to_numpy(dtype=bool),
            long_events=np.flatnonzero(last > start).astype(np.int64),
        )

    def take(self, positions: np.ndarray, columns: list[str] | None = None) -> pd.DataFrame:
        """The events at these index positions, as rows of the original frame (only
        ``columns``, those the frame has, if given: a 1M-row frame's other columns are not
        touched)."""
        if columns is None:
            return self.events.iloc[self.rows[positions]]
        have = [self.events.columns.get_loc(c) for c in columns if c in self.events.columns]
        return self.events.iloc[self.rows[positions], have]

    def records(self, positions: np.ndarray, columns: list[str]) -> list[dict]:
        """The events at these positions as dicts of plain Python values (those ``columns``
        the frame has), built column by column."""
        part = self.take(positions, columns)
        names = [str(c) for c in part.columns]  # plain strings: iterating an Index is slow
        values = [_python_values(part[c]) for c in names]
        return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]

    def memo(self, key, make):
        """``make()``, computed once per index (for values that depend on the data only).
        Safe from several threads: a value made twice at once is kept once."""
        got = self._cache.get(key)
        if got is None:
            got = self._cache.setdefault(key, make())
        return got

    @property
    def frame(self) -> pd.DataFrame:
        """All indexed events, newest first (a copy: for small data and tests)."""
        return self.events.iloc[self.rows]

    def column_values(self, name: str) -> list:
        """Distinct values of one column among the indexed events (computed once)."""
        if name not in self.events or not len(self.rows):
            return []

        def make() -> list:
            codes, uniques = column_codes(self.events, name)  # once per frame, not per filter
            return [uniques[c] for c in pd.unique(codes[self.rows]).tolist()]

        return self.memo(("distinct", name), make)

    def distinct_events(self) -> int:
        """Distinct events (group ids) among the indexed rows (computed once)."""

        def make() -> int:
            if "group_id" not in self.events or not len(self.rows):
                return len(self.rows)
            codes, _ = column_codes(self.events, "group_id")
            return int(np.count_nonzero(np.bincount(codes[self.rows])))

        return self.memo("distinct events", make)

    def uncertain_dates(self) -> np.ndarray:
        """Per indexed event, True when its date is not exact (the table's ``date_precision``
        is disputed or approximate, or the coder's date code is above 1); computed once."""

        def whole() -> np.ndarray:  # per frame: every filter's index takes its rows
            out = np.zeros(len(self.events), dtype=bool)
            if DATE_PRECISION in self.events:
                codes, uniques = column_codes(self.events, DATE_PRECISION)
                out |= np.array([u not in ("day", "") for u in uniques], dtype=bool)[codes]
            if DATE_CODE in self.events:
                codes, uniques = column_codes(self.events, DATE_CODE)
                coded = np.array([u != "" for u in uniques], dtype=bool)[codes]
                inexact = np.array([not u.endswith(":1") for u in uniques], dtype=bool)[codes]
                out = np.where(coded, inexact, out)
            return out

        return self.memo(
            "uncertain dates",
            lambda: per_frame(self.events, "uncertain dates", whole)[self.rows],
        )

    def fatality_range(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Per indexed event, the low and high fatality estimates (UCDP's ``low`` and
        ``high``; an event without them, or whose range does not hold its best estimate,
        counts its best estimate for both), or None when no event has a range. Computed
        once."""

        def make():
            if FATALITIES_LOW not in self.events or FATALITIES_HIGH not in self.events:
                return ()
            low = self.events[FATALITIES_LOW].to_numpy(dtype=float)[self.rows]
            high = self.events[FATALITIES_HIGH].to_numpy(dtype=float)[self.rows]
            if np.isnan(low).all() and np.isnan(high).all():
                return ()
            # A range that does not hold the best estimate (31 records of the UCDP file, e.g.
            # best 5,294 with high 0) is not summed: the best estimate stands for both bounds.
            best = self.fatalities
            usable = ~np.isnan(low) & ~np.isnan(high) & (low <= best) & (best <= high)
            return np.where(usable, low, best), np.where(usable, high, best)

        got = self.memo("fatality range", make)
        return got or None

    def claims(self) -> np.ndarray:
        """Per indexed event, True when it is one side's claim (``verification=claimed``)."""

        def make() -> np.ndarray:
            if VERIFICATION not in self.events:
                return np.zeros(len(self.rows), dtype=bool)
            codes, uniques = column_codes(self.events, VERIFICATION)
            return np.array([u == "claimed" for u in uniques], dtype=bool)[codes[self.rows]]

        return self.memo("claims", make)

    def __len__(self) -> int:
        return len(self.start)

    # --- windows --------------------------------------------------------------------------

    def select(self, date, window_days: int | None) -> Selection:
        """The events whose span overlaps the window of ``window_days`` ending on ``date``
        (None: everything started by then)."""
        day = day_number(date)
        # start is descending: the first position with start <= day ...
        first = int(np.searchsorted(-self.start, -day, side="left"))
        if window_days is None:
            return Selection(first, len(self), np.zeros(0, dtype=np.int64))
        lo = day - (window_days - 1)
        # ... and the first position with start < lo
        stop = int(np.searchsorted(-self.start, -lo, side="right"))
        older = self.long_events[self.long_events >= stop]
        extra = older[self.last[older] >= lo]
        return Selection(first, stop, extra)

    def active(self, sel: Selection, date) -> np.ndarray:
        """Per selected event: under way on ``date`` and counted."""
        day = day_number(date)
        return (sel.take(self.last) >= day) & sel.take(self.counted)

    def counts(self, sel: Selection) -> pd.DataFrame:
        """Per oblast of the five: events per category, total and fatalities in ``sel``."""
        oblast = sel.take(self.oblast).astype(np.int64)
        keep = (oblast >= 0) & sel.take(self.counted)
        oblast = oblast[keep]
        ncat = max(len(self.categories), 1)
        cat = sel.take(self.category)[keep].astype(np.int64)
        table = np.bincount(oblast * ncat + cat, minlength=5 * ncat).reshape(5, ncat)
        frame = pd.DataFrame(
            table[:, : len(self.categories)], index=list(FIVE_OBLASTS), columns=self.categories
        )
        frame[TOTAL] = table.sum(axis=1)
        deaths = np.bincount(oblast, weights=sel.take(self.fatalities)[keep], minlength=5)
        frame[FATALITIES] = np.rint(deaths).astype(np.int64)
        estimates = self.fatality_range()
        if estimates is not None:  # UCDP: the low and high estimates beside the best
            for name, values in zip((FATALITIES_LOW, FATALITIES_HIGH), estimates, strict=True):
                summed = np.bincount(oblast, weights=sel.take(values)[keep], minlength=5)
                frame[name] = np.rint(summed).astype(np.int64)
        return frame.astype(int)

    def categories_present(self, sel: Selection) -> list[str]:
        if not len(sel):
            return []
        seen = np.bincount(sel.take(self.category), minlength=len(self.categories)) > 0
        return [c for c, s in zip(self.categories, seen, strict=True) if s]

    # --- map groups -----------------------------------------------------------------------

    def level(self, step: float | None) -> Level:
        """Places (``None``) or grid cells of ``step`` degrees, made once per index."""
        cached = self._levels.get(step)
        if cached is not None:
            return cached
        if step is None:
            a, b = np.round(self.lat, 5), np.round(self.lon, 5)
        else:
            a, b = np.round(self.lat / step), np.round(self.lon / step)
        key = np.where(self.located, a + 1j * b, np.nan)
        ids, uniques = pd.factorize(key, use_na_sentinel=True)
        ids = ids.astype(np.int64)
        ids[~self.located] = -1
        located = np.flatnonzero(ids >= 0)
        order = located[np.argsort(ids[located], kind="stable")]
        keys = ids[order] * len(self) + order
        cached = Level(step, ids, len(uniques), order, keys)
        self._levels[step] = cached
        return cached

    def drawn(self, sel: Selection, show_outside: bool) -> np.ndarray:
        """Mask over the selected events: drawn on the map."""
        mask = sel.take(self.located)
        return mask if show_outside else mask & sel.take(self.in_five)

    def choose_level(self, sel: Selection, show_outside: bool, max_places: int = MAX_PLACES):
        """The finest level whose groups in view number at most ``max_places``."""
        drawn = self.drawn(sel, show_outside)
        for step in (None, *GRID_STEPS):
            level = self.level(step)
            ids = sel.take(level.ids)[drawn]
            used = np.bincount(ids, minlength=level.n) if len(ids) else np.zeros(level.n, int)
            if np.count_nonzero(used) <= max_places or step == GRID_STEPS[-1]:
                return level, ids, used, drawn
        raise AssertionError("unreachable")

    def newest_in_groups(self, level: Level, groups: np.ndarray, sel: Selection, k: int):
        """Per group in ``groups``: positions of its newest ``k`` selected events."""
        n = len(self)
        lo = np.searchsorted(level.keys, groups * n + sel.start, side="left")
        hi = np.searchsorted(level.keys, groups * n + sel.stop, side="left")
        out = []
        extra_ids = level.ids[sel.extra] if len(sel.extra) else None
        for g, a, b in zip(groups.tolist(), lo.tolist(), hi.tolist(), strict=True):
            got = level.order[a : min(b, a + k)]
            if len(got) < k and extra_ids is not None:
                more = sel.extra[extra_ids == g][: k - len(got)]
                got = np.concatenate([got, more])
            out.append(got)
        return out

    def weekly(self) -> pd.DataFrame:
        """Counted events per week (Monday start) and category, for the chart (cached)."""
        if "weekly" not in self._cache:
            keep = self.counted
            days = self.start[keep]
            monday = days - (days + 3) % 7  # 1970-01-01 was a Thursday
            week = EPOCH + monday.astype("timedelta64[D]")
            cats = np.array(self.categories, dtype=object)[self.category[keep]]
            table = pd.crosstab(pd.DatetimeIndex(week).astype("datetime64[ns]"), cats)
            present = [c for c in self.categories if c in table.columns]
            table = table.reindex(columns=present, fill_value=0)
            table.index.name = "week"
            table.columns.name = None
            self._cache["weekly"] = table
        return self._cache["weekly"]

    def max_window_count(self, window_days: int | None, weighted: bool = False) -> int:
        """Largest per-oblast count (or fatalities) over every date, for this window length:
        class breaks built on it stay fixed while the slider moves."""
        keep = self.counted & (self.oblast >= 0)
        if not keep.any():
            return 0
        codes = self.oblast[keep]
        starts, lasts = self.start[keep], self.last[keep]
        w = self.fatalities[keep] if weighted else np.ones(len(codes))
        if window_days is None:
            return int(round(np.bincount(codes, weights=w, minlength=5).max()))
        days = np.arange(starts.min(), lasts.max() + 1)
        first = days - (window_days - 1)
        best = 0.0
        for code in range(5):
            mine = codes == code
            if not mine.any():
                continue
            by_start = np.argsort(starts[mine], kind="stable")
            by_last = np.argsort(lasts[mine], kind="stable")
            started = np.concatenate([[0.0], np.cumsum(w[mine][by_start])])
            over = np.concatenate([[0.0], np.cumsum(w[mine][by_last])])
            i = np.searchsorted(starts[mine][by_start], days, side="right")
            j = np.searchsorted(lasts[mine][by_last], first, side="left")
            best = max(best, float((started[i] - over[j]).max()))
        return int(round(best))
