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
