"""The per-step shortcuts give exactly what the plain computations give: popups formatted once,
records, the tooltips' events under way, data facts, the settled heap."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest

from dashboard.config import EVENTS_CSV, FIVE_OBLASTS, START, TITLE
from dashboard.ingest.events import LAST, load_events, settle_heap
from dashboard.query.index import EventIndex
from dashboard.query.view import data_facts
from dashboard.scene import popups
from tests import maplayers as maps
from tests.oracle import active_on, counted, in_window
from tests.synth import acled_events, native_events


@pytest.fixture(scope="module")
def bundled(regions):
    return load_events(EVENTS_CSV, regions).events


@pytest.fixture(scope="module")
def acled(regions):
    csv = acled_events(5_000, seed=3, regions=regions).to_csv(index=False).encode()
    return load_events(csv, regions).events


def layer(index: EventIndex, day: str, window: int | None) -> maps.MarkersLayer:
    sel = index.select(day, window)
    return maps.markers_from_index(index, sel, index.active(sel, day), lang="uk")


def test_the_popup_cache_is_bounded_and_refills(acled, monkeypatch):
    index = EventIndex.build(acled)
    monkeypatch.setattr(popups, "POPUP_CACHE_SIZE", 50)
    first = layer(index, "2024-06-10", 30).payload
    assert len(index.memo(("popup parts", "uk"), dict)) <= max(50, len(first["e"]))
    assert layer(index, "2024-06-10", 30).payload == first


def test_records_hold_the_frames_values(bundled):
    index = EventIndex.build(bundled)
    positions = np.array([0, 5, 17])
    got = index.records(positions, [TITLE, START, "fatalities", "no such column"])
    frame = bundled.iloc[index.rows[positions]]
    assert [r[TITLE] for r in got] == frame[TITLE].tolist()
    assert [r[START] for r in got] == frame[START].tolist()
    assert all(isinstance(r[TITLE], str) for r in got)
    assert all("no such column" not in r for r in got)


@pytest.mark.parametrize("day", ["2022-03-02", "2022-09-25", "2022-11-11"])
def test_tooltips_list_the_events_under_way_newest_first(bundled, day):
    index = EventIndex.build(bundled)
    sel = index.select(day, 7)
    got = maps.under_way_by_oblast(index, maps._active_positions(sel, index.active(sel, day)))
    shown = bundled[in_window(bundled, day, 7)]
    live = shown[active_on(shown, day) & counted(shown)]
    live = live.sort_values(START, ascending=False, kind="stable")
    for code in FIVE_OBLASTS:
        mine = live[live["oblast_code"] == code]
        if mine.empty:
            assert code not in got
            continue
        categories, titles = got[code]
        assert categories == set(mine["category"])
        assert titles == mine[TITLE].tolist()[: maps.UNDER_WAY_TITLES]


def test_data_facts_are_the_frames_and_computed_once(bundled):
    facts = data_facts(bundled)
    assert facts.first == bundled[START].min() and facts.last == bundled[LAST].max()
    assert facts.groups == bundled["group_id"].nunique()
    assert data_facts(bundled) is facts
    assert data_facts(bundled.head(3)).groups == bundled.head(3)["group_id"].nunique()


def test_settled_heap_is_frozen_and_what_dies_later_is_still_collected():
    settle_heap()
    assert gc.get_freeze_count() > 0

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle made after the freeze
    del a, b
    assert gc.collect() >= 2
    gc.unfreeze()


def test_many_places_are_grouped_on_a_grid_and_nothing_is_dropped(regions):
    events = load_events(native_events(5000, seed=3).to_csv(index=False).encode(), regions).events
    active = pd.Series(False, index=events.index)
    layer = maps.markers_layer(events, active)
    features = layer.data["features"]
    assert layer.grid_step is not None
    assert len(features) <= maps.MAX_PLACES
    assert sum(f["properties"]["count"] for f in features) == len(events)
    popup = features[0]["properties"]["_popup"]
    assert popup.count("class='oem-ev'") <= maps.MAX_POPUP_EVENTS + 1
    # however many events are in view, the popups of one step list a bounded number
    assert len(layer.payload["e"]) <= maps.POPUP_EVENT_BUDGET


def test_few_places_get_one_circle_each(regions):
    events = load_events(EVENTS_CSV, regions).events
    layer = maps.markers_layer(events, pd.Series(False, index=events.index))
    assert layer.grid_step is None
    located = events[events["lat"].notna() & events["in_five"]]
    places = located[["lat", "lon"]].round(5).drop_duplicates()
    assert len(layer.data["features"]) == len(places)
