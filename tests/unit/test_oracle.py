"""Windows, active events and per-oblast counts, on tiny frames with known answers."""

import pandas as pd
import pytest

from dashboard.ingest.events import load_events
from tests.builders import csv_bytes, rows_with_ids
from tests.oracle import (
    active_oblasts,
    counts_by_oblast,
    in_window,
    weekly_counts,
    window_start,
)


@pytest.fixture
def events(regions):
    records = rows_with_ids(
        {"start_date": "2022-09-01", "category": "combat", "oblast": "UA-63"},
        {"start_date": "2022-09-10", "category": "liberation", "oblast": "UA-63"},
        {"start_date": "2022-09-23", "end_date": "2022-09-27", "oblast": "UA-65"},
        {"start_date": "2022-09-23", "end_date": "2022-09-27", "oblast": "UA-23"},
        {"start_date": "2022-09-11", "verification": "not_held", "oblast": "UA-65"},
        {
            "start_date": "2022-09-21",
            "scope": "international",
            "oblast": "",
            "category": "statement",
        },
    )
    return load_events(csv_bytes(records), regions).events


def test_window_bounds():
    assert window_start("2022-09-10", 7) == pd.Timestamp("2022-09-04")
    assert window_start("2022-09-10", 1) == pd.Timestamp("2022-09-10")
    assert window_start("2022-09-10", None) is None
    with pytest.raises(ValueError):
        window_start("2022-09-10", 0)


@pytest.mark.parametrize(
    ("date", "window", "expected_kharkiv"),
    [
        ("2022-08-31", None, 0),  # before anything
        ("2022-09-01", None, 1),  # start day is included
        ("2022-09-10", None, 2),
        ("2022-09-10", 1, 1),  # only that day
        ("2022-09-10", 10, 2),  # 1 Sep is the first day of a 10-day window ending 10 Sep
        ("2022-09-10", 9, 1),  # ... and just outside a 9-day window
        ("2022-12-31", None, 2),
    ],
)
def test_window_edges(events, date, window, expected_kharkiv):
    assert counts_by_oblast(events, date, window).loc["UA-63", "total"] == expected_kharkiv


def test_span_event_counts_while_it_overlaps_the_window(events):
    # voting 23-27 Sep: in a 3-day window ending 29 Sep (27-29), not in one ending 30 Sep (28-30)
    assert counts_by_oblast(events, "2022-09-29", 3).loc["UA-65", "referendum"] == 1
    assert counts_by_oblast(events, "2022-09-30", 3).loc["UA-65", "referendum"] == 0


def test_active_on_each_day_of_the_span(events):
    for day in pd.date_range("2022-09-23", "2022-09-27"):
        assert active_oblasts(events, day, "referendum") == ["UA-65", "UA-23"]
    assert active_oblasts(events, "2022-09-22", "referendum") == []
    assert active_oblasts(events, "2022-09-28", "referendum") == []


def test_plans_not_held_are_never_counted_or_active(events):
    assert counts_by_oblast(events, "2022-09-11", 1).loc["UA-65", "total"] == 0
    assert active_oblasts(events, "2022-09-11") == []


def test_counts_table_has_all_oblasts_and_the_categories_in_the_data(events):
    table = counts_by_oblast(events, "2022-09-01", 1)
    assert list(table.index) == ["UA-65", "UA-23", "UA-14", "UA-09", "UA-63"]
    assert list(table.columns) == [
        "liberation",
        "combat",
        "referendum",
        "statement",
        "total",
        "fatalities",
    ]
    assert table["total"].sum() == 1
    assert table["fatalities"].sum() == 0  # the native table carries no fatality figures


def test_empty_day_gives_zeros(events):
    assert counts_by_oblast(events, "2022-09-15", 1)["total"].sum() == 0
    assert not in_window(events, "2022-09-15", 1).any()


def test_weekly_counts_include_international_events(events):
    weekly = weekly_counts(events)
    assert weekly.loc[pd.Timestamp("2022-09-19"), "statement"] == 1  # Wed 21 Sep -> week of Mon 19
    assert weekly.loc[pd.Timestamp("2022-09-19"), "referendum"] == 2
    assert weekly.to_numpy().sum() == 5  # the not-held plan is not counted
