"""Pure presentation logic: escaping, exports, colours, filters."""

import pandas as pd
import pytest

from dashboard.config import EVENTS_CSV
from dashboard.ingest.events import load_events
from dashboard.query.view import (
    OUTSIDE,
    Filters,
    apply_filters,
    build_view,
    class_breaks,
    max_window_count,
)
from dashboard.render.csv import neutralise, safe_csv_bytes
from dashboard.scene.palette import NO_EVENTS, count_colour, legend_bins
from tests import maplayers as maps
from tests.builders import csv_bytes, row, rows_with_ids
from tests.synth import native_events

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_popup_and_tooltips_escape_file_text(regions):
    records = [
        row(
            title=HOSTILE,
            description=HOSTILE,
            settlement=HOSTILE,
            source_name=HOSTILE,
            lat="46.65581",
            lon="32.6178",
            verification="claimed",
            claimed_by=HOSTILE,
        )
    ]
    events = load_events(csv_bytes(records), regions).events
    view = build_view(events, "2022-09-23", None, Filters())
    group = maps.date_layers(regions, view.shown, view.counts, view.breaks, view.active, "x")
    html = str(group.payload) + str(group.oblasts.data) + str(group.markers.data)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_source_link_attribute_is_escaped():
    ev = pd.Series(
        {
            "category": "combat",
            "title": "t",
            "description": "d",
            "verification": "confirmed",
            "claimed_by": "",
            "source_name": "s",
            "source_url": "https://e.org/?a=1&b='x'",
            "start_date": pd.Timestamp("2022-01-01"),
            "end_date": pd.NaT,
        }
    )
    out = maps.event_html(ev, active=False)
    assert "href='https://e.org/?a=1&amp;b=&#x27;x&#x27;'" in out
    assert "target='_blank' rel='noopener noreferrer'" in out


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell
    text = safe_csv_bytes(pd.DataFrame({"a": [cell]})).decode("utf-8-sig")
    assert text.splitlines()[1].lstrip('"').startswith("'")


def test_plain_cells_are_untouched():
    assert neutralise("Kherson") == "Kherson"
    assert neutralise(3) == 3


@pytest.mark.parametrize(
    ("max_count", "breaks"), [(0, [1]), (1, [1]), (3, [1, 2, 3]), (23, [5, 10, 15, 20, 23])]
)
def test_class_breaks(max_count, breaks):
    assert class_breaks(max_count) == breaks


def test_count_colours_darken_with_count():
    breaks = class_breaks(23)
    colours = [count_colour(n, breaks) for n in (0, 1, 6, 11, 16, 23)]
    assert colours[0] == NO_EVENTS
    assert len(set(colours)) == 6
    assert legend_bins(breaks)[1] == ("1–5", colours[1])


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
