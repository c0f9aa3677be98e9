"""AppTest: the page runs, and its widgets drive what is counted and drawn."""

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import EVENTS_CSV, PACKAGE_DIR
from dashboard.ingest.events import load_events
from dashboard.page import session
from dashboard.query.view import Filters, build_view
from tests import maplayers as maps

APP = str(PACKAGE_DIR / "app.py")
FOUR = {"UA-65", "UA-23", "UA-14", "UA-09"}


@pytest.fixture
def at():
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.run()  # in a browser the first-visit timer does it: the full page after the light run
    assert not app.exception, app.exception
    return app


def summary(at) -> dict[str, int]:
    frame = next(
        d for d in at.dataframe if "Under way" in d.value.columns and "Oblast" in d.value.columns
    ).value
    return dict(zip(frame["Oblast"], frame["Events"], strict=True))


def shown(at):
    return session.drawn(at.session_state).view.shown


def test_page_runs_without_exception(at):
    assert "Oblast Events Map" in at.title[0].value
    assert not at.error


def test_moving_the_slider_changes_the_counts(at):
    at.slider(key="date").set_value(date(2022, 3, 5)).run()
    early = summary(at)
    at.slider(key="date").set_value(date(2022, 10, 15)).run()
    late = summary(at)
    assert early != late
    assert late["Donetsk"] > early["Donetsk"]


def test_a_first_run_draws_the_map_first_and_the_next_run_everything():
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert session.drawn(app.session_state).layers.payload["o"], "the map is drawn"
    assert not app.dataframe  # the tables' script waits for the map
    assert any("Loading the events table" in c.value for c in app.caption)
    app.run()  # in a browser, finish_first_visit's timer
    assert len(app.dataframe) == 2  # the summary and the events
    assert not any("Loading" in c.value for c in app.caption)


def test_reruns_and_new_sessions_reuse_the_shared_index(at):
    from dashboard.caches import SHARED_INDEXES

    built = SHARED_INDEXES.builds
    at.slider(key="date").set_value(date(2022, 4, 1)).run()  # a full rerun of the script
    other = AppTest.from_file(APP, default_timeout=60)
    other.run()  # another session
    assert not other.exception
    assert SHARED_INDEXES.builds == built


def test_window_changes_the_events_shown(at):
    at.slider(key="date").set_value(date(2022, 9, 25)).run()
    cumulative = len(shown(at))
    at.radio(key="window").set_value("7 days").run()
    week = shown(at)
    assert len(week) < cumulative
    assert week["last_date"].min() >= pd.Timestamp("2022-09-19")


def test_custom_window(at):
    at.slider(key="date").set_value(date(2022, 9, 25)).run()
    at.radio(key="window").set_value("Custom").run()
    at.number_input(key="window_days").set_value(1).run()
    assert session.drawn(at.session_state).view.window_days == 1
    assert set(shown(at)["start_date"].dt.strftime("%Y-%m-%d")) <= {"2022-09-23", "2022-09-25"}


def test_category_filter(at):
    at.multiselect(key="cat").set_value(["referendum"]).run()
    assert set(shown(at)["category"]) == {"referendum"}


def test_oblast_filter(at):
    at.multiselect(key="oblast").set_value(["UA-63"]).run()
    assert set(shown(at)["oblast_code"]) == {"UA-63"}
    assert summary(at)["Donetsk"] == 0


def test_search_filter(at):
    at.text_input(key="q").set_value("Izium").run()
    titles = shown(at)["title"] + " " + shown(at)["description"]
    assert len(titles) >= 3
    assert titles.str.contains("Izium", case=False).all()


def test_layer_for_25_september_highlights_the_voting(regions):
    events = load_events(EVENTS_CSV, regions).events
    view = build_view(events, "2022-09-25", 7, Filters())
    group = maps.date_layers(regions, view.shown, view.counts, view.breaks, view.active, "25 Sep")
    oblasts = group.oblasts
    props = {f["properties"]["iso_code"]: f["properties"] for f in oblasts.data["features"]}
    voting = {code for code, p in props.items() if "referendum" in p["active_categories"]}
    assert voting == FOUR
    assert "referendum" not in props["UA-63"]["active_categories"]
    for code, p in props.items():
        assert p["count"] == view.counts.loc[code, "total"]
    assert props["UA-65"]["_style"]["weight"] > 2  # heavy outline while the vote is under way


def test_missing_data_file_shows_a_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("OEM_EVENTS_CSV", str(tmp_path / "missing.csv"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "cannot be loaded" in at.error[0].value


def test_corrupt_data_file_shows_a_message(monkeypatch, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02garbage")
    monkeypatch.setenv("OEM_EVENTS_CSV", str(bad))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "binary" in at.error[0].value


def test_a_static_folder_that_cannot_be_written_says_so_and_the_rest_of_the_page_works(
    monkeypatch,
):
    from dashboard.page import data
    from dashboard.render import assets

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(assets.STATIC_DIR))

    monkeypatch.setattr(assets, "ensure_static", refused)
    data.static_problem.clear()
    try:
        app = AppTest.from_file(APP, default_timeout=60)
        app.run()
        app.run()
        assert not app.exception
        said = [e.value for e in app.error]
        assert len(said) == 1 and "The map cannot be drawn" in said[0], said
        assert "Permission denied" in said[0]
        assert len(app.dataframe) == 2  # the summary and the events table still work
    finally:
        data.static_problem.clear()
