"""The view's transitions (dashboard/state/transitions.py), each a table of state in, state
out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dashboard.state import transitions as tr
from dashboard.state.view_state import PageState, ViewState

FIRST, LAST = date(2022, 2, 21), date(2022, 11, 14)
V = ViewState(date=date(2022, 9, 25))
P = PageState()


@pytest.mark.parametrize(
    "view, page, data_key, out_date, out_notices",
    [
        # a new session: the link's date
        (ViewState(), replace(P, link_date=date(2022, 9, 25)), "a", date(2022, 9, 25), ()),
        # no date in the link: the latest
        (ViewState(), P, "a", LAST, ()),
        # the link's date outside the data: moved, with a notice
        (ViewState(), replace(P, link_date=date(2031, 1, 1)), "a", LAST, ("outside the data",)),
        # the same data: the date stays, kept inside the range
        (V, replace(P, data_key="a"), "a", date(2022, 9, 25), ()),
        (replace(V, date=date(2023, 1, 1)), replace(P, data_key="a"), "a", LAST, ()),
        # other data: its latest date
        (V, replace(P, data_key="a"), "b", LAST, ()),
    ],
)
def test_settle_date(view, page, data_key, out_date, out_notices):
    new_view, new_page = tr.settle_date(view, page, FIRST, LAST, data_key)
    assert new_view.date == out_date
    assert new_page.data_key == data_key and new_page.link_date is None
    assert len(new_page.notices) == len(out_notices)
    for got, want in zip(new_page.notices, out_notices, strict=True):
        assert want in got


@pytest.mark.parametrize(
    "day, step, loop, playing, direction, out_date, out_playing",
    [
        (date(2022, 9, 25), 1, False, False, 1, date(2022, 9, 26), False),
        (date(2022, 9, 25), 7, False, False, 1, date(2022, 10, 2), False),
        (date(2022, 9, 25), 7, False, False, -1, date(2022, 9, 18), False),
        (date(2022, 2, 22), 7, False, False, -1, FIRST, False),  # not before the first date
        (date(2022, 11, 10), 7, False, True, 1, LAST, True),  # to the last date first
        (LAST, 1, False, True, 1, LAST, False),  # then playback stops there
        (LAST, 1, True, True, 1, FIRST, True),  # or loops
        (LAST, 1, True, False, 1, LAST, False),  # looping is for playback only
    ],
)
def test_advance(day, step, loop, playing, direction, out_date, out_playing):
    view = ViewState(date=day, step=step, loop=loop)
    new_view, new_page = tr.advance(view, PageState(playing=playing), FIRST, LAST, direction)
    assert (new_view.date, new_page.playing) == (out_date, out_playing)


@pytest.mark.parametrize(
    "playing, last_tick, now, out_date, out_tick",
    [
        (False, None, 10.0, date(2022, 9, 25), None),  # not playing: nothing
        (True, None, 10.0, date(2022, 9, 25), 10.0),  # the first timer run only starts the clock
        (True, 10.0, 10.5, date(2022, 9, 25), 10.0),  # a click in between: no step
        (True, 10.0, 10.8, date(2022, 9, 26), 10.8),  # 0.8 of the interval: a step
        (True, 10.0, 12.0, date(2022, 9, 26), 12.0),  # late: still one step
    ],
)
def test_tick(playing, last_tick, now, out_date, out_tick):
    page = PageState(playing=playing, last_tick=last_tick)
    new_view, new_page = tr.tick(V, page, FIRST, LAST, now, 1.0)
    assert (new_view.date, new_page.last_tick) == (out_date, out_tick)


@pytest.mark.parametrize(
    "seen, report, out_date, out_seen, out_playing",
    [
        (None, None, date(2022, 9, 25), None, True),  # no report
        (None, ("c:1", date(2022, 10, 1)), date(2022, 10, 1), "c:1", False),  # new: moves, pauses
        ("c:1", ("c:1", date(2022, 10, 1)), date(2022, 9, 25), "c:1", True),  # taken already
        (None, ("c:2", None), date(2022, 9, 25), "c:2", True),  # no valid date: only the id
    ],
)
def test_map_report(seen, report, out_date, out_seen, out_playing):
    page = PageState(playing=True, map_report=seen)
    new_view, new_page = tr.map_report(V, page, report)
    assert (new_view.date, new_page.map_report, new_page.playing) == (
        out_date,
        out_seen,
        out_playing,
    )


@pytest.mark.parametrize(
    "playing, out",
    [(False, PageState(playing=True)), (True, PageState(playing=False))],
)
def test_toggle_play(playing, out):
    assert tr.toggle_play(PageState(playing=playing, last_tick=3.0)) == out


@pytest.mark.parametrize(
    "fn, present, out", [(tr.enter_presentation, False, True), (tr.leave_presentation, True, False)]
)
def test_presentation(fn, present, out):
    assert fn(replace(V, present=present)) == replace(V, present=out)


DEFAULT_VIEW = (48.2, 35.6, 6)


@pytest.mark.parametrize(
    "held, moved, out",
    [
        ((None, None, None), None, (None, None, None)),  # no report
        ((None, None, None), (48.2001, 35.6001, 6), (None, None, None)),  # Leaflet's rounding
        ((None, None, None), (47.5, 36.5, 7), (47.5, 36.5, 7)),  # moved: the link keeps it
        ((47.5, 36.5, 7), (47.5001, 36.5001, 7), (47.5, 36.5, 7)),  # within pixels of it
        ((47.5, 36.5, 7), (48.2, 35.6, 6), (48.2, 35.6, 6)),  # back home: still kept
        ((None, None, 8), (48.2, 35.6, 8), (48.2, 35.6, 8)),  # a zoom-only link then moves
    ],
)
def test_move_map(held, moved, out):
    view = replace(V, lat=held[0], lon=held[1], zoom=held[2])
    assert tr.move_map(view, moved, DEFAULT_VIEW).map_view == out


@pytest.mark.parametrize(
    "link_cat, metric, fatalities, out_cat, out_metric, notes",
    [
        (None, "events", True, (), "events", 0),  # checked already
        (("referendum",), "events", False, ("referendum",), "events", 0),
        (("referendum", "battles"), "events", False, ("referendum",), "events", 1),
        ((), "fatalities", False, (), "events", 1),
        ((), "fatalities", True, (), "fatalities", 0),
    ],
)
def test_link_data(link_cat, metric, fatalities, out_cat, out_metric, notes):
    view = replace(V, metric=metric)
    new_view, new_page = tr.link_data(
        view, PageState(link_cat=link_cat), ["referendum", "annexation"], fatalities
    )
    assert (new_view.cat, new_view.metric, len(new_page.notices)) == (out_cat, out_metric, notes)
    assert new_page.link_cat is None


def test_dismiss_notices():
    assert tr.dismiss_notices(PageState(notices=("x",))).notices == ()


OFFERED_BUNDLED = ("curated", "ucdp", "both")
OFFERED_WITH_UPLOAD = ("curated", "ucdp", "both", "upload", "upload_curated")


@pytest.mark.parametrize(
    ("data", "offered", "from_link", "shown", "noticed"),
    [
        ("ucdp", OFFERED_BUNDLED, True, "ucdp", False),
        ("both", OFFERED_BUNDLED, False, "both", False),
        ("upload", OFFERED_WITH_UPLOAD, True, "upload", False),
        ("upload", OFFERED_BUNDLED, True, "curated", True),  # a link to a file not loaded
        ("upload_curated", OFFERED_BUNDLED, True, "curated", True),
        ("upload", OFFERED_BUNDLED, False, "curated", False),  # the user removed the file
    ],
)
def test_settle_data(data, offered, from_link, shown, noticed):
    from dashboard.state.transitions import settle_data

    view, page = settle_data(ViewState(data=data), PageState(), offered, from_link)
    assert view.data == shown
    assert bool(page.notices) == noticed
    if noticed:
        assert page.notices[0].startswith(f"data={data!r}")


def test_the_maps_own_fit_never_enters_the_link():
    from dashboard.timebar.protocol import parse_fit

    fitted = parse_fit(
        {
            "center": {"lat": 48.42921, "lng": 35.43091},
            "zoom": 6,
            "fit": {"lat": 48.42921, "lng": 35.43091, "zoom": 6},
        }
    )
    assert fitted == (48.4292, 35.4309, 6)
    held = ViewState(lat=48.4292, lon=35.4309, zoom=6)  # taken for a move before the fit was known
    assert tr.forget_view(held, fitted).map_view == (None, None, None)
    moved = ViewState(lat=47.0, lon=37.5, zoom=8)  # the user's own view stays
    assert tr.forget_view(moved, fitted) == moved
    assert parse_fit({"center": {"lat": 1, "lng": 2}, "zoom": 6}) is None
    assert parse_fit({"fit": "x"}) is None


@pytest.mark.parametrize(
    "reported",
    [
        (47.5, 36.5, 3e9),  # 2 ** zoom would cost seconds and gigabytes on every rerun
        (47.5, 36.5, 7.5),
        (47.5, 36.5, -1),
        (1e308, 36.5, 7),
        (47.5, float("nan"), 7),
        (47.5, float("inf"), 7),
        (89.0, 36.5, 7),  # outside what a link may hold
        ("47.5", "x", 7),
        (47.5, 36.5),
    ],
)
def test_a_map_report_a_link_could_not_hold_changes_nothing(reported):
    from dashboard.state.permalink import check_view
    from dashboard.state.transitions import forget_view, move_map

    view = ViewState(lat=48.0, lon=37.0, zoom=8)
    assert check_view(reported) is None
    assert move_map(view, reported, (48.6, 35.4, 6)) == view
    assert move_map(ViewState(), (48.0, 37.0, 8), reported) == ViewState(lat=48.0, lon=37.0, zoom=8)
    assert forget_view(view, reported) == view


def test_a_map_report_in_range_is_taken():
    from dashboard.state.permalink import check_view
    from dashboard.state.transitions import move_map

    assert check_view((47.5, 36.5, 7.0)) == (47.5, 36.5, 7)
    assert move_map(ViewState(), (47.5, 36.5, 7), (48.6, 35.4, 6)).map_view == (47.5, 36.5, 7)
