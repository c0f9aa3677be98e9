"""AppTest: the page takes the date the map's time bar reports once the user pauses (the value
the client posts for the map component), and ignores anything else the browser could send."""

from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import PACKAGE_DIR
from dashboard.page import session

APP = str(PACKAGE_DIR / "app.py")
MAP = "map-none-en-0"  # app.map_key for no tiles, English, not presenting


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.run()
    assert not app.exception, app.exception
    return app


def report(at, day, report_id):
    at.session_state[MAP] = {"center": {"lat": 48.2, "lng": 35.6}, "zoom": 6,
                             "oem": {"date": day, "id": report_id}}  # fmt: skip
    at.run()
    assert not at.exception, at.exception


def test_a_report_moves_the_page_to_the_maps_date_and_stops_playback(at):
    session.set_page(replace(session.page_state(at.session_state), playing=True), at.session_state)
    report(at, "2022-09-23", "c1:1")
    assert at.slider(key="date").value == date(2022, 9, 23)
    assert session.drawn(at.session_state).view.date.date() == date(2022, 9, 23)
    assert session.page_state(at.session_state).playing is False
    payload = session.drawn(at.session_state).layers.payload
    assert payload["date"] == "2022-09-23" and payload["seen"] == "c1:1"
    assert payload["steps"]["url"].startswith("/app/static/steps/")
    assert payload["k"] in payload["steps"]["url"]
    # the same report again (any later rerun) does not pull the slider back
    at.slider(key="date").set_value(date(2022, 10, 1)).run()
    assert at.slider(key="date").value == date(2022, 10, 1)


@pytest.mark.parametrize(
    "bad",
    [
        {"date": "2022-13-45", "id": "c1:2"},
        {"date": "<script>", "id": "c1:3"},
        {"date": 20220923, "id": "c1:4"},
        {"date": "2022-09-23T00:00", "id": "c1:5"},
        {"date": "2022-09-23"},  # no id
        "2022-09-23",
        None,
    ],
)
def test_anything_but_a_new_iso_date_is_ignored(at, bad):
    before = at.slider(key="date").value
    at.session_state[MAP] = {"oem": bad}
    at.run()
    assert not at.exception, at.exception
    assert at.slider(key="date").value == before
    assert not at.error


def test_a_date_outside_the_data_is_kept_inside_it(at):
    report(at, "1999-01-01", "c1:9")
    first = session.drawn(at.session_state).view.date.date()
    assert first == date(2022, 2, 21)
    report(at, "2099-01-01", "c1:10")
    assert session.drawn(at.session_state).view.date.date() == date(2022, 11, 14)
