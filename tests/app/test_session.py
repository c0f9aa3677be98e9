"""The page's state module (dashboard/page/session.py) through a real page run: a link becomes
the session's view at once and is written back as it came; two sessions opening one link hold
equal views; nothing the page does to itself moves the date (a failed upload included)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dashboard.page import session
from dashboard.state.permalink import from_query, to_params
from tests.app.test_briefing import link_of, open_link
from tests.app.test_upload import upload

LINK = (
    "date=2022-09-18&window=7&cat=referendum&oblast=UA-65,UA-23&q=vot&lang=uk&present=1"
    "&lat=47.9&lon=36.6&zoom=7&tiles=osm&metric=events&outside=1&step=7&speed=1.5&loop=1"
)


def test_a_link_is_the_sessions_view_and_is_written_back_unchanged():
    app = open_link(LINK)
    asked, notices = from_query(LINK)
    assert notices == []
    assert session.view(app.session_state) == asked
    assert link_of(app) == to_params(asked)


def test_two_sessions_opening_one_link_hold_equal_views():
    views = [session.view(open_link(LINK).session_state) for _ in range(2)]
    assert views[0] == views[1] == from_query(LINK)[0]


def test_the_running_state_starts_from_the_link():
    app = open_link("date=2022-09-25&play=1")
    page = session.page_state(app.session_state)
    assert page.playing and page.link_date is None and page.link_cat is None
    assert session.view(app.session_state).play is False  # a written link never plays


def test_a_failed_upload_leaves_the_date_and_filters_alone():
    app = open_link("date=2022-09-18&window=7&oblast=UA-65")
    before = session.view(app.session_state)
    upload(app, "wrong.csv", b"no;columns;we;know\n1;2;3;4\n")
    assert app.error, "the upload says why it cannot be used"
    after = session.view(app.session_state)
    assert after == before
    assert replace(after, date=None) == replace(before, date=None)
    assert app.slider(key="date").value == date(2022, 9, 18)
