"""The per-date index gives exactly what the plain pandas definitions in timeline.py give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.config import EVENTS_CSV, START
from dashboard.ingest.events import load_events
from dashboard.query.index import MAX_PLACES, EventIndex
from dashboard.query.view import Filters, IndexCache, apply_filters, index_for, max_window_count
from tests.oracle import active_on, counted, counts_by_oblast, in_window
from tests.synth import acled_events

DATES = ["2022-02-24", "2022-05-01", "2022-09-23", "2022-09-30", "2022-11-14"]


@pytest.fixture(scope="module")
def bundled(regions):
    return load_events(EVENTS_CSV, regions).events


@pytest.mark.parametrize("window", [None, 1, 7, 30])
@pytest.mark.parametrize("day", DATES)
def test_window_counts_and_under_way_match_timeline(bundled, day, window):
    index = EventIndex.build(bundled)
    sel = index.select(day, window)
    expected = bundled[in_window(bundled, day, window)]
    got = bundled.iloc[index.rows[sel.positions()]]
    assert sorted(got.index) == sorted(expected.index)
    # newest first, ties in file order (as the table shows them)
    assert got[START].is_monotonic_decreasing
    flags = pd.Series(index.active(sel, day), index=got.index)
    want = active_on(expected, day) & counted(expected)
    assert flags.equals(want.reindex(got.index))
    counts = index.counts(sel)
    reference = counts_by_oblast(bundled, day, window)
    assert counts[reference.columns].equals(reference)


@pytest.mark.parametrize("window", [None, 7, 30])
def test_class_break_maximum_is_the_largest_count_on_any_date(bundled, window):
    days = pd.date_range(bundled[START].min(), bundled["last_date"].max())
    brute = max(int(counts_by_oblast(bundled, day, window)["total"].max()) for day in days)
    assert max_window_count(bundled, window) == brute


def test_filters_index_without_copying_the_frame(bundled):
    filters = Filters(categories=("combat",))
    index = index_for(bundled, filters)
    assert index.events is bundled
    assert sorted(index.frame.index) == sorted(apply_filters(bundled, filters).index)


def test_index_cache_builds_once_per_data_and_filters_and_drops_the_oldest(bundled):
    cache = IndexCache(size=2)
    first = cache.get(bundled, ("bundled",), Filters())
    assert cache.get(bundled, ("bundled",), Filters()) is first
    combat = cache.get(bundled, ("bundled",), Filters(categories=("combat",)))
    assert combat is not first and cache.builds == 2
    cache.get(bundled, ("bundled",), Filters(query="Kherson"))  # third key: the oldest goes
    assert cache.builds == 3
    assert cache.get(bundled, ("bundled",), Filters(categories=("combat",))) is combat
    assert cache.get(bundled, ("bundled",), Filters()) is not first and cache.builds == 4
    # the same key over another frame (a reloaded file) is rebuilt, not served stale
    assert cache.get(bundled.copy(), ("bundled",), Filters()).events is not bundled


def test_a_large_selection_is_clustered_and_every_event_counted(regions):
    events = load_events(acled_events(20_000, seed=2, regions=regions).to_csv(index=False).encode(),
                         regions).events  # fmt: skip
    index = EventIndex.build(events)
    sel = index.select("2024-12-31", None)
    level, ids, used, drawn = index.choose_level(sel, show_outside=False)
    assert level.step is not None and np.count_nonzero(used) <= MAX_PLACES
    assert used.sum() == drawn.sum() == len(events)
    groups = np.flatnonzero(used)
    newest = index.newest_in_groups(level, groups, sel, 3)
    for g, got in zip(groups[:20], newest[:20], strict=False):
        mine = np.flatnonzero(level.ids == g)  # positions are newest first
        assert list(got) == list(mine[:3])
