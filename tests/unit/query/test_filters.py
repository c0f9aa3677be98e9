"""The analyst's filters (query.filters): each one against a hand-made frame, and all of them
applied the same way by the index the page, the CSV and the slides read."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.query.filters import (
    Filters,
    actor_counts,
    column_codes,
    fatality_bounds,
    filter_mask,
    has_civilian_targeting,
    value_counts,
)
from dashboard.query.view import index_for
from dashboard.timebar import protocol


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["battles", "battles", "violence_against_civilians", "protests", "battles"],
            "oblast_code": ["UA-23", "UA-14", "UA-23", "", "UA-63"],
            "in_five": [True, True, True, False, True],
            "actor1": [
                "Military Forces of Russia (2000-); Wagner Group",
                "Military Forces of Ukraine (2019-)",
                "Military Forces of Russia (2000-)",
                "Protesters (Ukraine)",
                None,
            ],
            "actor2": [
                "Military Forces of Ukraine (2019-)",
                "Military Forces of Russia (2000-); Wagner Group",
                "Civilians (Ukraine)",
                "",
                "Military Forces of Russia (2000-)",
            ],
            "event_type": [
                "Battles",
                "Battles",
                "Violence against civilians",
                "Protests",
                "Battles",
            ],
            "sub_event_type": ["Armed clash", "Armed clash", "Attack", "Peaceful protest", ""],
            "civilian_targeting": ["", "", "Civilian targeting", "", ""],
            "fatalities": [3.0, 0.0, 1.0, np.nan, 12.0],
            "lat": [47.8, 48.0, 47.84, 50.45, np.nan],
            "lon": [35.2, 37.8, 35.1, 30.5, np.nan],
        }
    )


@pytest.mark.parametrize(
    "filters, rows",
    [
        (Filters(), [0, 1, 2, 3, 4]),
        (Filters(actors=("Wagner Group",)), [0, 1]),  # an associated actor, either side
        (Filters(actors=("Civilians (Ukraine)", "Protesters (Ukraine)")), [2, 3]),
        (Filters(actors=("Wagner",)), []),  # names, not substrings
        (Filters(event_types=("Battles",)), [0, 1, 4]),
        (Filters(sub_types=("Armed clash",)), [0, 1]),
        (Filters(civilian=True), [2]),
        (Filters(fatalities=(1, None)), [0, 2, 4]),  # no figure: out once a bound is set
        (Filters(fatalities=(None, 2)), [1, 2]),
        (Filters(fatalities=(0, 0)), [1]),
        (Filters(oblasts=("UA-23", "outside")), [0, 2, 3]),
        (Filters(area=((47.7, 35.0), (47.9, 35.0), (47.9, 35.3), (47.7, 35.3))), [0, 2]),
        (Filters(actors=("Wagner Group",), sub_types=("Armed clash",), fatalities=(1, 5)), [0]),
    ],
)
def test_each_filter_keeps_exactly_its_rows(filters, rows):
    mask = filter_mask(frame(), filters)
    kept = list(range(5)) if mask is None else np.flatnonzero(mask).tolist()
    assert kept == rows


def test_filters_are_a_value_and_say_when_they_filter():
    assert not Filters()
    assert Filters(civilian=True) and Filters(civilian=True).analyst
    assert Filters(categories=("battles",)) and not Filters(categories=("battles",)).analyst
    assert Filters(area=((1.0, 2.0), (3.0, 4.0))).analyst is False  # two points are no area
    assert hash(Filters(actors=("a",))) == hash(Filters(actors=("a",)))


def test_options_come_with_their_counts_most_frequent_first():
    events = frame()
    actors = dict(actor_counts(events))
    assert actors["Military Forces of Russia (2000-)"] == 4
    assert actors["Wagner Group"] == 2
    assert "" not in actors
    assert value_counts(events, "sub_event_type")[0] == ("Armed clash", 2)
    assert has_civilian_targeting(events)
    assert not has_civilian_targeting(events.drop(columns="civilian_targeting"))
    assert fatality_bounds(events) == (0, 12)
    assert fatality_bounds(events.assign(fatalities=np.nan)) is None


def test_codes_are_made_once_per_frame():
    events = frame()
    first = column_codes(events, "actor1")
    assert column_codes(events, "actor1") is first
    assert column_codes(events.copy(), "actor1") is not first
    codes, uniques = first
    assert [uniques[c] for c in codes][-1] == ""  # a missing value is ""


def test_a_hostile_or_empty_area_filters_nothing_or_nothing_odd():
    events = frame()
    bow_tie = ((47.0, 35.0), (48.5, 36.0), (47.0, 36.0), (48.5, 35.0))  # self-crossing
    mask = filter_mask(events, Filters(area=bow_tie))
    assert mask is not None and mask.dtype == bool and len(mask) == 5
    assert not mask[3] and not mask[4]  # far away, and no coordinates


def test_the_index_counts_distinct_events_under_filters():
    events = frame().assign(
        group_id=["g1", "g1", "g2", "g3", "g4"],
        start_date=pd.to_datetime(["2022-09-01"] * 5),
        last_date=pd.to_datetime(["2022-09-01"] * 5),
        verification="confirmed",
    )
    assert index_for(events, Filters()).distinct_events() == 4
    assert index_for(events, Filters(event_types=("Battles",))).distinct_events() == 2


@pytest.mark.parametrize(
    "value, expect",
    [
        (None, None),
        (
            {"area": {"id": "c:1", "pts": [[47.1, 35.2], [48, 36], [47.5, 37]]}},
            ("c:1", ((47.1, 35.2), (48.0, 36.0), (47.5, 37.0))),
        ),  # fmt: skip
        ({"area": {"id": "c:2", "pts": []}}, ("c:2", ())),
        ({"area": {"id": "c:3", "pts": [[1, 2], [3, "x"], [5, 6]]}}, ("c:3", ())),
        ({"area": {"id": "c:4", "pts": [[1, 2]] * 61}}, ("c:4", ())),
        ({"area": {"id": "c:5", "pts": [[float("nan"), 2], [3, 4], [5, 6]]}}, ("c:5", ())),
        ({"area": {"id": "", "pts": []}}, None),
        ({"area": "x"}, None),
    ],
)
def test_an_area_from_the_map_is_read_safely(value, expect):
    assert protocol.parse_area(value) == expect
