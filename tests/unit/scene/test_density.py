"""How events are drawn when they are many (scene.density), and a from-to range (issue 18):
the payload, the legend and the window words agree with what is drawn."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, index_for
from dashboard.scene import build as scene
from dashboard.scene.density import AUTO_CLUSTERS, AUTO_HEAT, density_of
from dashboard.scene.legend import to_html
from tests.synth import acled_events


@pytest.fixture(scope="module")
def events(regions):
    return load_events(acled_events(20000, seed=5, regions=regions).to_csv(index=False).encode(),
                       regions).events  # fmt: skip


def make(events, regions, **kw):
    kw.setdefault("date", date(2022, 12, 31))
    kw.setdefault("window", None)
    return scene.make(events, regions, **kw)


def test_auto_switches_by_the_events_on_the_map():
    assert density_of("auto", AUTO_CLUSTERS) == "points"
    assert density_of("auto", AUTO_CLUSTERS + 1) == "clusters"
    assert density_of("auto", AUTO_HEAT + 1) == "heat"
    for chosen in ("points", "clusters", "heat"):
        assert density_of(chosen, 10**6) == chosen


def test_points_carry_their_counts_and_say_nothing_new(events, regions):
    drawn = make(events, regions, date=date(2022, 3, 5), window=7, density="points")
    payload = drawn.layers.payload
    assert "dm" not in payload and "h" not in payload
    assert sum(m[7] for m in payload["m"]) == drawn.layers.drawn > 0
    assert drawn.legend.density == "points" and not drawn.legend.heat_title


def test_heat_sends_weighted_points_and_no_markers(events, regions):
    drawn = make(events, regions, density="auto")  # cumulative: far over AUTO_HEAT
    payload = drawn.layers.payload
    assert drawn.layers.drawn > AUTO_HEAT
    assert payload["dm"] == "heat" and payload["m"] == [] and payload["e"] == []
    assert sum(w for _, _, w in payload["h"]) == drawn.layers.drawn
    assert payload["hmax"] >= 1 and list(payload["hg"].values())[0].startswith("#")
    # the legend says heat, lists no marker colours, and its ramp is the layer's
    assert drawn.legend.heat_title.startswith("Heat:") and not drawn.legend.categories
    html = to_html(drawn.legend)
    assert all(colour in html for colour in payload["hg"].values())
    # no popup text travels with a heat layer
    assert not any("Synthetic record" in s for s in payload["s"])


def test_clusters_keep_the_markers_and_say_so(events, regions):
    drawn = make(events, regions, date=date(2022, 3, 31), window=30, density="clusters")
    assert drawn.layers.payload["dm"] == "clusters" and drawn.layers.payload["m"]
    assert "clusters" in drawn.legend.markers_text


def test_a_range_counts_from_its_first_day_to_the_date(events, regions):
    first, last = date(2022, 9, 1), date(2022, 9, 30)
    index = index_for(events, Filters())
    breaks = scene.breaks_of(index, None, "events", first, last)
    mid = make(events, regions, date=date(2022, 9, 15), range_from=first, range_to=last,
               breaks=breaks, index=index)  # fmt: skip
    shown = mid.view.shown
    assert shown["start_date"].min() >= pd.Timestamp(first)
    assert shown["start_date"].max() <= pd.Timestamp("2022-09-15")
    assert "1 September – 15 September 2022" in mid.window_text
    assert "range to 30 September" in mid.window_text
    assert "from 1 September 2022" in mid.legend.fill_title
    end = make(events, regions, date=last, range_from=first, range_to=last, breaks=breaks,
               index=index)  # fmt: skip
    # the breaks hold the whole range's counts: the last day fills the top class
    assert int(end.view.counts["total"].max()) == breaks[-1]
