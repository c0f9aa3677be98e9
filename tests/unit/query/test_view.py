"""The events in view for a date (dashboard/query/view.py): filters and class breaks."""

import pytest

from dashboard.ingest.events import load_events
from dashboard.query.view import (
    OUTSIDE,
    Filters,
    apply_filters,
    class_breaks,
    max_window_count,
)
from tests.builders import csv_bytes, rows_with_ids

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.mark.parametrize(
    ("max_count", "breaks"), [(0, [1]), (1, [1]), (3, [1, 2, 3]), (23, [5, 10, 15, 20, 23])]
)
def test_class_breaks(max_count, breaks):
    assert class_breaks(max_count) == breaks


def test_filters_and_fixed_breaks(regions):
    records = rows_with_ids(
        {"oblast": "UA-63", "category": "combat", "title": "Izium shelled"},
        {"oblast": "UA-63", "category": "liberation", "start_date": "2022-09-24"},
        {"oblast": "", "scope": "national", "category": "statement"},
    )
    events = load_events(csv_bytes(records), regions).events
    assert len(apply_filters(events, Filters(categories=("combat",)))) == 1
    assert len(apply_filters(events, Filters(oblasts=(OUTSIDE,)))) == 1
    assert len(apply_filters(events, Filters(query="izium"))) == 1
    assert max_window_count(events, None) == 2
    assert max_window_count(events, 1) == 1
    assert max_window_count(events, 2) == 2


def test_ucdp_low_high_estimates_are_summed_only_where_they_hold_the_best_one(regions):
    """Issue 16: fatalities best, low–high; UCDP publishes 31 ranges that do not hold their
    best estimate (id 448455: best 5,294, high 0), which count their best estimate instead."""
    from dashboard.config import FIVE_OBLASTS, UCDP_CSV
    from dashboard.ingest.events import load_events
    from dashboard.query.view import build_view, oblast_summary

    events = load_events(UCDP_CSV, regions).events
    view = build_view(events, "2022-09-30", 30, Filters(), metric="fatalities")
    table = oblast_summary(view, {c: c for c in FIVE_OBLASTS}, "outside")
    for row in table.itertuples():
        low, high = (int(x.replace(",", "")) for x in row._5.split("–"))
        assert low <= row.Fatalities <= high, row.Index
    odd = events[events["id"] == "448455"].iloc[0]
    assert (odd["fatalities"], odd["fatalities_high"]) == (5294, 0)  # kept as published
